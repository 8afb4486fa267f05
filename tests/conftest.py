"""Shared fixtures: one generated sample and one dbt build per test session.

`make test` generates the small sample and builds it before pytest runs, and passes
their locations in TEST_DATA_DIR and TEST_WAREHOUSE; run alone, pytest makes its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

ROOT = Path(__file__).resolve().parents[1]
TEST_CUSTOMERS = 2000
TEST_SEED = 7


@dataclass(frozen=True)
class Build:
    """A generated sample and the warehouse built from it."""

    raw_dir: Path
    truth_dir: Path
    warehouse: Path

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)


def generate_sample(raw_dir: Path, truth_dir: Path, customers: int, seed: int) -> None:
    """Run the project's generator as a user would."""
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_data.py"),
            "--customers",
            str(customers),
            "--seed",
            str(seed),
            "--out",
            str(raw_dir),
            "--truth",
            str(truth_dir),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


@dataclass(frozen=True)
class DbtRun:
    """Outcome of one in-process dbt invocation, with the messages it logged."""

    success: bool
    exception: BaseException | None
    messages: list[str]
    # What dbt returned (the manifest, for `parse`).
    result: Any = None

    @property
    def text(self) -> str:
        return "\n".join([*self.messages, str(self.exception or "")])


def run_dbt(
    args: list[str], raw_dir: Path, warehouse: Path, target_path: Path, manifest: Any = None
) -> DbtRun:
    """Invoke dbt in-process against the given raw folder and warehouse file (on an already
    parsed `manifest` when given: vars and both paths are read when the run executes)."""
    messages: list[str] = []
    previous = {key: os.environ.get(key) for key in ("RAW_DATA_DIR", "WAREHOUSE_PATH")}
    os.environ["RAW_DATA_DIR"] = str(raw_dir)
    os.environ["WAREHOUSE_PATH"] = str(warehouse)
    try:
        runner = dbtRunner(
            manifest=manifest, callbacks=[lambda event: messages.append(event.info.msg)]
        )
        result = runner.invoke(
            [
                *args,
                "--project-dir",
                str(ROOT),
                "--profiles-dir",
                str(ROOT),
                "--target-path",
                str(target_path),
                "--log-path",
                str(target_path / "logs"),
                "--quiet",
            ]
        )
        return DbtRun(result.success, result.exception, messages, result.result)
    finally:
        # dbt-duckdb keeps its DuckDB instance open in-process; release the file so tests
        # can open it read-only.
        DuckDBConnectionManager.close_all_connections()
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    data_dir = os.environ.get("TEST_DATA_DIR")
    warehouse = os.environ.get("TEST_WAREHOUSE")
    if data_dir and warehouse and Path(warehouse).exists():
        yield Build(Path(data_dir) / "raw", Path(data_dir) / "truth", Path(warehouse))
        return
    base = tmp_path_factory.mktemp("sample")
    built = Build(base / "raw", base / "truth", base / "warehouse.duckdb")
    generate_sample(built.raw_dir, built.truth_dir, TEST_CUSTOMERS, TEST_SEED)
    result = run_dbt(["build"], built.raw_dir, built.warehouse, base / "target")
    assert result.success, f"dbt build failed: {result.text[-3000:]}"
    yield built


@pytest.fixture(scope="session")
def con(build: Build) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = build.connect()
    yield connection
    connection.close()
