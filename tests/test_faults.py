"""Faults: a killed build, two builds in a row, readers during a build (issue 7).

DuckDB allows one writer or many readers per file, so `scripts/build_warehouse.py` builds
into a side file and publishes it with an atomic rename (customer_analytics/publish.py).
These tests build a small generated sample with that script, as `make build` does, and
compare marts by a content fingerprint (row count and an order-independent sum of row
hashes). The warehouse builds skip dbt's data tests: `make test` runs those.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from customer_analytics.publish import (
    BuildLockedError,
    build_and_publish,
    layout_for,
    target_type,
    wal_path,
)
from tests.conftest import ROOT, generate_sample

SAMPLE_CUSTOMERS = 400
SAMPLE_SEED = 11
# Seeds and every model, without dbt's data and unit tests (each test is a node to run).
MODELS_ONLY = ["--exclude-resource-type", "test", "unit_test"]
# The killed build is stopped once this many models have finished (of ~165).
KILL_AFTER_MODELS = 25
# The mart the readers query during a build of it and its ~35 upstream models.
READER_MART = "fct_orders"

Fingerprint = tuple[int, int]


@dataclass(frozen=True)
class Sample:
    raw_dir: Path
    base: Path

    @property
    def published(self) -> Path:
        return self.base / "published" / "warehouse.duckdb"


def _fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> Fingerprint:
    count, total = con.execute(
        f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from marts."{table}" as t'
    ).fetchone()
    return int(count), int(total)


def mart_fingerprints(warehouse: Path) -> dict[str, Fingerprint]:
    """Fingerprint of every table of the marts schema."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
        return {name: _fingerprint(con, name) for (name,) in tables}
    finally:
        con.close()


def assert_same_marts(actual: Path, expected: Path) -> None:
    """Every mart of `actual` equals the one of `expected`, bit for bit."""
    got, want = mart_fingerprints(actual), mart_fingerprints(expected)
    assert sorted(got) == sorted(want), "the two warehouses hold different marts"
    assert len(want) > 30, f"only {len(want)} marts were built"
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, f"marts differ between the builds: {differing}"


def build_command(published: Path, target: Path, *dbt_args: str) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "scripts" / "build_warehouse.py"),
        "--warehouse",
        str(published),
        *dbt_args,
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--quiet",
    ]


