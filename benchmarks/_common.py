"""Timing for the benchmark scripts: runs of a function, their medians, the machine's load."""

import os
import statistics
import time


def timings(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of `runs` calls of `function`."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def median_seconds(function, runs: int) -> float:
    return statistics.median(timings(function, runs)[0])


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine the wall clock moves with them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
