"""Timing primitives: run a command, alternate two commands A B A B …, report medians.

Everything here is standard library: `subprocess` + `os.wait4` give each run's wall time
and its peak resident memory (ru_maxrss of that child, children included).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    seconds: float
    peak_kb: int  # ru_maxrss of the child (kilobytes on Linux)
    returncode: int
    output: str = ""


@dataclass
class Series:
    """Several runs of one command."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_kb for r in self.runs) / 1024

    @property
    def spread(self) -> str:
        times = sorted(r.seconds for r in self.runs)
        return f"{times[0]:.2f}–{times[-1]:.2f}"


@dataclass
class Comparison:
    name: str
    a: Series
    b: Series

    @property
    def ratio(self) -> float:
        return self.a.median / self.b.median


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float = 600) -> Run:
    """Run a command to completion; its wall time and peak memory, output captured."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    # Read the pipe to its end, then reap the child with wait4 for its own rusage
    # (Popen.wait would reap it first and the rusage would be lost).
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
        proc.stdout.close()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss, proc.returncode, output)


def alternate(name: str, a: tuple[str, callable], b: tuple[str, callable], times: int) -> Comparison:
    """Call a() and b() alternately (A B A B …) `times` times each; each returns a Run."""
    if times < 1:
        raise ValueError("times must be at least 1")
    series_a, series_b = Series(a[0]), Series(b[0])
    for _ in range(times):
        for (_, step), series in ((a, series_a), (b, series_b)):
            result = step()
            if result.returncode != 0:
                raise RuntimeError(f"{series.label} failed ({result.returncode}):\n{result.output[-3000:]}")
            series.runs.append(result)
    return Comparison(name, series_a, series_b)


def round_robin(steps: list[tuple[str, callable]], times: int) -> list[Series]:
    """Like `alternate` for more than two commands: 1 2 3 1 2 3 …"""
    series = [Series(label) for label, _ in steps]
    for _ in range(times):
        for (_, step), s in zip(steps, series, strict=True):
            result = step()
            if result.returncode != 0:
                raise RuntimeError(f"{s.label} failed ({result.returncode}):\n{result.output[-3000:]}")
            s.runs.append(result)
    return series


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
