"""Build the DuckDB warehouse beside the published file and publish it atomically.

DuckDB allows one writer or many readers per database file, never both: a BI tool holding
the warehouse open read-only would make a build that writes it fail, and a build holding it
would refuse the BI tool. So the build never writes the file readers open (see DECISIONS.md,
"One writer, many readers: the build publishes a finished warehouse"):

- a build directory next to the published file (`<name>.build/`) holds the side file, under
  the same file name so that DuckDB's catalog name (and every view's references) match;
- the side file starts as a copy of the published one (incremental models keep their rows)
  or empty (`full_refresh`); dbt builds into it;
- on success it is checkpointed and renamed over the published path (`os.replace`, atomic
  on one file system): readers that hold the old file keep reading its snapshot (the old
  inode), readers that connect afterwards see the new build;
- a failed or killed build never touches the published file; the next build discards what
  it left in the build directory and starts again;
- one build at a time: an exclusive `flock` on `<name>.build/build.lock`, which the kernel
  releases when the process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

LOCK_NAME = "build.lock"


class BuildLockedError(RuntimeError):
    """Another build of the same warehouse is running."""


@dataclass(frozen=True)
class BuildLayout:
    """Where a build of one published warehouse file writes."""

    published: Path

    @property
    def build_dir(self) -> Path:
        return self.published.with_name(self.published.name + ".build")

    @property
    def side(self) -> Path:
        # Same file name as the published one: DuckDB names the catalog after the file, and
        # the views dbt creates refer to it ("warehouse"."staging"...).
        return self.build_dir / self.published.name

    @property
    def lock(self) -> Path:
        return self.build_dir / LOCK_NAME


@dataclass(frozen=True)
class BuildOutcome:
    """What one build did."""

    published: bool
    discarded: list[Path]
    copied_from_published: bool


def wal_path(database: Path) -> Path:
    """DuckDB's write-ahead log of a database file."""
    return database.with_name(database.name + ".wal")


def layout_for(published: Path) -> BuildLayout:
    """The build layout of a published warehouse path (made absolute)."""
    return BuildLayout(Path(os.path.abspath(published)))


@contextlib.contextmanager
def build_lock(layout: BuildLayout) -> Iterator[None]:
    """Hold the exclusive build lock of one warehouse, or fail at once with a clear message.

    `flock` belongs to the open file: when the holder dies (even by SIGKILL) the kernel
    releases it, so a killed build never blocks the next one. The lock file is never deleted
    (deleting a lock file another process may hold would let two builds in).
    """
    layout.build_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(layout.lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode(errors="replace").strip() or "unknown"
            raise BuildLockedError(
                f"another build of {layout.published} is running (pid {holder}); wait for it "
                f"to finish or stop it (its lock, {layout.lock}, is released when it ends)"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)


def discard_stale(layout: BuildLayout) -> list[Path]:
    """Remove what an earlier failed or killed build left (side file, WAL, spill folder).

    Call it only while holding the build lock. Returns the removed paths.
    """
    removed: list[Path] = []
    if not layout.build_dir.exists():
        return removed
    for entry in sorted(layout.build_dir.iterdir()):
        if entry.name == LOCK_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry)
    return removed


def prepare_side(layout: BuildLayout, full_refresh: bool) -> bool:
    """Start the side file: a copy of the published warehouse, or nothing (`full_refresh`).

    Returns whether the published file was copied. A WAL beside the published file (left by
    a writer that did not go through this build) is copied with it, so its changes are kept.
    """
    if full_refresh or not layout.published.exists():
        return False
    shutil.copyfile(layout.published, layout.side)
    published_wal = wal_path(layout.published)
    if published_wal.exists():
        shutil.copyfile(published_wal, wal_path(layout.side))
    return True


def checkpoint(database: Path) -> None:
    """Fold the WAL into the database file, so that the file alone is the whole build."""
    connection = duckdb.connect(str(database))
    try:
        connection.execute("checkpoint")
    finally:
        connection.close()
    if wal_path(database).exists() and wal_path(database).stat().st_size > 0:
        raise RuntimeError(f"{database} still has a write-ahead log after a checkpoint")


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(layout: BuildLayout) -> None:
    """Replace the published warehouse by the finished side file in one atomic rename."""
    if not layout.side.is_file():
        raise RuntimeError(
            f"the build wrote no warehouse at {layout.side} (was dbt run against another "
            "target?); nothing was published"
        )
    checkpoint(layout.side)
    wal_path(layout.side).unlink(missing_ok=True)
    _fsync(layout.side)
    # A WAL beside the published file belongs to the old file (its changes were copied into
    # the side file); next to the new file it would be replayed onto the wrong database.
    wal_path(layout.published).unlink(missing_ok=True)
    os.replace(layout.side, layout.published)
    _fsync(layout.published.parent)


def build_and_publish(
    published: Path,
    run_build: Callable[[Path], bool],
    full_refresh: bool = False,
) -> BuildOutcome:
    """Build into a side file with `run_build(side_path)` and publish it when that succeeds.

    `run_build` runs dbt (or anything else) against the given warehouse path and returns
    whether it succeeded. On failure the published file is left as it was and the side file
    stays in the build directory for inspection until the next build discards it.
    Raises BuildLockedError when another build of the same warehouse is running.
    """
    layout = layout_for(published)
    with build_lock(layout):
        discarded = discard_stale(layout)
        copied = prepare_side(layout, full_refresh)
        if not run_build(layout.side):
            return BuildOutcome(published=False, discarded=discarded, copied_from_published=copied)
        publish(layout)
        return BuildOutcome(published=True, discarded=discarded, copied_from_published=copied)


def target_type(profiles: dict[str, Any], profile: str, target: str | None) -> str:
    """The adapter type of a dbt target (`target: null` means the profile's default)."""
    entry = profiles[profile]
    name = target or entry["target"]
    if name not in entry["outputs"]:
        raise ValueError(f"profile {profile!r} has no target {name!r}")
    return str(entry["outputs"][name]["type"])


def run_dbt_in_process(args: list[str], warehouse: Path, project_dir: Path) -> bool:
    """Run one dbt command in this process against the given warehouse file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    previous = os.environ.get("WAREHOUSE_PATH")
    os.environ["WAREHOUSE_PATH"] = str(warehouse)
    try:
        result = dbtRunner().invoke(
            [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
        )
        return bool(result.success)
    finally:
        # dbt-duckdb keeps its DuckDB instance open in-process; close it before publishing.
        DuckDBConnectionManager.close_all_connections()
        if previous is None:
            os.environ.pop("WAREHOUSE_PATH", None)
        else:
            os.environ["WAREHOUSE_PATH"] = previous
