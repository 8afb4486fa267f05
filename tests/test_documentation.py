"""Every model has a YAML file beside it, and every mart column is described there.

The marts are what BI tools and people read: a column that reaches `marts` without a
description (or a description that names another column) fails here, whatever dbt allows.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import ROOT, Build, run_dbt

MODELS = ROOT / "models"


def _documented_models() -> dict[str, dict]:
    """Model name -> its YAML entry, across every .yml under models/."""
    entries: dict[str, dict] = {}
    for path in MODELS.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            entries[model["name"]] = {**model, "_path": path}
    return entries


def test_every_model_has_its_own_yaml_beside_it() -> None:
    missing = []
    for model in [*MODELS.rglob("*.sql"), *MODELS.rglob("*.py")]:
        if not model.with_suffix(".yml").exists():
            missing.append(str(model.relative_to(ROOT)))
    assert not missing, f"models without a .yml beside them: {missing}"


def test_every_model_is_described() -> None:
    entries = _documented_models()
    for model in [*MODELS.rglob("*.sql"), *MODELS.rglob("*.py")]:
        entry = entries.get(model.stem)
        assert entry is not None, f"{model.name} is not in any YAML file"
        assert len(str(entry.get("description", "")).strip()) > 20, model.name


@pytest.fixture(scope="module")
def mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' order by table_name, ordinal_position"
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_every_mart_column_is_described(mart_columns: dict[str, list[str]]) -> None:
    entries = _documented_models()
    assert len(mart_columns) >= 40, "the analytics marts are missing from the warehouse"
    undocumented = []
    for table, columns in mart_columns.items():
        described = {
            column["name"]: str(column.get("description", "")).strip()
            for column in entries[table].get("columns", [])
        }
        undocumented += [f"{table}.{c}" for c in columns if len(described.get(c, "")) < 3]
    assert not undocumented, f"mart columns without a description: {undocumented}"


def test_every_mart_yaml_lists_only_real_columns(mart_columns: dict[str, list[str]]) -> None:
    entries = _documented_models()
    stale = []
    for table, columns in mart_columns.items():
        stale += [
            f"{table}.{column['name']}"
            for column in entries[table].get("columns", [])
            if column["name"] not in columns
        ]
    assert not stale, f"documented columns the marts do not have: {stale}"


def test_marts_enforce_their_contracts(mart_columns: dict[str, list[str]]) -> None:
    entries = _documented_models()
    # dbt cannot enforce a contract on a Python model; it casts its columns itself.
    python_models = {path.stem for path in (MODELS / "marts").rglob("*.py")}
    unenforced = [
        table
        for table in mart_columns
        if table not in python_models
        and not (entries[table].get("config", {}).get("contract", {}) or {}).get("enforced")
    ]
    assert not unenforced, f"marts without an enforced contract: {unenforced}"


def test_yaml_paths_are_in_the_models_folder() -> None:
    assert all(
        Path(entry["_path"]).is_relative_to(MODELS) for entry in _documented_models().values()
    )


def test_docs_generate_offline(build: Build, tmp_path: Path) -> None:
    """`dbt docs generate` works without a network and catalogues every mart."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(build.warehouse, warehouse)
    result = run_dbt(["docs", "generate"], build.raw_dir, warehouse, tmp_path / "target")
    assert result.success, result.text[-2000:]
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    marts = {
        node["metadata"]["name"]
        for node in catalog["nodes"].values()
        if node["metadata"]["schema"] == "marts"
    }
    assert {"dim_customers", "customer_rfm", "kpi_daily", "customer_clv"} <= marts
    # The page is one self-contained file: no scripts or styles fetched from elsewhere.
    page = (tmp_path / "target" / "index.html").read_text(encoding="utf-8")
    assert '<script src="http' not in page and '<link href="http' not in page


def test_every_mart_tests_its_key(mart_columns: dict[str, list[str]]) -> None:
    entries = _documented_models()

    def tests_of(entry: dict) -> list:
        found = list(entry.get("data_tests", []) or [])
        for column in entry.get("columns", []):
            found += [
                {"unique": column["name"]} if test == "unique" else test
                for test in column.get("data_tests", []) or []
            ]
        return found

    without_key = [
        table
        for table in mart_columns
        if not any(
            (
                isinstance(test, dict)
                and ("unique" in test or "unique_combination_of_columns" in test)
            )
            for test in tests_of(entries[table])
        )
    ]
    assert not without_key, f"marts without a test on their key: {without_key}"
