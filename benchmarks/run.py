"""Measure karabakh-site against the targets of issue #13, on a synthetic archive, against Hugo.

    python3 benchmarks/run.py --docs 10000 --runs 3            # [--large] [--work DIR] [--json FILE]

Run it from the project folder (the theme is found there). It generates the corpus with
benchmarks/generate.py and the same archive as a Hugo site with benchmarks/hugo_site.py
(both regenerated only when the scripts or arguments change), then measures, per run and
in this order, each build in a fresh process (`--no-search` unless said):

  cold         no cache, output folder absent
  cold-search  the same with the search index on (its own cache and output, both absent)
  warm         the cold build again: warm cache, nothing changed
  edit-doc     one document's text changed, a new build process
  edit-terr    one territory renamed in chronology.yaml, a new build process
  hugo         Hugo's cold build of the same archive (output absent)

so each run's ratios are to the Hugo build of the same run (interleaved: both see the same
machine state); the ratio printed is the median of the per-run ratios. Then, once, `serve`:
`karabakh_site serve --port 0` runs as a subprocess; --runs times a document is saved with
new words and the article page is polled over HTTP until they appear (the delay counted
from the end of the save), then the save is undone and the page polled until it is back.

Every target of issue #13 is printed with its measured value, its ratio and met / not met,
and everything (each run's figures too) is written as JSON. `--large` also generates an
N = 100,000 archive (`generate.py --docs 100000`, kept in the work folder) and builds it
once, cold: peak memory ≤ 2 GiB, time ≤ 11× this run's cold median (run with --docs 10000).

Memory, what is measured:
  peak RSS   ru_maxrss of os.wait4 on the build process. Linux fills it from the process and
             its reaped descendants (RUSAGE_BOTH): the forked render workers are reaped by the
             build (Pool.terminate joins them), so it is the largest resident set of any one
             process of the build, not their sum.
  tree PSS   the proportional set size (smaps_rollup) of the build process and all its live
             descendants, summed, sampled every --sample-interval seconds (0.1): what the
             process tree holds at once, shared copy-on-write pages counted once. A sample
             may miss a short peak.
The memory target is judged on the larger of the two, over every build scenario.
The folder of a replaced output (`.out.old-*`), which a build deletes in a detached
process, is waited for between measurements (not counted), so it does not slow the next one.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
MIB = 1024 * 1024
KB = 1000

BUILD_SCENARIOS = ("cold", "cold-search", "warm", "edit-doc", "edit-terr")
SCENARIO_NAMES = {
    "cold": "cold (no cache, output absent)",
    "cold-search": "cold, search index on",
    "warm": "warm, nothing changed",
    "edit-doc": "one document edited (new build)",
    "edit-terr": "one territory renamed (new build)",
    "hugo": "Hugo cold",
}

# The targets of issue #13, as (key, what, limit, unit of the limit).
RATIO_TARGETS = (("cold", 1.0), ("warm", 0.1), ("edit-doc", 0.15), ("edit-terr", 0.5))
RSS_LIMIT_MIB = 600
OUTPUT_RATIO_LIMIT = 2.0
LARGEST_PAGE_LIMIT = 200 * KB
SERVE_LIMIT_S = 0.3
LARGE_RSS_LIMIT_MIB = 2048
LARGE_TIME_RATIO_LIMIT = 11.0


# --- measuring one process ---------------------------------------------------------------------


@dataclass
class Measure:
    """One process's wall time, CPU time and memory."""

    seconds: float
    cpu_seconds: float
    """User + system time of the process and its reaped descendants."""
    peak_rss_mib: float
    """ru_maxrss of wait4: the largest resident set of the process or any reaped descendant."""
    tree_pss_mib: float | None
    """The peak of the sampled sum of PSS over the live process tree (None if /proc has no smaps_rollup)."""
    tree_processes: int
    """The most processes seen at once in the tree (the build and its workers)."""

    @property
    def memory_mib(self) -> float:
        return max(self.peak_rss_mib, self.tree_pss_mib or 0.0)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        pids += _children(pids[index])
        index += 1
    return pids


