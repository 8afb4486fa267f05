"""Top keywords of NPS detractor comments and negative reviews, per source and language.

A thin wrapper around `customer_analytics.python_marts.FEEDBACK_KEYWORDS` (the text work is
`customer_analytics.feedback_keywords.count_keywords`: jieba dictionary segmentation for
Chinese, word tokenising for English, stop words out). dbt cannot enforce a contract on a
Python model: the result is cast to the mart's column types.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.python_marts import FEEDBACK_KEYWORDS, dbt_relation


def model(dbt: Any, session: Any) -> Any:
    frames = {"int_feedback_texts": dbt.ref("int_feedback_texts").df()}
    settings = {"top_n": dbt.config.get("top_n")}
    return dbt_relation(FEEDBACK_KEYWORDS, frames, settings, session)
