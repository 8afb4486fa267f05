"""Identity resolution against the generator's ground truth, and no personal data in marts."""

from __future__ import annotations

import pandas as pd
import pytest

from customer_analytics.identity_evaluation import resolved_orders, score_identity
from tests.raw_files import read_raw


def test_every_identified_order_has_a_true_person(build) -> None:
    assert resolved_orders(build.warehouse, build.truth_dir)["person_id"].notna().all()


def test_merge_precision_and_recall_against_true_persons(build) -> None:
    score = score_identity(build.warehouse, build.truth_dir)
    print(f"\nidentity resolution: {score.describe()}")
    assert score.precision >= 0.99
    assert score.recall >= 0.99
    # Within 1% on the default sample (20,000 persons, see docs/benchmarks.md); a sample of
    # a few thousand persons varies more.
    tolerance = 0.01 if score.persons >= 10_000 else 0.02
    assert abs(score.customer_excess) <= tolerance


def test_placeholders_never_link_anyone(build, con) -> None:
    placeholders = pd.read_csv(build.truth_dir / "placeholders.csv")
    nodes = con.execute(
        "select split_part(node_key, '|', 2) as identifier_type, "
        "substr(node_key, length(split_part(node_key, '|', 1)) "
        "+ length(split_part(node_key, '|', 2)) + 3) as identifier_value "
        "from intermediate.int_identity_graph"
    ).df()
    linked = nodes.merge(placeholders, on=["identifier_type", "identifier_value"])
    assert linked.empty, linked


def test_no_customer_merges_persons_through_a_placeholder(build, con) -> None:
    resolved = resolved_orders(build.warehouse, build.truth_dir)
    persons_per_customer = resolved.groupby("customer_id")["person_id"].nunique()
    merged = set(persons_per_customer[persons_per_customer > 1].index)
    placeholders = pd.read_csv(build.truth_dir / "placeholders.csv")
    links = con.execute(
        "select records.identifier_type, records.identifier_value, customers.customer_id "
        "from intermediate.int_identity_records as records "
        "inner join intermediate.int_customer_records as customers "
        "on records.record_id = customers.record_id"
    ).df()
    through_placeholder = links.merge(placeholders, on=["identifier_type", "identifier_value"])
    assert not (set(through_placeholder["customer_id"]) & merged)


def _personal_values(build) -> set[str]:
    identifiers = pd.read_parquet(build.truth_dir / "identifiers.parquet")
    contacts = identifiers[identifiers["identifier_type"].isin(["email", "phone"])]
    crm = read_raw(build.raw_dir, "crm.customers")
    values = set(contacts["identifier_value"])
    for column in ("email", "phone", "birthday"):
        values |= {value.strip() for value in crm[column].dropna() if len(value.strip()) >= 6}
    values |= {value.strip().lower() for value in crm["email"].dropna() if value.strip()}
    # Chinese names are two or three characters: short, but still personal.
    values |= {value.strip() for value in crm["full_name"].dropna() if len(value.strip()) >= 2}
    return values


def test_no_raw_personal_data_in_any_mart_column(build) -> None:
    personal = pd.DataFrame({"value": sorted(_personal_values(build))})
    con = build.connect()
    con.register("personal_values", personal)
    columns = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts'"
    ).fetchall()
    leaks = []
    for table, column in columns:
        hits = con.execute(
            f'select count(*) from (select distinct cast("{column}" as varchar) as value '
            f'from marts."{table}") as mart_values '
            "inner join personal_values on mart_values.value = personal_values.value"
        ).fetchone()[0]
        if hits:
            leaks.append((table, column, hits))
    con.close()
    assert len(columns) > 20
    assert leaks == []


@pytest.mark.parametrize("source_name", ["crm", "app", "tmall", "jd"])
def test_source_ids_map_each_key_to_one_customer(con, source_name) -> None:
    duplicated = con.execute(
        "select count(*) from (select source_customer_id from marts.customer_source_ids "
        "where source_name = ? group by 1 having count(distinct customer_id) > 1)",
        [source_name],
    ).fetchone()[0]
    assert duplicated == 0