def _pss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class TreeSampler(threading.Thread):
    """Sample the summed PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib: int | None = None
        self.most_processes = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            pids = _tree(self.pid)
            values = [value for value in map(_pss_kib, pids) if value is not None]
            if values:
                self.peak_kib = max(self.peak_kib or 0, sum(values))
                self.most_processes = max(self.most_processes, len(values))
            self.stopped.wait(self.interval)


SAMPLE_INTERVAL = 0.1


def measure(command: list[str], cwd: Path = PROJECT) -> Measure:
    """Run a command to its end; fail loudly if it fails."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = TreeSampler(process.pid, SAMPLE_INTERVAL)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise BenchmarkFailed(f"failed (exit {process.returncode}): {' '.join(command)}\n"
                                  f"{errors.read().decode(errors='replace')[-3000:]}")
    return Measure(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   sampler.peak_kib / 1024 if sampler.peak_kib is not None else None, sampler.most_processes)


class BenchmarkFailed(Exception):
    """A build or a step of the benchmark failed; the message says which."""


# --- the corpus and the Hugo site ----------------------------------------------------------------


def _digest(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()


def _stamped(folder: Path, stamp: str, make) -> None:
    """(Re)make ``folder`` unless it was made with the same stamp; the stamp is written last."""
    stamp_file = folder.parent / f".{folder.name}.stamp"
    if folder.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return
    shutil.rmtree(folder, ignore_errors=True)
    stamp_file.unlink(missing_ok=True)
    make()
    stamp_file.write_text(stamp)


def prepare_corpus(work: Path, docs: int) -> Path:
    content = work / f"content-{docs}"
    stamp = _digest((HERE / "generate.py").read_bytes(), docs)
    _stamped(content, stamp, lambda: _run([sys.executable, str(HERE / "generate.py"), "--docs", str(docs),
                                           "--out", str(content)]))
    return content


def prepare_hugo(work: Path, docs: int, content: Path) -> Path | None:
    if not shutil.which("hugo"):
        return None
    site = work / f"hugo-{docs}"
    layouts = [path.read_bytes() for path in sorted((HERE / "hugo_layouts").rglob("*"), key=str) if path.is_file()]
    stamp = _digest((HERE / "hugo_site.py").read_bytes(), (HERE / "generate.py").read_bytes(), docs, *layouts)
    _stamped(site, stamp, lambda: _run([sys.executable, str(HERE / "hugo_site.py"), "--content", str(content),
                                        "--out", str(site)]))
    return site


def _run(command: list[str]) -> None:
    result = subprocess.run(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise BenchmarkFailed(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")


# --- output size ---------------------------------------------------------------------------------


def output_size(folder: Path) -> dict:
    """Bytes of every file (a hard-linked file counts each time, as a host would copy it), and the largest page."""
    total, files, largest, largest_path = 0, 0, 0, ""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            size = os.lstat(path).st_size
            total += size
            files += 1
            if name.endswith(".html") and size > largest:
                largest, largest_path = size, os.path.relpath(path, folder)
    return {"bytes": total, "files": files, "largest_page_bytes": largest, "largest_page": largest_path}


def settle(out: Path, timeout: float = 300.0) -> None:
    """Wait until the replaced output folders beside ``out`` (deleted in the background) are gone."""
    deadline = time.monotonic() + timeout
    while any(out.parent.glob(f".{out.name}.old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


# --- one run -------------------------------------------------------------------------------------


def build_command(content: Path, out: Path, cache: Path, search: bool) -> list[str]:
    command = [sys.executable, "-m", "karabakh_site", "build", "-q", "--content", str(content), "--out", str(out),
               "--cache", str(cache)]
    return command if search else command + ["--no-search"]


def _edited_document(content: Path, position: float) -> Path:
    documents = sorted((content / "articles").glob("*.md"))
    return documents[int(len(documents) * position)]


def _insert_after_front_matter(path: Path, sentence: str) -> str:
    """Put a paragraph at the start of a document's body; return the text as it was."""
    text = path.read_text(encoding="utf-8")
    head, separator, body = text.partition("\n---\n")
    if not separator:
        raise BenchmarkFailed(f"no front matter in {path}")
    path.write_text(f"{head}\n---\n\n{sentence}\n{body}", encoding="utf-8")
    return text


def _rename_first_territory(chronology: Path) -> str:
    text = chronology.read_text(encoding="utf-8")
    match = re.search(r'^(\s+name: )"([^"]+)"$', text, re.MULTILINE)
    if not match:
        raise BenchmarkFailed(f"no territory name in {chronology}")
    renamed = f'{match.group(1)}"{match.group(2)} Renamed"'
    chronology.write_text(text[:match.start()] + renamed + text[match.end():], encoding="utf-8")
    return text


def one_run(content: Path, hugo_site: Path | None, work: Path) -> dict:
    """Every scenario once, Hugo last; the corpus is restored whatever happens."""
    out, cache = work / "out", work / "cache"
    out_search, cache_search = work / "out-search", work / "cache-search"
    for folder in (out, cache, out_search, cache_search):
        shutil.rmtree(folder, ignore_errors=True)
    settle(out)
    figures: dict = {"measures": {}}
    measures = figures["measures"]
    measures["cold"] = measure(build_command(content, out, cache, search=False))
    figures["output"] = output_size(out)
    settle(out)
    measures["cold-search"] = measure(build_command(content, out_search, cache_search, search=True))
    figures["output_search"] = output_size(out_search)
    shutil.rmtree(out_search, ignore_errors=True)
    shutil.rmtree(cache_search, ignore_errors=True)
    measures["warm"] = measure(build_command(content, out, cache, search=False))
    settle(out)
    document = _edited_document(content, 0.5)
    chronology = content / "chronology.yaml"
    document_text = _insert_after_front_matter(document, "An edited sentence for the benchmark.")
    try:
        measures["edit-doc"] = measure(build_command(content, out, cache, search=False))
        settle(out)
        chronology_text = _rename_first_territory(chronology)
        try:
            measures["edit-terr"] = measure(build_command(content, out, cache, search=False))
            settle(out)
        finally:
            chronology.write_text(chronology_text, encoding="utf-8")
    finally:
        document.write_text(document_text, encoding="utf-8")
    if hugo_site:
        hugo_out = work / "hugo-out"
        shutil.rmtree(hugo_out, ignore_errors=True)
        measures["hugo"] = measure(["hugo", "--quiet", "-s", str(hugo_site), "-d", str(hugo_out)])
        figures["hugo_output"] = output_size(hugo_out)
    return figures


# --- bad input at scale --------------------------------------------------------------------------

BROKEN_FILES = 1000


def _break(path: Path, kind: int) -> None:
    """Break one document in one of four ways, each found by a different stage (a document
    without the line a way needs is broken the first way)."""
    original = text = path.read_text(encoding="utf-8")
    if kind == 1:  # YAML: a flow sequence left open
        text = text.replace("\nspeakers: [", "\nspeakers: [[", 1)
    elif kind == 2:  # model: a date that is no date
        text = re.sub(r'^date: "[^"]*"$', 'date: "2020-13-45"', text, count=1, flags=re.MULTILINE)
    elif kind == 3:  # link: a territory the chronology does not have
        text = re.sub(r"^territories: \[", "territories: [no-such-territory, ", text, count=1, flags=re.MULTILINE)
    if kind == 0 or text == original:  # load: the front matter is never closed
        head, _fence, body = original.partition("\n---\n")
        text = head + "\n" + body
    path.write_text(text, encoding="utf-8")


def _output_state(out: Path) -> dict[str, tuple[int, int, int]]:
    return {os.path.relpath(os.path.join(root, name), out): (lambda s: (s.st_size, s.st_mtime_ns, s.st_ino))(
                os.lstat(os.path.join(root, name)))
            for root, _dirs, names in os.walk(out) for name in names}


def broken_build(content: Path, out: Path, work: Path) -> dict:
    """A copy of the corpus with BROKEN_FILES documents broken, built (no cache) into the last good
    output: the time, whether every broken file is named, and whether the output was left alone."""
    broken = work / "content-broken"
    shutil.rmtree(broken, ignore_errors=True)
    shutil.copytree(content, broken)
    documents = sorted((broken / "articles").glob("*.md"))
    chosen = documents[::max(1, len(documents) // BROKEN_FILES)][:BROKEN_FILES]
    for number, path in enumerate(chosen):
        _break(path, number % 4)
    settle(out)
    before = _output_state(out)
    command = [sys.executable, "-m", "karabakh_site", "build", "--content", str(broken), "--out", str(out),
               "--no-cache", "--no-search", "--format", "github"]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error file=")]
    named = {line[len("::error file="):].split(",", 1)[0].split("::", 1)[0] for line in annotations}
    reported = sum(1 for path in chosen if any(name.endswith(f"articles/{path.name}") for name in named))
    shutil.rmtree(broken, ignore_errors=True)
    return {"seconds": seconds, "files": len(chosen), "reported": reported, "errors": len(annotations),
            "exit": result.returncode, "output_unchanged": _output_state(out) == before,
            "printed_tail": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""}


# --- serve ---------------------------------------------------------------------------------------


def _fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, OSError):
        return None


def _poll(url: str, wanted: bytes, present: bool, timeout: float, interval: float) -> float | None:
    """Seconds until ``wanted`` is (or is no longer) in the page, polling; None on timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        page = _fetch(url)
        if page is not None and (wanted in page) == present:
            return time.perf_counter() - started
        time.sleep(interval)
    return None


def serve_delays(content: Path, work: Path, saves: int, timeout: float, interval: float) -> dict:
    """Start `serve`, save a document `saves` times, and measure when each save is visible over HTTP."""
    out = work / "serve-out"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "karabakh_site", "serve", "--port", "0", "--no-search",
               "--content", str(content), "--out", str(out), "--cache", str(work / "cache")]
    lines: list[str] = []
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               bufsize=1)
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    document = _edited_document(content, 1 / 3)
    original = document.read_text(encoding="utf-8")
    result: dict = {"document": document.name, "delays_s": [], "reverted_s": []}
    try:
        address = None
        while address is None:
            found = [re.search(r"serving .* at (http://127\.0\.0\.1:\d+/)", line) for line in list(lines)]
            address = next((match.group(1) for match in found if match), None)
            if process.poll() is not None:
                raise BenchmarkFailed("serve stopped:\n" + "".join(lines)[-3000:])
            if time.perf_counter() - started > 3600:
                raise BenchmarkFailed("serve did not start within an hour")
            time.sleep(0.05)
        result["start_s"] = time.perf_counter() - started
        while not any("watching" in line for line in list(lines)):
            time.sleep(0.05)
        time.sleep(1.0)  # the watcher starts after the line is printed
        url = f"{address}articles/{document.stem}/"
        if _fetch(url) is None:
            raise BenchmarkFailed(f"serve does not answer {url}")
        for number in range(saves):
            marker = f"benchmarkmarker{number}x{os.getpid()}"
            rebuilds = _rebuilds(lines)
            _insert_after_front_matter(document, f"Saved words {marker} for the benchmark.")
            result["delays_s"].append(_poll(url, marker.encode(), True, timeout, interval))
            document.write_text(original, encoding="utf-8")
            result["reverted_s"].append(_poll(url, marker.encode(), False, timeout, interval))
            # The page is visible before the rebuild ends (the manifest is written last): let both
            # rebuilds (the save's and the undo's) finish before the next save or the end.
            deadline = time.perf_counter() + timeout
            while _rebuilds(lines) < rebuilds + 2 and time.perf_counter() < deadline and process.poll() is None:
                time.sleep(0.05)
            time.sleep(0.5)
    finally:
        document.write_text(original, encoding="utf-8")
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(5)
    result["rebuild_lines"] = [line.strip() for line in lines if "rebuilt in" in line]
    result["log"] = "".join(lines)[-2000:]
    return result


def _rebuilds(lines: list[str]) -> int:
    """How many rebuilds `serve` has reported (a failed one prints its error instead)."""
    return sum("rebuilt in" in line or "error" in line for line in list(lines))


# --- N = 100,000 ---------------------------------------------------------------------------------


def large_build(work: Path, docs: int) -> dict:
    started = time.perf_counter()
    content = prepare_corpus(work, docs)
    generation = time.perf_counter() - started
    out, cache = work / "out-large", work / "cache-large"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    settle(out)
    figures = measure(build_command(content, out, cache, search=False))
    result = {"docs": docs, "generation_s": generation, "measure": asdict(figures), "output": output_size(out)}
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    return result


# --- summary, targets, tables ----------------------------------------------------------------------


@dataclass
class Target:
    what: str
    limit: str
    measured: str
    ratio: str
    met: bool | None
    """None: reported only, or not measured."""
    values: dict = field(default_factory=dict)


def _median(values: list[float]) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict]) -> dict:
    summary = {}
    for scenario in (*BUILD_SCENARIOS, "hugo"):
        measures = [run["measures"][scenario] for run in runs if scenario in run["measures"]]
        if not measures:
            continue
        seconds = [m.seconds for m in measures]
        ratios = [run["measures"][scenario].seconds / run["measures"]["hugo"].seconds
                  for run in runs if "hugo" in run["measures"]]
        summary[scenario] = {
            "median_s": statistics.median(seconds), "min_s": min(seconds), "max_s": max(seconds),
            "median_cpu_s": statistics.median(m.cpu_seconds for m in measures),
            "ratio_to_hugo": _median(ratios),
            "peak_rss_mib": max(m.peak_rss_mib for m in measures),
            "tree_pss_mib": max((m.tree_pss_mib for m in measures if m.tree_pss_mib is not None), default=None),
            "most_processes": max(m.tree_processes for m in measures),
        }
    return summary


def _met(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def targets(summary: dict, runs: list[dict], serve: dict | None, large: dict | None, docs: int) -> list[Target]:
    found = []
    hugo = summary.get("hugo")
    for scenario, limit in RATIO_TARGETS:
        figures = summary[scenario]
        ratio = figures["ratio_to_hugo"]
        found.append(Target(f"{SCENARIO_NAMES[scenario]} ≤ {limit:g}× Hugo", f"{limit:g}×",
                            f"{figures['median_s']:.2f} s" + (f" (Hugo {hugo['median_s']:.2f} s)" if hugo else ""),
                            _x(ratio), _met(ratio, limit), {"seconds": figures["median_s"], "ratio": ratio}))
        if scenario == "cold":
            search = summary["cold-search"]
            found.append(Target("cold, search index on (reported)", "–", f"{search['median_s']:.2f} s",
                                _x(search["ratio_to_hugo"]), None,
                                {"seconds": search["median_s"], "ratio": search["ratio_to_hugo"]}))
    def memory_of(scenario: str) -> float:
        return max(summary[scenario]["peak_rss_mib"], summary[scenario]["tree_pss_mib"] or 0)

    worst = max((s for s in BUILD_SCENARIOS if s != "cold-search"), key=memory_of)
    memory = memory_of(worst)
    others = f"; with search {memory_of('cold-search'):,.0f} MiB"
    others += f"; Hugo {memory_of('hugo'):,.0f} MiB" if hugo else ""
    found.append(Target(f"peak memory ≤ {RSS_LIMIT_MIB} MiB (largest of the builds)", f"{RSS_LIMIT_MIB} MiB",
                        f"{memory:,.0f} MiB ({worst}{others})",
                        _x(hugo and memory / memory_of("hugo")), memory <= RSS_LIMIT_MIB,
                        {"mib": memory, "scenario": worst, "search_mib": memory_of("cold-search")}))
    output = _median([run["output"]["bytes"] for run in runs])
    hugo_output = _median([run["hugo_output"]["bytes"] for run in runs if "hugo_output" in run])
    ratio = output / hugo_output if hugo_output else None
    found.append(Target(f"output bytes ≤ {OUTPUT_RATIO_LIMIT:g}× Hugo's", f"{OUTPUT_RATIO_LIMIT:g}×",
                        f"{output / 1e6:,.1f} MB" + (f" (Hugo {hugo_output / 1e6:,.1f} MB)" if hugo_output else ""),
                        _x(ratio), _met(ratio, OUTPUT_RATIO_LIMIT), {"bytes": output, "hugo_bytes": hugo_output}))
    largest = max((run["output"] for run in runs), key=lambda o: o["largest_page_bytes"])
    hugo_largest = max((run["hugo_output"]["largest_page_bytes"] for run in runs if "hugo_output" in run), default=0)
    found.append(Target(f"largest page ≤ {LARGEST_PAGE_LIMIT // KB} KB", f"{LARGEST_PAGE_LIMIT // KB} KB",
                        f"{largest['largest_page_bytes'] / KB:,.0f} KB ({largest['largest_page']}"
                        + (f"; Hugo {hugo_largest / KB:,.0f} KB)" if hugo_largest else ")"),
                        _x(largest["largest_page_bytes"] / hugo_largest if hugo_largest else None),
                        largest["largest_page_bytes"] <= LARGEST_PAGE_LIMIT,
                        {"bytes": largest["largest_page_bytes"], "page": largest["largest_page"]}))
    if serve is not None:
        delay = _median(serve["delays_s"])
        timeouts = sum(value is None for value in serve["delays_s"])
        measured = "not visible within the timeout" if delay is None else (
            f"{delay:.2f} s (median of {len(serve['delays_s']) - timeouts}"
            + (f", {timeouts} timed out" if timeouts else "") + ")")
        found.append(Target(f"serve: a saved document visible over HTTP ≤ {SERVE_LIMIT_S} s", f"{SERVE_LIMIT_S} s",
                            measured, "–", False if delay is None else delay <= SERVE_LIMIT_S, {"seconds": delay}))
    else:
        found.append(Target(f"serve: a saved document visible over HTTP ≤ {SERVE_LIMIT_S} s", f"{SERVE_LIMIT_S} s",
                            "not measured (--no-serve)", "–", None))
    if large is not None:
        figures = large["measure"]
        memory = max(figures["peak_rss_mib"], figures["tree_pss_mib"] or 0)
        found.append(Target(f"N = {large['docs']:,}: peak memory ≤ 2 GiB", f"{LARGE_RSS_LIMIT_MIB:,} MiB",
                            f"{memory:,.0f} MiB", "–", memory <= LARGE_RSS_LIMIT_MIB, {"mib": memory}))
        ratio = figures["seconds"] / summary["cold"]["median_s"]
        note = "" if docs == 10000 else f" (compared with N = {docs:,}, not 10,000)"
        found.append(Target(f"N = {large['docs']:,}: time ≤ {LARGE_TIME_RATIO_LIMIT:g}× the N = 10,000 cold build",
                            f"{LARGE_TIME_RATIO_LIMIT:g}×", f"{figures['seconds']:.1f} s{note}", _x(ratio),
                            ratio <= LARGE_TIME_RATIO_LIMIT if docs == 10000 else None,
                            {"seconds": figures["seconds"], "ratio": ratio}))
    else:
        found.append(Target("N = 100,000: peak memory ≤ 2 GiB, time ≤ 11× N = 10,000", "–",
                            "not measured (run with --large)", "–", None))
    return found


def scenario_table(summary: dict) -> str:
    lines = ["| scenario | median | spread | CPU | ratio to Hugo cold | peak RSS | tree PSS |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, figures in summary.items():
        pss = "–" if figures["tree_pss_mib"] is None else f"{figures['tree_pss_mib']:,.0f} MiB"
        lines.append(f"| {SCENARIO_NAMES[scenario]} | {figures['median_s']:.2f} s "
                     f"| {figures['min_s']:.2f}–{figures['max_s']:.2f} s | {figures['median_cpu_s']:.1f} s "
                     f"| {_x(figures['ratio_to_hugo'])} | {figures['peak_rss_mib']:,.0f} MiB | {pss} |")
    return "\n".join(lines)


def target_table(found: list[Target]) -> str:
    lines = ["| target (issue #13) | measured | ratio | met? |", "|---|---|---:|---|"]
    for target in found:
        met = {True: "met", False: "**not met**", None: "–"}[target.met]
        lines.append(f"| {target.what} | {target.measured} | {target.ratio} | {met} |")
    return "\n".join(lines)


def machine(label: str | None) -> dict:
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split(" ")[0:2] \
        if shutil.which("hugo") else []
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "hugo": " ".join(hugo),
        "code": label or (f"commit {commit.stdout.strip()} (with the working tree)" if commit.returncode == 0
                          else "not a git checkout"),
        "platform": platform.platform(),
    }


# --- main ------------------------------------------------------------------------------------------


def main() -> int:
    global SAMPLE_INTERVAL
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (the targets are for 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every scenario, and saves in serve (default 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/karabakh-bench"), help="folder for corpora and output")
    parser.add_argument("--json", type=Path, help="write the figures here (default: WORK/results-N.json)")
    parser.add_argument("--large", action="store_true", help="also build an N = 100,000 corpus once (slow)")
    parser.add_argument("--large-docs", type=int, default=100_000, help=argparse.SUPPRESS)
    parser.add_argument("--label", help="what code is measured, for the header (default: the git commit)")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurement")
    parser.add_argument("--serve-timeout", type=float, default=600.0, help="seconds to wait for a save to show")
    parser.add_argument("--poll-interval", type=float, default=0.01, help="seconds between HTTP polls in serve")
    parser.add_argument("--sample-interval", type=float, default=0.1, help="seconds between memory samples")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    SAMPLE_INTERVAL = args.sample_interval
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    about = machine(args.label)
    try:
        content = prepare_corpus(args.work, args.docs)
        hugo_site = prepare_hugo(args.work, args.docs, content)
        if hugo_site is None:
            print("note: hugo is not installed (apt-get install -y hugo); no ratios", file=sys.stderr)
        runs = []
        for number in range(args.runs):
            runs.append(one_run(content, hugo_site, args.work))
            print(f"run {number + 1}/{args.runs}: " + ", ".join(
                f"{name} {m.seconds:.2f} s" for name, m in runs[-1]["measures"].items()), file=sys.stderr, flush=True)
        broken = broken_build(content, args.work / "out", args.work)
        serve = None if args.no_serve else serve_delays(content, args.work, args.runs, args.serve_timeout,
                                                         args.poll_interval)
        large = large_build(args.work, args.large_docs) if args.large else None
    except BenchmarkFailed as failure:
        print(f"benchmark failed: {failure}", file=sys.stderr)
        return 1
    summary = summarise(runs)
    found = targets(summary, runs, serve, large, args.docs)
    cold = summary["cold"]["median_s"]
    found.append(Target(f"{broken['files']:,} broken files: each reported, nothing written, within the cold build's time",
                        f"{cold:.2f} s", f"{broken['seconds']:.2f} s; {broken['reported']:,} of {broken['files']:,} "
                        f"named, {broken['errors']:,} errors, output " +
                        ("unchanged" if broken["output_unchanged"] else "CHANGED"), _x(broken["seconds"] / cold),
                        broken["reported"] == broken["files"] and broken["output_unchanged"] and broken["exit"] == 1
                        and broken["seconds"] <= cold, {k: v for k, v in broken.items()}))
    hugo_output = runs[0].get("hugo_output")
    print(f"N = {args.docs:,} documents, {args.runs} run{'s' if args.runs > 1 else ''} (medians), `--no-search` "
          f"unless said; {about['date']}, {about['cores']} cores, {about['memory_gib']} GiB, Python {about['python']}, "
          f"{about['hugo'] or 'no Hugo'}; {about['code']}; load average at start "
          f"{about['load_average'][0]:.2f}")
    print()
    print(scenario_table(summary))
    print()
    output = runs[0]["output"]
    print(f"Output (cold, no search): {output['files']:,} files, {output['bytes']:,} bytes; largest page "
          f"{output['largest_page']} ({output['largest_page_bytes']:,} bytes)" +
          (f". Hugo: {hugo_output['files']:,} files, {hugo_output['bytes']:,} bytes; largest page "
           f"{hugo_output['largest_page']} ({hugo_output['largest_page_bytes']:,} bytes)." if hugo_output else "."))
    if serve is not None:
        print(f"serve: started in {serve['start_s']:.1f} s; save visible after "
              + ", ".join("timeout" if d is None else f"{d:.2f} s" for d in serve["delays_s"])
              + "; undo visible after "
              + ", ".join("timeout" if d is None else f"{d:.2f} s" for d in serve["reverted_s"]))
    print(f"{broken['files']:,} broken files: exit {broken['exit']} in {broken['seconds']:.2f} s; "
          f"{broken['reported']:,} named in {broken['errors']:,} annotations; the terminal's last line: "
          f"{broken['printed_tail']!r}")
    if large is not None:
        m = large["measure"]
        print(f"N = {large['docs']:,}: generated in {large['generation_s']:.0f} s; cold build {m['seconds']:.1f} s, "
              f"peak RSS {m['peak_rss_mib']:,.0f} MiB, tree PSS {m['tree_pss_mib'] or 0:,.0f} MiB, "
              f"{large['output']['bytes']:,} bytes")
    print()
    print(target_table(found))
    path = args.json or args.work / f"results-{args.docs}.json"
    path.write_text(json.dumps({
        "docs": args.docs, "runs": args.runs, "machine": about,
        "summary": summary,
        "each_run": [{"measures": {k: asdict(v) for k, v in run["measures"].items()},
                      **{k: v for k, v in run.items() if k != "measures"}} for run in runs],
        "serve": serve, "large": large, "broken": broken,
        "targets": [asdict(target) for target in found],
        "memory_note": "peak_rss_mib: ru_maxrss of wait4 (largest single process of the build, reaped workers "
                       "included); tree_pss_mib: peak of the sampled summed PSS of the live process tree",
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
