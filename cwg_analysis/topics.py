"""Tag documents and consultations with policy topics by keyword.

A topic (``data/reference/topics.csv``) lists keywords; a text has the topic when one of them
occurs as a whole word or phrase. Keywords written in capitals (``OTT``, ``IDN``) match case
and all; others ignore case. Every tag keeps the keywords found, so a reader can check it.
All keywords are compiled into two patterns, so a text is scanned twice whatever the number of
topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["TopicMatcher", "tag_consultations", "tag_documents"]


@dataclass(frozen=True)
class TopicMatcher:
    """Compiled keyword patterns of a topics table."""

    patterns: tuple[re.Pattern[str], ...]
    groups: dict[str, tuple[str, str]]  # group name -> (topic_id, keyword)

    @classmethod
    def from_topics(cls, topics: pd.DataFrame) -> TopicMatcher:
        """Compile the keywords of a topics frame (columns topic_id, keywords)."""
        sensitive: list[str] = []
        insensitive: list[str] = []
        groups: dict[str, tuple[str, str]] = {}
        for topic_id, keywords in zip(topics["topic_id"], topics["keywords"], strict=True):
            for keyword in filter(None, (k.strip() for k in str(keywords).split(";"))):
                group = f"k{len(groups)}"
                groups[group] = (str(topic_id), keyword)
                words = r"\s+".join(re.escape(word) for word in keyword.split())
                pattern = rf"(?P<{group}>(?<!\w){words}(?!\w))"
                is_capitals = not any(char.islower() for char in keyword)
                (sensitive if is_capitals else insensitive).append(pattern)
        patterns = []
        if sensitive:
            patterns.append(re.compile("|".join(sensitive)))
        if insensitive:
            patterns.append(re.compile("|".join(insensitive), re.IGNORECASE))
        return cls(tuple(patterns), groups)

    def find(self, text: str) -> dict[str, list[str]]:
        """Return {topic_id: keywords found, in first-seen order} for one text."""
        found: dict[str, dict[str, None]] = {}
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                topic_id, keyword = self.groups[match.lastgroup]
                found.setdefault(topic_id, {})[keyword] = None
        return {topic_id: list(keywords) for topic_id, keywords in found.items()}


def _tag(keys: pd.DataFrame, texts: pd.Series, matcher: TopicMatcher) -> pd.DataFrame:
    """Return one row per key row and topic found in its text, with the keywords found."""
    rows = []
    for position, text in enumerate(texts):
        for topic_id, keywords in matcher.find(text).items():
            rows.append((position, topic_id, ";".join(keywords)))
    positions = [row[0] for row in rows]
    tagged = keys.iloc[positions].reset_index(drop=True)
    tagged["topic_id"] = pd.array([row[1] for row in rows], dtype="string")
    tagged["keywords"] = pd.array([row[2] for row in rows], dtype="string")
    return tagged


def _ancestors(para_id: str) -> list[str]:
    """Return the paragraph and every paragraph it falls under: "5.4.1" -> 5.4.1, 5.4, 5."""
    ids = [para_id]
    while True:
        cut = max(para_id.rfind("."), para_id.rfind("+"))
        if cut <= 0:
            return ids
        para_id = para_id[:cut]
        ids.append(para_id)


def tag_documents(
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    topics: pd.DataFrame,
    *,
    by: str = "meeting",
) -> pd.DataFrame:
    """Tag each document from its title and the paragraphs about it.

    The text of a document is its title, every paragraph that names it and every paragraph
    numbered under one that names it (the heading "3. WG-Internet 11/2: ..." brings section 3;
    "5.4 Contribution WG-Internet 11/6" brings 5.4.1-5.4.3). ``by`` is the column that tells
    reports apart (``meeting``; the corpus build uses the report hash).

    Returns
    -------
    DataFrame
        One row per document and topic: meeting, doc_symbol, topic_id, keywords.
    """
    from cwg_analysis.symbols import find_symbols

    matcher = TopicMatcher.from_topics(topics)
    texts = paragraphs["text"].fillna("").astype(str)
    mentions = pd.DataFrame(
        [
            (report, para_id, symbol)
            for report, para_id, text in zip(
                paragraphs[by], paragraphs["para_id"], texts, strict=True
            )
            for symbol in dict.fromkeys(mention.symbol for mention in find_symbols(text))
        ],
        columns=[by, "anchor", "doc_symbol"],
    )
    under = pd.DataFrame(
        {by: paragraphs[by], "para_id": paragraphs["para_id"], "text": texts}
    ).assign(anchor=paragraphs["para_id"].astype(str).map(_ancestors))
    under = under.explode("anchor").merge(mentions, on=[by, "anchor"])
    bodies = (
        under.drop_duplicates([by, "doc_symbol", "para_id"])
        .groupby([by, "doc_symbol"], sort=False)["text"]
        .agg("\n".join)
        .rename("body")
        .reset_index()
    )
    merged = documents.merge(bodies, how="left", on=[by, "doc_symbol"])
    texts = merged["title"].fillna("").astype(str) + "\n" + merged["body"].fillna("").astype(str)
    keys = merged[list(dict.fromkeys([by, "meeting", "doc_symbol"]))]
    return _tag(keys, texts, matcher)


def tag_consultations(consultations: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Tag each consultation from its topic title.

    Returns
    -------
    DataFrame
        One row per consultation and topic: consultation_id, topic_id, keywords.
    """
    matcher = TopicMatcher.from_topics(topics)
    texts = consultations["topic"].fillna("").astype(str)
    return _tag(consultations[["consultation_id"]], texts, matcher)
