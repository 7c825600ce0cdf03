"""Tag documents and consultations with policy topics by keyword.

A topic (``data/reference/topics.csv``) lists keywords; a text has the topic when one of them
occurs as a whole word or phrase (words are runs of letters and digits, so ``CWG-COP`` is the
two words CWG COP). Keywords written in capitals (``OTT``, ``IDN``) match case and all; others
ignore case. Every tag keeps the keywords found, so a reader can check it. A text is scanned
once per case rule by one regular expression of every keyword, so its cost grows with the
text, hardly with the keywords.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from cwg_analysis.patterns import alternation

__all__ = ["TopicMatcher", "tag_consultations", "tag_documents"]

_WORD = re.compile(r"\w+")

# (rank, topic_id, keyword): rank orders the keywords found at one place as the table does
_Found = tuple[int, str, str]


@dataclass(frozen=True)
class _KeywordScan:
    """The keywords of one case rule: one pattern, and what each match means."""

    pattern: re.Pattern[str]  # at each word start, the longest keyword starting there
    families: dict[tuple[str, ...], list[_Found]]  # a match's words -> every keyword it holds
    fold: bool

    @classmethod
    def build(cls, keywords: list[tuple[tuple[str, ...], str, str]], *, fold: bool) -> _KeywordScan:
        """Index (words, topic_id, keyword) triples, words casefolded when ``fold``."""
        # A keyword that is the first words of a longer one is found wherever that one is.
        families: dict[tuple[str, ...], list[_Found]] = defaultdict(list)
        for words in {words for words, _, _ in keywords}:
            families[words] = [
                (rank, topic_id, keyword)
                for rank, (other, topic_id, keyword) in enumerate(keywords)
                if words[: len(other)] == other
            ]
        phrases = [r"\W+".join(map(re.escape, words)) for words, _, _ in keywords]
        pattern = re.compile(rf"(?<!\w)(?=({alternation(phrases) or '(?!)'})(?!\w))")
        return cls(pattern, dict(families), fold)

    def collect(self, text: str, found: dict[str, dict[str, None]]) -> None:
        """Add the keywords the text holds to ``found`` ({topic_id: keywords}), in text order."""
        for match in self.pattern.finditer(text.casefold() if self.fold else text):
            words = tuple(_WORD.findall(match.group(1)))
            for _, topic_id, keyword in self.families[words]:
                found.setdefault(topic_id, {})[keyword] = None


@dataclass(frozen=True)
class TopicMatcher:
    """The keywords of a topics table: those in capitals match case, the others do not."""

    exact: _KeywordScan
    folded: _KeywordScan
    exact_firsts: frozenset[str]  # the first word of each keyword in capitals

    @classmethod
    def from_topics(cls, topics: pd.DataFrame) -> TopicMatcher:
        """Index the keywords of a topics frame (columns topic_id, keywords)."""
        exact: list[tuple[tuple[str, ...], str, str]] = []
        folded: list[tuple[tuple[str, ...], str, str]] = []
        for topic_id, keywords in zip(topics["topic_id"], topics["keywords"], strict=True):
            for keyword in filter(None, (k.strip() for k in str(keywords).split(";"))):
                words = tuple(_WORD.findall(keyword))
                if not words:
                    continue
                if any(char.islower() for char in keyword):
                    words = tuple(word.casefold() for word in words)
                    folded.append((words, str(topic_id), keyword))
                else:
                    exact.append((words, str(topic_id), keyword))
        return cls(
            _KeywordScan.build(exact, fold=False),
            _KeywordScan.build(folded, fold=True),
            frozenset(words[0] for words, _, _ in exact),
        )

    def find(self, text: str) -> dict[str, list[str]]:
        """Return {topic_id: keywords found, in first-seen order} for one text."""
        found: dict[str, dict[str, None]] = {}
        if any(first in text for first in self.exact_firsts):  # a quick test before the scan
            self.exact.collect(text, found)
        self.folded.collect(text, found)
        return {topic_id: list(keywords) for topic_id, keywords in found.items()}


def _rows(keys: pd.DataFrame, found: list[dict[str, list[str]]]) -> pd.DataFrame:
    """Return one row per key row and topic found, with the keywords found."""
    rows = [
        (position, topic_id, ";".join(keywords))
        for position, topics in enumerate(found)
        for topic_id, keywords in topics.items()
    ]
    tagged = keys.iloc[[row[0] for row in rows]].reset_index(drop=True)
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
    reports apart (``meeting``; the corpus build uses the report hash). Each paragraph is
    scanned once, whatever the number of documents it speaks of.

    Returns
    -------
    DataFrame
        One row per document and topic: meeting, doc_symbol, topic_id, keywords.
    """
    from cwg_analysis.symbols import find_symbols

    matcher = TopicMatcher.from_topics(topics)
    reports = paragraphs[by].tolist()
    para_ids = paragraphs["para_id"].astype(str).tolist()
    texts = paragraphs["text"].fillna("").astype(str).tolist()
    named: dict[tuple[object, str], list[str]] = defaultdict(list)  # (report, para) -> docs
    for report, para_id, text in zip(reports, para_ids, texts, strict=True):
        for symbol in dict.fromkeys(mention.symbol for mention in find_symbols(text)):
            named[(report, para_id)].append(symbol)
    found: dict[tuple[object, str], dict[str, dict[str, None]]] = defaultdict(dict)
    for report, para_id, text in zip(reports, para_ids, texts, strict=True):
        symbols = {
            symbol for anchor in _ancestors(para_id) for symbol in named.get((report, anchor), ())
        }
        if not symbols:
            continue
        for topic_id, keywords in matcher.find(text).items():
            for symbol in symbols:
                found[(report, symbol)].setdefault(topic_id, {}).update(dict.fromkeys(keywords))
    results = []
    for report, symbol, title in zip(
        documents[by], documents["doc_symbol"], documents["title"].fillna(""), strict=True
    ):
        topics_found = {k: dict(v) for k, v in found.get((report, symbol), {}).items()}
        for topic_id, keywords in matcher.find(str(title)).items():
            topics_found.setdefault(topic_id, {}).update(dict.fromkeys(keywords))
        results.append({topic_id: list(words) for topic_id, words in topics_found.items()})
    keys = documents[list(dict.fromkeys([by, "meeting", "doc_symbol"]))]
    return _rows(keys, results)


def tag_consultations(consultations: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Tag each consultation from its topic title.

    Returns
    -------
    DataFrame
        One row per consultation and topic: consultation_id, topic_id, keywords.
    """
    matcher = TopicMatcher.from_topics(topics)
    found = [matcher.find(str(text)) for text in consultations["topic"].fillna("")]
    return _rows(consultations[["consultation_id"]], found)
