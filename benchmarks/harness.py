"""Timing primitives: run a command, alternate two commands A B A B …, report medians.

Standard library plus GNU time: `subprocess` gives each run's wall time, /usr/bin/time -f %M
its peak resident memory (os.wait4's ru_maxrss when GNU time is missing).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
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


GNU_TIME = Path("/usr/bin/time")


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float = 600) -> Run:
    """Run a command to completion; its wall time and peak memory, output captured.

    Peak memory comes from GNU time (/usr/bin/time -f %M) when installed: the rusage of a child
    forked straight from this process also counts this process's own memory, resident when the
    child was forked (ru_maxrss is a high-water mark), so wait4's figure is only the fallback."""
    with tempfile.NamedTemporaryFile("r", suffix=".maxrss") as maxrss:
        if GNU_TIME.exists():
            cmd = [str(GNU_TIME), "-f", "%M", "-o", maxrss.name, *cmd]
        result = _run(cmd, cwd, env, timeout)
        lines = Path(maxrss.name).read_text().split()
        if GNU_TIME.exists() and lines and lines[-1].isdigit():
            result.peak_kb = int(lines[-1])
        return result


def _run(cmd: list[str], cwd: Path | None, env: dict | None, timeout: float) -> Run:
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
