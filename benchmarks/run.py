"""Measure karabakh-site on a synthetic archive, against Hugo when it is installed.

    python benchmarks/run.py --docs 10000 --runs 3

Each run, in this order (Hugo interleaved so both see the same machine state):
  cold       fresh process, no cache, output folder absent
  warm       the same build again: warm .cache/, no change
  edit-doc   one document's text changed
  edit-terr  one territory's name changed (re-renders every page that shows it)
  hugo       Hugo's cold build of the same corpus (benchmarks/hugo_site.py)
and once, in one process: the `serve` rebuild after a one-document edit.
Prints a Markdown table (median and spread of wall time, peak RSS) and writes JSON.
Run it from the project folder (the theme is found there).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def measure(command: list[str], cwd: Path = PROJECT) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS in MiB of the process tree's largest)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def build_command(content: Path, out: Path, cache: Path | None, search: bool) -> list[str]:
    command = [sys.executable, "-m", "karabakh_site", "build", "-q", "--content", str(content), "--out", str(out)]
    command += ["--cache", str(cache)] if cache else ["--no-cache"]
    return command if search else command + ["--no-search"]


def prepare(work: Path, docs: int) -> tuple[Path, Path | None]:
    content = work / f"content-{docs}"
    if not content.is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--docs", str(docs), "--out", str(content)], check=True,
                       stdout=subprocess.DEVNULL)
    hugo_site = None
    if shutil.which("hugo"):
        hugo_site = work / f"hugo-{docs}"
        if not hugo_site.is_dir():
            subprocess.run([sys.executable, str(HERE / "hugo_site.py"), "--content", str(content), "--out", str(hugo_site)],
                           check=True, stdout=subprocess.DEVNULL)
    return content, hugo_site


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"benchmark edit: {old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def one_run(content: Path, hugo_site: Path | None, work: Path, search: bool) -> dict[str, tuple[float, int]]:
    out, cache = work / "out", work / "cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    results = {"cold": measure(build_command(content, out, cache, search))}
    results["warm"] = measure(build_command(content, out, cache, search))
    document = sorted((content / "articles").glob("*.md"))[len(list((content / "articles").glob("*.md"))) // 2]
    original_document = edit(document, "\n\n", "\n\nAn edited sentence for the benchmark.\n\n")
    results["edit-doc"] = measure(build_command(content, out, cache, search))
    chronology = content / "chronology.yaml"
    original_chronology = chronology.read_text(encoding="utf-8")
    first_name = next(line for line in original_chronology.splitlines() if line.strip().startswith("name:"))
    edit(chronology, first_name, first_name.rstrip('"') + " (renamed)" + ('"' if first_name.endswith('"') else ""))
    results["edit-terr"] = measure(build_command(content, out, cache, search))
    document.write_text(original_document, encoding="utf-8")
    chronology.write_text(original_chronology, encoding="utf-8")
    if hugo_site:
        hugo_out = work / "hugo-out"
        shutil.rmtree(hugo_out, ignore_errors=True)
        results["hugo"] = measure(["hugo", "--quiet", "-s", str(hugo_site), "-d", str(hugo_out)])
    return results


def serve_rebuild(content: Path, work: Path) -> float:
    """Seconds for the `serve` rebuild after one document's edit (in-process, warm)."""
    script = f"""
import sys, time
from pathlib import Path
from karabakh_site.build import BuildOptions, build
from karabakh_site.serve import PreviewState, rebuild
options = BuildOptions(content=Path({str(content)!r}), out=Path({str(work / 'serve-out')!r}), search=False, workers=2)
state = PreviewState()
state.files = build(options, state.cache).files
import dataclasses
options = dataclasses.replace(options, workers=1)
document = sorted(options.content.joinpath("articles").glob("*.md"))[0]
text = document.read_text()
document.write_text(text.replace("\\n\\n", "\\n\\nAnother edited sentence.\\n\\n", 1))
started = time.perf_counter()
line = rebuild(options, state)
print(time.perf_counter() - started, line)
document.write_text(text)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True)
    return float(result.stdout.split()[0])


def summarise(runs: list[dict[str, tuple[float, int]]]) -> dict[str, dict[str, float]]:
    summary = {}
    for scenario in runs[0]:
        seconds = [run[scenario][0] for run in runs]
        summary[scenario] = {"median_s": statistics.median(seconds), "min_s": min(seconds), "max_s": max(seconds),
                             "peak_rss_mib": max(run[scenario][1] for run in runs)}
    return summary


def table(summary: dict[str, dict[str, float]], docs: int, runs: int, serve_seconds: float) -> str:
    hugo = summary.get("hugo", {}).get("median_s")
    lines = [f"N = {docs:,} documents, {runs} runs, medians", "",
             "| scenario | median | spread | ratio to Hugo cold | peak RSS |", "|---|---:|---:|---:|---:|"]
    for scenario, figures in summary.items():
        ratio = f"{figures['median_s'] / hugo:.2f}×" if hugo else "–"
        lines.append(f"| {scenario} | {figures['median_s']:.2f} s | {figures['min_s']:.2f}–{figures['max_s']:.2f} s "
                     f"| {ratio} | {figures['peak_rss_mib']:.0f} MiB |")
    ratio = f"{serve_seconds / hugo:.2f}×" if hugo else "–"
    lines.append(f"| serve rebuild, one document edited | {serve_seconds:.2f} s | – | {ratio} | – |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/karabakh-bench"))
    parser.add_argument("--search", action="store_true", help="also build the search index (Hugo builds none)")
    parser.add_argument("--json", type=Path, help="write the figures here (default: WORK/results-N.json)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    content, hugo_site = prepare(args.work, args.docs)
    runs = [one_run(content, hugo_site, args.work, args.search) for _ in range(args.runs)]
    serve_seconds = serve_rebuild(content, args.work)
    summary = summarise(runs)
    print(table(summary, args.docs, args.runs, serve_seconds))
    output = args.json or args.work / f"results-{args.docs}.json"
    output.write_text(json.dumps({"docs": args.docs, "runs": runs, "summary": summary, "serve_rebuild_s": serve_seconds,
                                  "search": args.search}, indent=2))
    print(f"\nJSON: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
