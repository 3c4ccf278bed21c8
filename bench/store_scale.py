"""``csintake sessions`` and ``csintake report`` on a store of 10,000 sessions.

    python bench/store_scale.py [--sessions N] [--runs N] [--keep DIR]

Builds its own store (files written straight from a template with varied answers, on the
shipped bank), then times each command in a fresh process and reads the peak memory of that
process (``ru_maxrss`` of the waited child; a cold index build's worker processes are
children of it and count as well). "Cold" is the first run, which builds the index from
every file (in a process pool on a machine with more than one core); "warm" runs find it.
Targets, warm: ``sessions`` under 2 s, ``report`` under 5 s, peak memory under 200 MB. The
reference is reading every session file's bytes, in a fresh process, in the same run.
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


def measured(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory in MB of one run of ``argv``."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True, check=True
    )
    seconds, peak_kb = json.loads(out.stdout)
    return seconds, peak_kb / 1024


def line(name: str, seconds: float, peak: float, target: float, reference: float) -> str:
    verdict = "met" if seconds < target and peak < 200 else "NOT met"
    return (
        f"{name:<34} {seconds:6.2f} s  {peak:6.1f} MB  {seconds / reference:6.1f}x reference"
        f"  (target < {target:g} s and < 200 MB: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the store here and keep it")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    store = args.keep or tmp / "store"
    try:
        start = time.perf_counter()
        make_store(store, args.sessions)
        made = time.perf_counter() - start
        csintake = [sys.executable, "-m", "csintake", "--store", str(store)]
        csv_file = tmp / "report.csv"
        reference = statistics.median(
            measured([sys.executable, "-c", _READ_ALL, str(store)])[0] for _ in range(args.runs)
        )
        print(
            f"{args.sessions} sessions written in {made:.1f} s; {os.cpu_count()} cores; "
            f"warm figures are medians of {args.runs} runs"
        )
        print(f"{'reference: read every session file':<34} {reference:6.2f} s")
        index = store / ".index"
        for name, extra in (("sessions", ["sessions"]), ("report", ["report"])):
            shutil.rmtree(index, ignore_errors=True)
            seconds, peak = measured([*csintake, *extra])
            print(
                f"{name + ' (cold: builds the index)':<34} {seconds:6.2f} s  {peak:6.1f} MB"
                f"  {seconds / reference:6.1f}x reference  (no target)"
            )
        warm = {
            "sessions": (["sessions"], 2.0),
            "sessions --all": (["sessions", "--all"], 2.0),
            "sessions --json": (["sessions", "--json"], 2.0),
            "report": (["report"], 5.0),
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
