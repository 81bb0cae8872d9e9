"""Frozen records made by the hundred thousand: a body's headings, links, paragraphs and mentions.

A build at N = 10,000 holds 730,000 of them from the start of the link stage to its end. As
plain frozen dataclasses each kept a ``__dict__`` (150 MB between them); with slots they
hold only their fields. Slots alone would make them slow to send back from a worker (the
dataclass's own ``__setstate__`` sets field by field through ``object.__setattr__``: twice
the time of a dict), so each record pickles as a call of its class with its fields in order.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import TypeVar

Record = TypeVar("Record", bound=type)


def compact_record(cls: Record) -> Record:
    """``@dataclass(frozen=True, slots=True)``, pickled as ``cls(*fields)``."""
    made = dataclasses.dataclass(frozen=True, slots=True)(cls)
    names = [field.name for field in dataclasses.fields(made)]
    getter = operator.attrgetter(*names)
    single = len(names) == 1  # attrgetter of one name gives the value, not a tuple

    def __reduce__(self):
        values = getter(self)
        return made, ((values,) if single else values)

    made.__reduce__ = __reduce__
    return made
