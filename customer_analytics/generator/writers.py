"""Writing raw files: CSV (UTF-8, header, double-quote quoting), Parquet, JSON lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CSV_OPTIONS = pacsv.WriteOptions(include_header=True, delimiter=",", quoting_style="needed")


class OutputFolderError(ValueError):
    """An output folder that must not be wiped or written."""


def reset_directory(path: Path) -> None:
    """Delete a directory tree if it exists and create it empty.

    Refuses folders that hold the working directory or a git repository, so a wrong
    --out cannot wipe a project.
    """
    resolved = path.resolve()
    if resolved == Path(resolved.anchor) or Path.cwd().resolve().is_relative_to(resolved):
        raise OutputFolderError(f"refusing to wipe {path}: it contains the working directory")
    if (resolved / ".git").exists():
        raise OutputFolderError(f"refusing to wipe {path}: it is a git repository")
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def write_csv(table: pa.Table, path: Path) -> None:
    """Write a table of text columns as CSV (nulls as empty fields)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = pa.table({name: pc.cast(table[name], pa.string()) for name in table.column_names})
    pacsv.write_csv(text, path, write_options=CSV_OPTIONS)


def write_parquet(table: pa.Table, path: Path, schema: pa.Schema) -> None:
    """Write a table with the contracted column types."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.select(schema.names).cast(schema), path, compression="zstd")


def _json_values(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """JSON text of string values: a quoted, escaped string or null."""
    text = pc.cast(values, pa.string())
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = pc.replace_substring(text, raw, escaped)
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    return pc.fill_null(quoted, "null")


def write_jsonl(table: pa.Table, path: Path) -> None:
    """Write one JSON object per line; every value is a JSON string or null."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts: list[pa.Array | str] = []
    for i, name in enumerate(table.column_names):
        parts.append(("{" if i == 0 else ",") + f'"{name}":')
        parts.append(_json_values(table[name]))
    parts.append("}\n")
    lines = pc.binary_join_element_wise(*parts, "")
    lines = pa.concat_arrays(lines.chunks) if isinstance(lines, pa.ChunkedArray) else lines
    lines = lines.cast(pa.large_string())
    with path.open("wb") as handle:
        if len(lines):
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
            start, stop = offsets[lines.offset], offsets[lines.offset + len(lines)]
            handle.write(memoryview(lines.buffers()[2])[start:stop])


class ChunkWriter:
    """Write one file from successive tables (CSV: text columns; Parquet: given schema)."""

    def __init__(self, path: Path, names: list[str], schema: pa.Schema | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.schema = schema
        if schema is None:
            text = pa.schema([(name, pa.string()) for name in names])
            self.writer: pacsv.CSVWriter | pq.ParquetWriter = pacsv.CSVWriter(
                path, text, write_options=CSV_OPTIONS
            )
            self.schema = text
        else:
            self.writer = pq.ParquetWriter(path, schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        """Append rows."""
        assert self.schema is not None
        self.writer.write_table(table.select(self.schema.names).cast(self.schema))

    def close(self) -> None:
        """Finish the file."""
        self.writer.close()


def split_parts(parts: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Row indices of each part value, in ascending part order (rows keep their order)."""
    order = np.argsort(parts, kind="stable")
    values, starts = np.unique(parts[order], return_index=True)
    bounds = list(starts[1:]) + [order.size]
    return [(int(v), order[s:e]) for v, s, e in zip(values, starts, bounds, strict=True)]
