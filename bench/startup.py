"""Start-up of csintake's commands against a bare typer app with the same commands.

    python bench/startup.py [--runs N]

Targets: ``csintake --help`` within 1.15x of the bare app's ``--help``; ``csintake brief
SESSION --format markdown`` within 1.5x of it. The bare app running ``brief`` with no body is
printed too: typer converts a command's parameters with pydantic, so that is the floor any
command reaches before doing any work of its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import report, time_commands

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
ANSWERS = ROOT / "tests" / "data" / "answers-both.yaml"


def compile_sources() -> None:
    """Bytecode for csintake and the bare app, as an install has (pip compiles at install
    time; an editable install with PYTHONDONTWRITEBYTECODE would compile every run)."""
    import compileall

    import csintake

    for folder in (Path(csintake.__file__).parent, BENCH):
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    compile_sources()
    py = sys.executable
    # Imported as a module, as csintake is, so that both start from compiled bytecode.
    bare = [
        py,
        "-c",
        f"import sys; sys.path.insert(0, {str(BENCH)!r}); import bare_app; bare_app.app()",
    ]
    csintake = [py, "-m", "csintake"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CSINTAKE_HOME": tmp}
        made = subprocess.run(
            [*csintake, "interview", "--no-input", "--client", "Ames", "--answers", str(ANSWERS)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        session = made.stdout.strip()
        times = time_commands(
            {
                "bare --help": [*bare, "--help"],
                "bare brief (no body)": [*bare, "brief", session, "--format", "markdown"],
                "csintake --help": [*csintake, "--help"],
                "brief --format markdown": [*csintake, "brief", session, "--format", "markdown"],
                "brief --format json": [*csintake, "brief", session, "--format", "json"],
                "sessions (1 session)": [*csintake, "sessions"],
                "report (1 session)": [*csintake, "report"],
            },
            runs=runs,
            env=env,
        )
    help_ref = times["bare --help"]
    floor = times["bare brief (no body)"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {runs} runs")
    print(report("csintake --help", times["csintake --help"], help_ref, 1.15))
    print(report("brief --format markdown", times["brief --format markdown"], help_ref, 1.5))
    print(report("bare app running brief (floor)", floor, help_ref, 1.5))
    print(report("brief --format markdown vs floor", times["brief --format markdown"], floor, 1.5))
    for name in ("brief --format json", "sessions (1 session)", "report (1 session)"):
        print(f"{name}: {times[name] * 1000:.1f} ms ({times[name] / help_ref:.2f}x bare --help)")


if __name__ == "__main__":
    main()
