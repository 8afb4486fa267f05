"""dbt in-process on a manifest parsed once, for test files that invoke dbt many times.

Parsing the project takes several seconds; vars, RAW_DATA_DIR and WAREHOUSE_PATH are
all read when the run executes, so one parsed manifest serves every invocation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from tests.conftest import ROOT, DbtRun


class ParsedDbt:
    """Parse the project once under `base`, then invoke dbt on that manifest."""

    _shared: ParsedDbt | None = None

    @classmethod
    def shared(cls, tmp_path_factory: pytest.TempPathFactory) -> ParsedDbt:
        """One parsed project per test session, for every test file that needs one."""
        if cls._shared is None:
            cls._shared = cls(tmp_path_factory.mktemp("parsed_dbt"))
        return cls._shared

    def __init__(self, base: Path) -> None:
        self.base = base
        self.manifest = None
        parsed = self.invoke(["parse"], base / "raw", base / "warehouse.duckdb")
        assert parsed.success, parsed.text
        self.manifest = self._result

    def invoke(self, args: list[str], raw_dir: Path, warehouse: Path) -> DbtRun:
        # The manifest names the database after the parse's file: keep the file name.
        assert warehouse.name == "warehouse.duckdb", warehouse
        messages: list[str] = []
        previous = {key: os.environ.get(key) for key in ("RAW_DATA_DIR", "WAREHOUSE_PATH")}
        os.environ["RAW_DATA_DIR"] = str(raw_dir)
        os.environ["WAREHOUSE_PATH"] = str(warehouse)
        try:
            runner = dbtRunner(
                manifest=self.manifest, callbacks=[lambda event: messages.append(event.info.msg)]
            )
            result = runner.invoke(
                [
                    *args,
                    "--project-dir",
                    str(ROOT),
                    "--profiles-dir",
                    str(ROOT),
                    "--target-path",
                    str(self.base / "target"),
                    "--log-path",
                    str(self.base / "target" / "logs"),
                    "--quiet",
                ]
            )
            self._result = result.result
            return DbtRun(result.success, result.exception, messages)
        finally:
            # dbt-duckdb keeps its DuckDB instance open in-process; release the file.
            DuckDBConnectionManager.close_all_connections()
            for key, value in previous.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
