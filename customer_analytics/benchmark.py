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


def node_seconds_by_folder(run_results: Path, depth: int = 3) -> dict[str, float]:
    """Sum dbt's per-node execution times by model folder (`models/intermediate/identity`).

    Tests and seeds are grouped as `tests` and `seeds`. Threads overlap, so the sums can
    exceed the wall time of the build.
    """
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    totals: dict[str, float] = {}
    for result in results:
        unique_id = result["unique_id"]
        kind = unique_id.split(".")[0]
        if kind == "model":
            path = result.get("relation_name") or unique_id
            folder = _model_folder(unique_id, run_results.parent, depth) or path
        else:
            folder = {"test": "tests", "unit_test": "tests", "seed": "seeds"}.get(kind, kind)
        totals[folder] = totals.get(folder, 0.0) + float(result["execution_time"])
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def _model_folder(unique_id: str, target_dir: Path, depth: int) -> str | None:
    manifest_path = target_dir / "manifest.json"
    if not manifest_path.exists():
        return None
    manifest = _load_manifest(manifest_path)
    node = manifest["nodes"].get(unique_id)
    if node is None:
        return None
    return "/".join(Path(node["original_file_path"]).parts[:depth])


_MANIFESTS: dict[Path, dict] = {}


def _load_manifest(path: Path) -> dict:
    if path not in _MANIFESTS:
        _MANIFESTS[path] = json.loads(path.read_text(encoding="utf-8"))
    return _MANIFESTS[path]


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
