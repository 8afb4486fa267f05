"""Time the phases of a full build and record their peak memory.

Each phase runs as its own child process, started through a small wrapper process whose
only child it is, so the wrapper's RUSAGE_CHILDREN peak is the phase's own peak resident
memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_WRAPPER = (
    "import json, resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps({'returncode': code, 'peak_kib': peak_kib}), file=sys.stderr)\n"
)


@dataclass(frozen=True)
class PhaseResult:
    """Wall time and peak resident memory of one phase."""

    phase: str
    seconds: float
    peak_mib: float


def run_phase(phase: str, command: list[str], env: dict[str, str], cwd: Path) -> PhaseResult:
    """Run `command` to completion; raise with its output when it fails."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    report_line = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "{}"
    report = json.loads(report_line) if report_line.startswith("{") else {}
    if completed.returncode != 0 or report.get("returncode") != 0:
        raise RuntimeError(
            f"phase '{phase}' failed ({' '.join(command)}):\n{completed.stdout[-4000:]}\n"
            f"{completed.stderr[-4000:]}"
        )
    return PhaseResult(phase, seconds, report["peak_kib"] / 1024)


def markdown_table(rows: list[tuple[int, PhaseResult, dict[str, int]]]) -> str:
    """Render (customers, phase result, counts) rows as a Markdown table."""
    lines = [
        "| customers | phase | wall time (s) | peak memory (MiB) | rows |",
        "|---:|---|---:|---:|---|",
    ]
    for customers, result, counts in rows:
        count_text = ", ".join(f"{name} {value:,}" for name, value in counts.items())
        lines.append(
            f"| {customers:,} | {result.phase} | {result.seconds:,.1f} | "
            f"{result.peak_mib:,.0f} | {count_text} |"
        )
    return "\n".join(lines)
