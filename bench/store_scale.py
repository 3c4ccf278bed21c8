"""``csintake sessions`` and ``csintake report`` on a store of 10,000 sessions.

    python bench/store_scale.py [--sessions N] [--runs N] [--keep DIR] [--future]

Builds its own store (files written straight from a template with varied answers, on the
shipped bank; ``--keep DIR`` builds it there once and reuses it), then times each command in
a fresh process and reads the peak memory of that process (``ru_maxrss`` of the waited child;
a cold index build's worker processes are children of it and count as well). "Cold" runs
build the index from every file (in a process pool on a machine with more than one core);
their reference is libyaml's loader parsing every file, interleaved with them (target 1.3x).
"Warm" runs find the index; targets: ``sessions --json`` and ``report`` under 3 s, peak
memory under 300 MB, with reading every file's bytes as the reference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data import make_store

_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr.decode())
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps([seconds, peak]))
"""

_READ_ALL = """
import os, sys
total = 0
for entry in os.scandir(sys.argv[1]):
    if entry.name.endswith(".yaml"):
        with open(entry.path, "rb") as handle:
            total += len(handle.read())
"""

# The floor for building an index of a YAML store: libyaml's loader over every file.
_PARSE_ALL = """
import os, sys, yaml
for entry in os.scandir(sys.argv[1]):
    if entry.name.endswith(".yaml"):
        with open(entry.path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def measured(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory in MB of one run of ``argv``."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True, check=True
    )
    seconds, peak_kb = json.loads(out.stdout)
    return seconds, peak_kb / 1024


MEMORY_MB = 300.0


def line(name: str, seconds: float, peak: float, target: float, reference: float) -> str:
    verdict = "met" if seconds < target and peak < MEMORY_MB else "NOT met"
    return (
        f"{name:<34} {seconds:6.2f} s  {peak:6.1f} MB  {seconds / reference:6.1f}x reference"
        f"  (target < {target:g} s and < {MEMORY_MB:g} MB: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the store here and keep it")
    parser.add_argument(
        "--future", action="store_true", help="date many files in the future (see data.py)"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    store = args.keep or tmp / "store"
    try:
        start = time.perf_counter()
        if not (store / ".made").exists():
            make_store(store, args.sessions, future=args.future)
            (store / ".made").write_text(str(args.sessions))
        made = time.perf_counter() - start
        csintake = [sys.executable, "-m", "csintake", "--store", str(store)]
        csv_file = tmp / "report.csv"
        index = store / ".index"
        # A cold run is as long as parsing the whole store: half as many of them.
        cold_runs = max(1, args.runs // 2)
        print(
            f"{args.sessions} sessions written in {made:.1f} s; {os.cpu_count()} cores; "
            f"figures are medians of {args.runs} runs ({cold_runs} for a cold build)"
        )
        # Cold runs interleaved with the parse-all reference, so that both see the same load.
        parse: list[float] = []
        cold: dict[str, list[tuple[float, float]]] = {"sessions": [], "report": []}
        for _ in range(cold_runs):
            parse.append(measured([sys.executable, "-c", _PARSE_ALL, str(store)])[0])
            for name, runs in cold.items():
                shutil.rmtree(index, ignore_errors=True)
                runs.append(measured([*csintake, name]))
        parsed = statistics.median(parse)
        print(f"{'reference: libyaml parses every file':<34} {parsed:6.2f} s")
        for name, runs in cold.items():
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            ratio = seconds / parsed
            verdict = "met" if ratio <= 1.3 else "NOT met"
            print(
                f"{name + ' (cold: builds the index)':<34} {seconds:6.2f} s  {peak:6.1f} MB"
                f"  {ratio:6.2f}x parse-all  (target 1.3x: {verdict})"
            )
        reference = statistics.median(
            measured([sys.executable, "-c", _READ_ALL, str(store)])[0] for _ in range(args.runs)
        )
        print(f"{'reference: read every session file':<34} {reference:6.2f} s")
        warm = {
            "sessions": (["sessions"], 2.0),
            "sessions --all": (["sessions", "--all"], 2.0),
            "sessions --json": (["sessions", "--json"], 3.0),
            "report": (["report"], 3.0),
            "report --json": (["report", "--json"], 5.0),
            "report --csv FILE": (["report", "--csv", str(csv_file)], 5.0),
            "report --status complete": (["report", "--status", "complete"], 5.0),
        }
        for name, (extra, target) in warm.items():
            runs = [measured([*csintake, *extra]) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(line(f"{name} (warm)", seconds, peak, target, reference))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
