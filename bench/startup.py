"""Start-up of csintake's commands against a bare typer app with the same commands.

    python bench/startup.py [--runs N]

Each command is measured against the bare app (bench/bare_app.py) running the same command
with an empty body, in interleaved runs: typer converts a command's parameters with pydantic
once a command is named, so that is the floor any command reaches before doing work of its
own. Targets: ``--help`` within 1.15x; ``brief SESSION --format markdown``, ``show SESSION``
and ``bank check BANK`` within 1.3x.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from common import report, time_commands

BENCH = Path(__file__).resolve().parent
# The ratio each command may take to the bare app running the same command.
TARGETS = {"--help": 1.15, "brief --format markdown": 1.3, "show": 1.3, "bank check": 1.3}
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
        bank = str(ROOT / "questions" / "library-customer-service.yaml")
        pairs = {
            "--help": ["--help"],
            "brief --format markdown": ["brief", session, "--format", "markdown"],
            "brief --format json": ["brief", session, "--format", "json"],
            "show": ["show", session],
            "bank check": ["bank", "check", bank],
            "sessions (1 session)": ["sessions"],
            "report (1 session)": ["report"],
        }
        commands: dict[str, Sequence[str]] = {}
        for name, argv in pairs.items():
            commands[f"bare {name}"] = [*bare, *argv]
            commands[f"csintake {name}"] = [*csintake, *argv]
        times = time_commands(commands, runs=runs, env=env)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {runs} runs")
    print("each command against the bare app running the same command with an empty body:")
    for name in pairs:
        target = TARGETS.get(name)
        mine, floor = times[f"csintake {name}"], times[f"bare {name}"]
        if target is None:
            print(f"{name}: {mine * 1000:.1f} ms vs {floor * 1000:.1f} ms = {mine / floor:.2f}x")
        else:
            print(report(name, mine, floor, target))
    bare_help = times["bare --help"]
    for name in ("brief --format markdown", "show", "bank check"):
        print(f"bare app {name}: {times[f'bare {name}'] / bare_help:.2f}x its own --help")


if __name__ == "__main__":
    main()