def start_build(sample: Sample, published: Path, *dbt_args: str) -> subprocess.Popen[str]:
    """Start the build script in its own process group (so the whole group can be killed)."""
    target = sample.base / "target"
    log = target / "logs" / "dbt.log"
    log.unlink(missing_ok=True)
    return subprocess.Popen(
        build_command(published, target, *dbt_args),
        cwd=ROOT,
        env={**os.environ, "RAW_DATA_DIR": str(sample.raw_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run_build(sample: Sample, published: Path, *dbt_args: str) -> str:
    process = start_build(sample, published, *dbt_args)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, f"build failed:\n{output[-3000:]}"
    return output


def finished_models(sample: Sample) -> int:
    log = sample.base / "target" / "logs" / "dbt.log"
    if not log.exists():
        return 0
    text = log.read_text(encoding="utf-8", errors="replace")
    return len(re.findall(r"Finished running node model\.", text))


def published_copy(sample: Sample, clean_build: Path) -> Path:
    """The clean build as the published warehouse every test builds on.

    Always the same path: dbt reparses the whole project when the warehouse path in the
    profile changes, and the side file's path follows the published one.
    """
    shutil.copyfile(clean_build, sample.published)
    return sample.published


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    base = tmp_path_factory.mktemp("faults")
    generate_sample(base / "raw", base / "truth", SAMPLE_CUSTOMERS, SAMPLE_SEED)
    (base / "published").mkdir()
    return Sample(base / "raw", base)


@pytest.fixture(scope="module")
def clean_build(sample: Sample) -> Path:
    """A from-scratch build, published; tests copy it and never change it."""
    run_build(sample, sample.published, "--full-refresh", *MODELS_ONLY)
    clean = sample.base / "clean" / sample.published.name
    clean.parent.mkdir()
    shutil.copyfile(sample.published, clean)
    return clean


def test_two_consecutive_builds_give_identical_marts(sample: Sample, clean_build: Path) -> None:
    published = published_copy(sample, clean_build)
    run_build(sample, published, *MODELS_ONLY)
    assert_same_marts(published, clean_build)


def test_killed_build_leaves_published_intact_and_rebuild_matches_clean_build(
    sample: Sample, clean_build: Path
) -> None:
    published = published_copy(sample, clean_build)
    before = mart_fingerprints(published)
    inode = published.stat().st_ino
    process = start_build(sample, published, *MODELS_ONLY)
    deadline = time.monotonic() + 300
    while finished_models(sample) < KILL_AFTER_MODELS:
        assert process.poll() is None, f"the build ended before it could be killed: {process}"
        assert time.monotonic() < deadline, "the build made no progress"
        time.sleep(0.1)
    # Mid-build, the published file is the previous build, readable as ever.
    assert mart_fingerprints(published) == before
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    layout = layout_for(published)
    assert layout.side.exists(), "the killed build left no side file: was it killed mid-run?"
    assert published.stat().st_ino == inode
    assert not wal_path(published).exists()
    assert mart_fingerprints(published) == before

    output = run_build(sample, published, *MODELS_ONLY)
    assert f"Discarded {published.name}" in output
    assert sorted(path.name for path in layout.build_dir.iterdir()) == ["build.lock"]
    assert_same_marts(published, clean_build)


HELD_READER = """
import json, sys, time, pathlib
import duckdb
warehouse, table, stop = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
con = duckdb.connect(warehouse, read_only=True)
query = f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from marts."{table}" as t'
print(json.dumps(["ready"]), flush=True)
while not stop.exists():
    count, total = con.execute(query).fetchone()
    print(json.dumps([int(count), str(total)]), flush=True)
    time.sleep(0.05)
"""


def reconnecting_reader(
    warehouse: Path, stop: threading.Event, seen: list[Fingerprint], errors: list[str]
) -> Callable[[], None]:
    """A BI tool that reconnects read-only for every query."""

    def loop() -> None:
        # One last query after `stop`, which is set once the build has published.
        while True:
            stopping = stop.is_set()
            try:
                con = duckdb.connect(str(warehouse), read_only=True)
                try:
                    seen.append(_fingerprint(con, READER_MART))
                finally:
                    con.close()
            except duckdb.Error as error:
                errors.append(str(error))
            if stopping:
                return
            time.sleep(0.05)

    return loop


def test_readers_during_a_build_see_whole_builds_and_do_not_fail_it(
    sample: Sample, clean_build: Path
) -> None:
    published = published_copy(sample, clean_build)
    # The published build differs from what the new build gives: a tenth of its rows gone.
    writer = duckdb.connect(str(published))
    writer.execute(f"delete from marts.{READER_MART} where rowid % 10 = 0")
    writer.close()
    old = mart_fingerprints(published)[READER_MART]
    stop_file = sample.base / "stop"
    holder = subprocess.Popen(
        [sys.executable, "-c", HELD_READER, str(published), READER_MART, str(stop_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert json.loads(holder.stdout.readline()) == ["ready"]
    stop, seen, errors = threading.Event(), [], []
    reader = threading.Thread(target=reconnecting_reader(published, stop, seen, errors))
    reader.start()
    try:
        run_build(sample, published, "-s", f"+{READER_MART}", *MODELS_ONLY)
        time.sleep(0.5)  # the held reader keeps querying after the publish
    finally:
        stop.set()
        reader.join()
        stop_file.touch()
    held_output, held_errors = holder.communicate(timeout=60)

    new = mart_fingerprints(published)[READER_MART]
    assert new == mart_fingerprints(clean_build)[READER_MART] != old
    assert not errors, f"the reconnecting reader failed: {errors[:3]}"
    assert len(seen) > 10
    assert set(seen) <= {old, new}, "a reader saw a mix of two builds"
    # Old build first, then the new one for good: no reader goes back to the old file.
    assert seen[0] == old and seen[-1] == new
    assert all(value == new for value in seen[seen.index(new) :])
    held = [tuple(json.loads(line)) for line in held_output.splitlines()]
    assert holder.returncode == 0, held_errors
    assert len(held) > 10
    # The reader that held its connection through the publish kept the old snapshot.
    assert {(count, int(total)) for count, total in held} == {old}


def _write_table(database: Path, value: int) -> None:
    con = duckdb.connect(str(database))
    try:
        con.execute("create or replace table marker as select ? as value", [value])
    finally:
        con.close()


def _marker(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute("select value from marker").fetchone()[0]
    finally:
        con.close()


def test_failed_build_keeps_published_file_and_next_build_starts_clean(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    _write_table(published, 1)
    content = published.read_bytes()

    def fail(side: Path) -> bool:
        _write_table(side, 2)
        return False

    outcome = build_and_publish(published, fail)
    assert not outcome.published and outcome.copied_from_published
    assert published.read_bytes() == content
    assert layout_for(published).side.exists()

    def succeed(side: Path) -> bool:
        assert _marker(side) == 1, "the side file must start as a copy of the published one"
        _write_table(side, 3)
        return True

    outcome = build_and_publish(published, succeed)
    assert outcome.published
    assert [path.name for path in outcome.discarded] == ["warehouse.duckdb"]
    assert _marker(published) == 3


def test_full_refresh_starts_from_an_empty_file(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    _write_table(published, 1)

    def starts_empty(side: Path) -> bool:
        assert not side.exists()
        _write_table(side, 2)
        return True

    assert build_and_publish(published, starts_empty, full_refresh=True).published
    assert _marker(published) == 2


def test_second_build_is_refused_while_one_runs(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    started, release = threading.Event(), threading.Event()

    def slow(side: Path) -> bool:
        started.set()
        release.wait(timeout=30)
        _write_table(side, 1)
        return True

    first = threading.Thread(target=build_and_publish, args=(published, slow))
    first.start()
    try:
        assert started.wait(timeout=30)
        with pytest.raises(BuildLockedError, match=rf"another build of .* \(pid {os.getpid()}\)"):
            build_and_publish(published, slow)
    finally:
        release.set()
        first.join()
    assert _marker(published) == 1


KILLED_LOCK_HOLDER = """
import sys, time
from pathlib import Path
from customer_analytics.publish import build_and_publish
def hang(side):
    print("building", flush=True)
    time.sleep(600)
    return True
build_and_publish(Path(sys.argv[1]), hang)
"""


def test_lock_of_a_killed_build_does_not_block_the_next(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOCK_HOLDER, str(published)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "building"
    with pytest.raises(BuildLockedError):
        build_and_publish(published, lambda side: True)
    holder.kill()
    holder.wait(timeout=30)

    def build(side: Path) -> bool:
        _write_table(side, 7)
        return True

    assert build_and_publish(published, build).published
    assert _marker(published) == 7


def test_build_that_writes_no_warehouse_publishes_nothing(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    with pytest.raises(RuntimeError, match="wrote no warehouse"):
        build_and_publish(published, lambda side: True)
    assert not published.exists()


def test_changes_in_a_leftover_wal_are_kept_and_the_wal_is_not_reused(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    _write_table(published, 1)
    con = duckdb.connect(str(published), config={"wal_autocheckpoint": "1TB"})
    con.execute("pragma disable_checkpoint_on_shutdown")
    con.execute("update marker set value = 5")
    con.close()
    assert wal_path(published).stat().st_size > 0

    def build(side: Path) -> bool:
        assert _marker(side) == 5, "the side file lacks the changes held in the WAL"
        return True

    assert build_and_publish(published, build).published
    assert not wal_path(published).exists()
    assert _marker(published) == 5


def test_only_duckdb_targets_are_published() -> None:
    profiles = {
        "p": {"target": "dev", "outputs": {"dev": {"type": "duckdb"}, "pg": {"type": "postgres"}}}
    }
    assert target_type(profiles, "p", None) == "duckdb"
    assert target_type(profiles, "p", "pg") == "postgres"
    with pytest.raises(ValueError, match="no target 'spark'"):
        target_type(profiles, "p", "spark")
    script = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_warehouse.py"), "--target", "nowhere"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert script.returncode == 2
    assert "profile 'customer_analytics' has no target 'nowhere'" in script.stderr
