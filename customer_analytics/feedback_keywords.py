"""Top keywords of unhappy feedback (NPS detractor comments, negative reviews).

Chinese text is segmented with jieba's dictionary (no HMM guessing of unknown words, so
the result depends only on the dictionary); English text is lower-cased and split into
words. Stop words are dropped and a negation joins the next content word ("not fresh",
"不新鲜"). A keyword's language is its script: Chinese runs give `zh` keywords, the rest
`en`, so a mixed comment contributes to both.

`count_keywords` is what the `feedback_keywords` dbt model runs: per source and language
it counts mentions and documents of every keyword and keeps the top N.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

import jieba
import pandas as pd

from .feedback_stopwords import NEGATIONS_EN, NEGATIONS_ZH, STOP_WORDS_EN, STOP_WORDS_ZH

jieba.setLogLevel(logging.WARNING)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "feedback_source",
    "document_id",
    "document_text",
    "window_start_date",
    "as_of_date",
)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "feedback_source",
    "language",
    "keyword",
    "keyword_rank",
    "mentions",
    "documents",
    "source_documents",
    "document_share",
    "window_start_date",
    "as_of_date",
)
# A keyword must occur in at least this many texts: one customer's own words (a name, an
# order number, a street) are never published.
MIN_DOCUMENTS = 2

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_HAS_LATIN = re.compile("[A-Za-z]")
# Clause breaks: a negation never reaches across one.
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\[\]\"\n\r\t，。；：！？、（）【】“”…~～]+")
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def _with_negations(
    words: Iterable[str], stop: frozenset[str], negations: frozenset[str], separator: str
) -> list[str]:
    """Content words of one clause, a negation joined to the next content word."""
    tokens: list[str] = []
    negation: str | None = None
    for word in words:
        if word in negations:
            negation = word
        elif word not in stop:
            tokens.append(f"{negation}{separator}{word}" if negation else word)
            negation = None
    return tokens


def tokenize_english(text: str) -> list[str]:
    """English keywords of a text, in order: lower-cased words of two or more letters
    (digits and Chinese ignored, possessive 's dropped), without stop words; a negation
    joins the next content word of its clause ("did not work" -> "not work")."""
    tokens: list[str] = []
    normalised = text.lower().replace("\u2019", "'").replace("`", "'")
    for clause in _CLAUSE_BREAK.split(normalised):
        words = []
        for word in _ENGLISH_WORD.findall(clause):
            word = word.removesuffix("'s")
            if len(word) >= 2 or word in NEGATIONS_EN:
                words.append(word)
        tokens.extend(_with_negations(words, STOP_WORDS_EN, NEGATIONS_EN, " "))
    return tokens


def segment_chinese(text: str) -> list[str]:
    """Chinese keywords of a text, in order: each run of Chinese characters segmented
    with jieba's dictionary (HMM off), stop words dropped; a negation joins the next
    content word of its clause ("洗不干净" -> "洗", "不干净")."""
    tokens: list[str] = []
    for clause in _CLAUSE_BREAK.split(text):
        words: list[str] = []
        for run in _CJK_RUN.findall(clause):
            words.extend(word for word in jieba.lcut(run, HMM=False) if word.strip())
        tokens.extend(_with_negations(words, STOP_WORDS_ZH, NEGATIONS_ZH, ""))
    return tokens


def text_languages(text: str) -> list[str]:
    """Languages present in a text by script: `zh` with a Chinese character, `en` with a
    Latin letter."""
    present = []
    if _HAS_CJK.search(text):
        present.append("zh")
    if _HAS_LATIN.search(text):
        present.append("en")
    return present


def keywords_of(text: str) -> dict[str, list[str]]:
    """Keywords of one document by language (`zh`, `en`); empty lists when none."""
    return {"zh": segment_chinese(text), "en": tokenize_english(text)}


def validate_documents(documents: pd.DataFrame) -> None:
    """Fail with a message saying what to fix unless the frame has the required columns,
    one row per (feedback_source, document_id), a source on every row and a single
    as-of date."""
    missing = [column for column in REQUIRED_COLUMNS if column not in documents.columns]
    if missing:
        raise ValueError(
            f"feedback documents lack column(s) {missing}; expected {list(REQUIRED_COLUMNS)}"
        )
    if documents["feedback_source"].isna().any():
        raise ValueError("feedback documents have rows without feedback_source; fill it in")
    duplicated = documents.duplicated(["feedback_source", "document_id"])
    if duplicated.any():
        example = documents.loc[duplicated, ["feedback_source", "document_id"]].iloc[0]
        raise ValueError(
            "feedback documents must be unique per (feedback_source, document_id); "
            f"duplicated: {tuple(example)}"
        )
    as_of_dates = documents["as_of_date"].dropna().unique()
    if len(as_of_dates) > 1:
        raise ValueError(
            f"feedback documents must share one as_of_date; found {sorted(map(str, as_of_dates))}"
        )


def count_keywords(
    documents: pd.DataFrame, top_n: int, min_documents: int = MIN_DOCUMENTS
) -> pd.DataFrame:
    """Top `top_n` keywords per feedback source and language, among the keywords found in
    at least `min_documents` texts.

    `documents` has one row per text (REQUIRED_COLUMNS). Per source and language:
    `mentions` (occurrences), `documents` (texts containing the keyword),
    `source_documents` (texts of the source in that language's script),
    `document_share` = documents / source_documents, and `keyword_rank` 1..N by
    documents, then mentions, then the keyword itself (so ties rank deterministically).
    """
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    validate_documents(documents)
    mentions: Counter[tuple[str, str, str]] = Counter()
    containing: Counter[tuple[str, str, str]] = Counter()
    source_documents: Counter[tuple[str, str]] = Counter()
    for source, text in zip(documents["feedback_source"], documents["document_text"], strict=True):
        if not isinstance(text, str) or not text.strip():
            continue
        for language in text_languages(text):
            source_documents[(source, language)] += 1
        for language, tokens in keywords_of(text).items():
            for token in tokens:
                mentions[(source, language, token)] += 1
            for token in set(tokens):
                containing[(source, language, token)] += 1
    rows = [
        {
            "feedback_source": source,
            "language": language,
            "keyword": keyword,
            "mentions": count,
            "documents": containing[(source, language, keyword)],
            "source_documents": source_documents[(source, language)],
        }
        for (source, language, keyword), count in mentions.items()
    ]
    counted = pd.DataFrame(
        rows, columns=list(OUTPUT_COLUMNS[:3]) + ["mentions", "documents", "source_documents"]
    )
    counted = counted[counted["documents"] >= min_documents]
    counted = counted.sort_values(
        ["feedback_source", "language", "documents", "mentions", "keyword"],
        ascending=[True, True, False, False, True],
        kind="mergesort",
    )
    counted["keyword_rank"] = counted.groupby(["feedback_source", "language"]).cumcount() + 1
    top = counted[counted["keyword_rank"] <= top_n].copy()
    top["document_share"] = (top["documents"] / top["source_documents"]).round(4)
    window_start = documents["window_start_date"].dropna()
    as_of = documents["as_of_date"].dropna()
    top["window_start_date"] = window_start.iloc[0] if len(window_start) else None
    top["as_of_date"] = as_of.iloc[0] if len(as_of) else None
    for column in ("keyword_rank", "mentions", "documents", "source_documents"):
        top[column] = top[column].astype("int64")
    top["document_share"] = top["document_share"].astype("float64")
    return top.loc[:, list(OUTPUT_COLUMNS)].reset_index(drop=True)
