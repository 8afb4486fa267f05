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


@dataclass(frozen=True)
class Layer:
    """One timed phase of the build: a dbt selection (and exclusion) with its tests."""

    name: str
    select: tuple[str, ...]
    exclude: tuple[str, ...] = ()


# The build in dependency order, each layer its own `dbt build` process with its own wall
# time and peak memory. A few intermediate models read core marts (order items, loyalty),
# so the layers follow the graph rather than the folders: each takes what the next needs.
# `buildable` indirect selection runs a test with the layer of its last parent.
LAYERS = (
    Layer("staging: raw files read, triaged and cleaned", ("+path:models/staging",)),
    Layer(
        "intermediate: identity, orders, features (and the core marts they read)",
        ("+path:models/intermediate",),
        ("+path:models/staging",),
    ),
    Layer(
        "marts: analytics, predictions, semantic layer",
        ("fqn:*",),
        ("+path:models/intermediate", "+path:models/staging"),
    ),
)


def dbt_layer_command(dbt: Path, layer: Layer, project: Path, target: Path) -> list[str]:
    """The `dbt build` command line of one layer, writing its artifacts under `target`."""
    return [
        str(dbt),
        "build",
        "--select",
        *layer.select,
        *(["--exclude", *layer.exclude] if layer.exclude else []),
        "--indirect-selection",
        "buildable",
        "--profiles-dir",
        str(project),
        "--project-dir",
        str(project),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]


def python_model_seconds(run_results: Path) -> dict[str, float]:
    """Execution time of every dbt Python model in one run, slowest first."""
    manifest = _load_manifest(run_results.parent / "manifest.json")
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    seconds = {}
    for result in results:
        node = manifest["nodes"].get(result["unique_id"], {})
        if node.get("resource_type") == "model" and node.get("language") == "python":
            seconds[node["name"]] = float(result["execution_time"])
    return dict(sorted(seconds.items(), key=lambda item: -item[1]))


def slowest_nodes(run_results: Path, count: int = 10) -> list[tuple[str, float]]:
    """The `count` slowest models of one run, as (name, seconds)."""
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    models = [
        (result["unique_id"].split(".")[-1], float(result["execution_time"]))
        for result in results
        if result["unique_id"].startswith("model.")
    ]
    return sorted(models, key=lambda item: -item[1])[:count]


def replace_section(document: str, section: str, start: str, end: str) -> str:
    """Put `section` between the `start` and `end` marker lines of `document`.

    Without markers yet, the section (with its markers) goes after the first heading's
    introduction, ahead of the older measurements.
    """
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in document and end in document:
        head, rest = document.split(start, 1)
        return head + block + rest.split(end, 1)[1]
    lines = document.splitlines(keepends=True)
    second_heading = next(
        (index for index, line in enumerate(lines) if line.startswith("## ")), len(lines)
    )
    return "".join(lines[:second_heading]) + block + "\n\n" + "".join(lines[second_heading:])


def markdown_table(rows: list[tuple[int, PhaseResult, dict[str, int | str]]]) -> str:
    """Render (customers, phase result, counts) rows as a Markdown table."""
    lines = [
        "| customers | phase | wall time (s) | peak memory (MiB) | rows |",
        "|---:|---|---:|---:|---|",
    ]
    for customers, result, counts in rows:
        count_text = ", ".join(
            f"{name} {value:,}" if isinstance(value, int) else f"{name} {value}"
            for name, value in counts.items()
        )
        lines.append(
            f"| {customers:,} | {result.phase} | {result.seconds:,.1f} | "
            f"{result.peak_mib:,.0f} | {count_text} |"
        )
    return "\n".join(lines)
