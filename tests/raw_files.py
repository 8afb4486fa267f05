"""Read raw export files with pandas, independently of the warehouse's SQL."""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]


def source_tables() -> dict[str, dict]:
    """Map `<source>.<table>` to its contract (files glob, format, column names)."""
    tables: dict[str, dict] = {}
    for path in sorted((ROOT / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                tables[f"{source['name']}.{table['name']}"] = {
                    "files": table["meta"]["files"],
                    "format": table["meta"]["format"],
                    "columns": [column["name"] for column in table["columns"]],
                }
    return tables


def read_raw(raw_dir: Path, source_name: str) -> pd.DataFrame:
    """All rows of one source table's files, every value as text (empty file list: empty)."""
    contract = source_tables()[source_name]
    paths = sorted(glob.glob(str(raw_dir / contract["files"])))
    frames = []
    for path in paths:
        if contract["format"] == "csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
        elif contract["format"] == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_json(path, lines=True, dtype=False)
        frames.append(frame[contract["columns"]])
    if not frames:
        return pd.DataFrame(columns=contract["columns"])
    return pd.concat(frames, ignore_index=True)
