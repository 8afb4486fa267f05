"""Top keywords of NPS detractor comments and negative reviews, per source and language.

A thin wrapper: the text work is `customer_analytics.feedback_keywords.count_keywords`
(jieba dictionary segmentation for Chinese, word tokenising for English, stop words out).
dbt cannot enforce a contract on a Python model, so the result is cast column by column
here, as the SQL marts do.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.feedback_keywords import count_keywords

COLUMN_TYPES: dict[str, str] = {
    "feedback_source": "varchar",
    "language": "varchar",
    "keyword": "varchar",
    "keyword_rank": "integer",
    "mentions": "bigint",
    "documents": "bigint",
    "source_documents": "bigint",
    "document_share": "decimal(10, 4)",
    "window_start_date": "date",
    "as_of_date": "date",
}


def model(dbt: Any, session: Any) -> Any:
    top_n = int(dbt.config.get("top_n"))
    documents = dbt.ref("int_feedback_texts").df()
    keywords = count_keywords(documents, top_n)
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in COLUMN_TYPES.items())
    return session.from_df(keywords).project(casts)
