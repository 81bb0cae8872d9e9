"""Keep Python's cycle collector out of the way while a build makes its long-lived objects.

A build at N = 10,000 makes millions of objects that live until it ends: the model, the
bodies decoded from the cache (780,000 mentions, paragraphs, headings and links), the
page specs. Python's collector counts allocations and, every so often, walks *every*
tracked object looking for cycles; with millions alive each walk costs tenths of a
second, and they come again and again while the objects are being made. In a one-document
edit build that was 9 s of 48 (#13). Nothing a build makes in bulk is cyclic garbage:
objects are freed by their reference counts as usual, only the cycle search waits.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(*, then_freeze: bool = False) -> Iterator[None]:
    """Run the body with the cycle collector off, and restore it on leaving.

    Its next run frees whatever cycles the body did leave (an exception's traceback, a
    template's). Forked render workers turn it on again for their own objects (parallel.py).

    ``then_freeze``, for a process that ends after the body (the command line's ``build``
    and ``check``): what is still alive stays frozen, so that the collection at exit does not
    walk it either. ``serve`` leaves it off: it lives on, and the last build's garbage must
    stay collectable.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything made during the pause is in the youngest generation: the collector's
        # next runs would walk all of it, three times over as it ages (seconds of ``serve``
        # right after a rebuild, as a save wants its page). Freezing and unfreezing moves it
        # to the oldest generation at once, walked only by the next full collection.
        gc.freeze()
        if not then_freeze:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def collect_after_build() -> None:
    """One full collection, for a process that lives on after a build (``serve``).

    Why: after a pause the collector has not yet counted the build's objects as long-lived,
    so its next full collection comes soon, at a moment of its choosing; at 10,000 documents
    that walk took 2 s and landed on the first save's preview. Made here, between a rebuild
    and the next save, it frees the last model's cycles and lets the following ones be rare.
    """
    gc.collect()
