"""Timing helpers shared by the benchmarks: repeated runs, medians, ratios to a reference."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Sequence


def time_command(argv: Sequence[str], runs: int = 15, env: dict[str, str] | None = None) -> float:
    """The median wall time of ``argv`` in seconds over ``runs`` runs (after one warm-up)."""
    subprocess.run(argv, check=False, capture_output=True, env=env)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, value: float, reference: float, target: float) -> str:
    """One line: the figure, its reference, the ratio and whether the target ratio is met."""
    ratio = value / reference
    verdict = "met" if ratio <= target else "NOT met"
    return (
        f"{name}: {value * 1000:.1f} ms vs reference {reference * 1000:.1f} ms"
        f" = {ratio:.2f}x (target {target:.2f}x: {verdict})"
    )


def time_commands(
    commands: dict[str, Sequence[str]], runs: int = 15, env: dict[str, str] | None = None
) -> dict[str, float]:
    """The median wall time of each command in seconds, measured in interleaved rounds (one
    run of each per round, after one warm-up each) so that a noisy machine slows all alike."""
    for argv in commands.values():
        subprocess.run(argv, check=False, capture_output=True, env=env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, check=False, capture_output=True, env=env)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}
