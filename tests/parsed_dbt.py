"""dbt in-process on a manifest parsed once, for test files that invoke dbt many times.

Parsing the project takes several seconds; vars, RAW_DATA_DIR and WAREHOUSE_PATH are
all read when the run executes, so one parsed manifest serves every invocation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DbtRun, run_dbt


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
        self.manifest = parsed.result

    def invoke(self, args: list[str], raw_dir: Path, warehouse: Path) -> DbtRun:
        # The manifest names the database after the parse's file: keep the file name.
        assert warehouse.name == "warehouse.duckdb", warehouse
        return run_dbt(args, raw_dir, warehouse, self.base / "target", self.manifest)
