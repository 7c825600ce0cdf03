"""Extract documents, submitters, consultation figures and the unparsed inventory.

Works on the paragraphs of :func:`cwg_analysis.reading.segment_source` and returns each table
as column lists (:mod:`cwg_analysis.frames`; the ``*_DTYPES`` give their dtypes). Statements
(actors and stances) are extracted by :mod:`cwg_analysis.stance`; this module also gives it the
document each paragraph discusses (:func:`find_context_symbols`).
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from cwg_analysis.errors import UnknownCountryError
from cwg_analysis.symbols import find_symbols

if TYPE_CHECKING:
    from cwg_analysis.frames import Columns, DtypeSpec
    from cwg_analysis.reading.text import Paragraph

__all__ = [
    "CONSULTATION_DTYPES",
    "DOCUMENT_DTYPES",
    "DOC_TYPES",
    "SUBMITTER_DTYPES",
    "UNPARSED_DTYPES",
    "extract_consultation",
    "extract_documents",
    "extract_submitters",
    "find_context_symbols",
    "find_document_mentions",
    "find_submitter_listings",
    "find_unparsed",
    "resolve_country_list",
]

DOC_TYPES = (
    "agenda",
    "secretariat_report",
    "consultation_summary",
    "consultation_compilation",
    "contribution",
    "report",
    "other",
)

_QUOTED = re.compile(r"\s*:?\s*(?:[“\"](?P<double>[^”\"]{2,300})[”\"]|‘(?P<single>[^’]{2,300})’)")
_HEADING_TITLE = re.compile(r"\s*[:\-–—]\s*(?P<title>\S.*?)\s*$")
_SUBMITTED_FROM = re.compile(
    r"\s+(?:submitted\s+|presented\s+)?(?:from|by)\s+(?P<names>[^:“\"\n]{2,400}?)\s*(?=[:“\"]|$)"
)
_CONTRIBUTION_BEFORE = re.compile(r"\bcontribution\s*$", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_WORDS_BEFORE = 40  # characters before a symbol read for its type ("a compilation document")

DOCUMENT_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "doc_symbol": "string",
    "doc_type": DOC_TYPES,
    "title": "string",
    "para_id": "string",
}
SUBMITTER_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "doc_symbol": "string",
    "position": "Int64",
    "country_code": "string",
}
CONSULTATION_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "para_id": "string",
    "topic": "string",
    "period_text": "string",
    "responses_total": "Int64",
    "stakeholder_label": "string",
    "responses": "Int64",
}
UNPARSED_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "para_id": "string",
    "reason": "string",
    "text": "string",
}


# --- countries -------------------------------------------------------------------------------


def resolve_country_list(text: str, *, strict: bool = True) -> list[tuple[str, str]]:
    """Split a list of country names and resolve each: [(name as written, ISO3), ...].

    "the Russian Federation, Republic of Armenia and Kyrgyz Republic" gives three names; a name
    that itself holds "and" or a comma ("Trinidad and Tobago", "Korea, Republic of") is kept
    whole because the longest run of pieces that resolves wins.

    Parameters
    ----------
    text
        The names as written.
    strict
        Raise on a name that does not resolve (otherwise return an empty list).

    Raises
    ------
    UnknownCountryError
        With ``strict``, listing every piece that does not resolve.

    Examples
    --------
    >>> resolve_country_list("Brazil and Trinidad and Tobago")
    [('Brazil', 'BRA'), ('Trinidad and Tobago', 'TTO')]
    """
    names, unknown = _split_country_list(text)
    if unknown:
        if not strict:
            return []
        from cwg_analysis.countries import country_codes

        country_codes(unknown)  # raises UnknownCountryError naming every unknown piece
    return list(names)


@functools.lru_cache(maxsize=1024)  # a report lists the same submitters more than once
def _split_country_list(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Return the (name, ISO3) pairs of a list of names and the pieces that do not resolve."""
    from cwg_analysis.countries import country_code

    bounds: list[tuple[int, int]] = []  # where each piece between separators starts and ends
    position = 0
    for match in _NAME_SEPARATOR.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    names: list[tuple[str, str]] = []
    unknown: list[str] = []
    start = 0
    while start < len(bounds):
        for stop in range(len(bounds), start, -1):  # the longest run of pieces that resolves
            name = text[bounds[start][0] : bounds[stop - 1][1]].strip()
            code = country_code(name) if name else None
            if code is not None:
                names.append((name, code))
                start = stop
                break
        else:
            piece = text[bounds[start][0] : bounds[start][1]].strip()
            if piece:
                unknown.append(piece)
            start += 1
    return tuple(names), tuple(unknown)


# --- documents -------------------------------------------------------------------------------


class _Mention(NamedTuple):
    """One mention of a document symbol in a paragraph, with what its words say about it."""

    symbol: str
    para_id: str
    doc_type: str | None
    title: str | None
    submitters: str | None


@functools.cache
def _doc_type_rules() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    """Return (doc_type, words-before pattern, title pattern) from the cue vocabulary."""
    from cwg_analysis.stance import load_cues

    rules = []
    for rule in load_cues().raw["doc_types"]:
        before = "|".join(rule.get("before") or []) or r"(?!)"
        title = "|".join(rule.get("title") or [])
        rules.append(
            (
                rule["doc_type"],
                re.compile(rf"\b(?:{before})\W*(?:document\W*)?$", re.IGNORECASE),
                re.compile(rf"\b(?:{title})\b", re.IGNORECASE) if title else None,
            )
        )
    return tuple(rules)


def _classify(before: str, title: str | None) -> str | None:
    """Return the doc_type the words before a symbol or its title give, or None."""
    for doc_type, before_pattern, title_pattern in _doc_type_rules():
        if before_pattern.search(before):
            return doc_type
        if title and title_pattern is not None and title_pattern.search(title):
            return doc_type
    return None


def _mentions(paragraph: Paragraph) -> list[_Mention]:
    """Return what each symbol mention in the paragraph says: type, title, submitters."""
    text = paragraph.text
    mentions = []
    for found in find_symbols(text):
        # Match at positions in the paragraph instead of slicing it: linear in its length.
        start = max(0, found.start - _WORDS_BEFORE)
        pos = found.end
        title = None
        submitters = None
        is_contribution = bool(_CONTRIBUTION_BEFORE.search(text, start, found.start))
        submitted = _SUBMITTED_FROM.match(text, pos) if is_contribution else None
        if submitted:
            submitters = submitted["names"].strip(" .,;")
            pos = submitted.end()
        quoted = _QUOTED.match(text, pos)
        if quoted:
            title = (quoted["double"] or quoted["single"]).strip()
        elif paragraph.kind == "heading" and found.start < 3:
            heading = _HEADING_TITLE.match(text, pos)
            title = heading["title"].strip("“”\"' ") if heading else None
        before = text[start : found.start]
        mentions.append(
            _Mention(found.symbol, paragraph.para_id, _classify(before, title), title, submitters)
        )
    return mentions


def find_document_mentions(records: Iterable[Paragraph]) -> list[_Mention]:
    """Return every document mention of the report, in order (for documents and submitters)."""
    return [mention for record in records for mention in _mentions(record)]


def extract_documents(
    records: Sequence[Paragraph], meeting: int | None, *, mentions: list[_Mention] | None = None
) -> Columns:
    """Return one row per document the report refers to, under its canonical symbol.

    Key ``doc_symbol``; ``para_id`` is where it is first mentioned; ``doc_type`` and ``title``
    come from the first mention that gives them (a heading "WG-Internet 11/2: Secretariat report
    ...", "Contribution ... from ...: “Title”", "document CWG-FHR 8/19 “Title”").
    """
    mentions = find_document_mentions(records) if mentions is None else mentions
    first: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        row = first.setdefault(
            mention.symbol,
            {
                "doc_symbol": mention.symbol,
                "doc_type": None,
                "title": None,
                "para_id": mention.para_id,
            },
        )
        row["doc_type"] = row["doc_type"] or mention.doc_type
        row["title"] = row["title"] or mention.title
    rows = list(first.values())
    for row in rows:
        row["doc_type"] = row["doc_type"] or "other"
    return {
        "meeting": [meeting] * len(rows),
        "doc_symbol": [row["doc_symbol"] for row in rows],
        "doc_type": [row["doc_type"] for row in rows],
        "title": [row["title"] for row in rows],
        "para_id": [row["para_id"] for row in rows],
    }


def extract_submitters(
    records: Sequence[Paragraph],
    meeting: int | None,
    *,
    source: str = "report",
    mentions: list[_Mention] | None = None,
) -> Columns:
    """Return the submitting states of each contribution, in the order listed, as ISO3 codes.

    One row per (doc_symbol, position). The first "Contribution <symbol> from <names>" gives
    the list; a later mention listing other states is reported with a warning.

    Raises
    ------
    UnknownCountryError
        A submitter's name does not resolve (the message names the file and paragraph).
    """
    mentions = find_document_mentions(records) if mentions is None else mentions
    listed: dict[str, list[str]] = {}
    for mention in mentions:
        if mention.submitters is None:
            continue
        try:
            codes = [code for _, code in resolve_country_list(mention.submitters)]
        except UnknownCountryError as exc:
            raise UnknownCountryError(
                f"{source}:{mention.para_id}: unknown submitter of {mention.symbol}: {exc}"
            ) from exc
        if mention.symbol not in listed:
            listed[mention.symbol] = codes
        elif listed[mention.symbol] != codes:
            warnings.warn(
                f"{source}:{mention.para_id}: submitters of {mention.symbol} differ from the "
                f"first listing: {codes} vs {listed[mention.symbol]}",
                stacklevel=2,
            )
    rows = [
        (symbol, position, code)
        for symbol, codes in listed.items()
        for position, code in enumerate(codes, start=1)
    ]
    return {
        "meeting": [meeting] * len(rows),
        "doc_symbol": [row[0] for row in rows],
        "position": [row[1] for row in rows],
        "country_code": [row[2] for row in rows],
    }


def find_submitter_listings(mentions: Iterable[_Mention]) -> dict[str, str]:
    """Return, per contribution, the para_id of the paragraph whose list of submitters is used."""
    listings: dict[str, str] = {}
    for mention in mentions:
        if mention.submitters is not None:
            listings.setdefault(mention.symbol, mention.para_id)
    return listings


@functools.lru_cache(maxsize=4096)  # every report numbers its paragraphs alike
def _ancestors(para_id: str) -> tuple[str, ...]:
    """Return the ids a paragraph hangs under, nearest first: "6.6.3" -> ("6.6", "6")."""
    base = para_id.split("+", 1)[0]
    parts = base.split(".")
    ancestors = tuple(".".join(parts[:size]) for size in range(len(parts) - 1, 0, -1))
    return ((base,) if "+" in para_id else ()) + ancestors


def find_context_symbols(records: Sequence[Paragraph]) -> list[str | None]:
    """Return, per paragraph, the document its section or bullet list discusses (or None).

    The first symbol of the nearest paragraph it hangs under that names one: bullets of
    "6.6 Contribution WG-Internet 11/6 from ..." discuss CWG-Internet-11/6; "3.2 Discussion on
    the Report" names none, so its bullets discuss the document of heading "3".
    """
    first_symbol: dict[str, str | None] = {}
    for record in records:
        if record.para_id not in first_symbol:
            found = find_symbols(record.text)
            first_symbol[record.para_id] = found[0].symbol if found else None
    context = []
    for record in records:
        symbol = None
        for ancestor in _ancestors(record.para_id):
            symbol = first_symbol.get(ancestor)
            if symbol is not None:
                break
        context.append(symbol)
    return context


# --- consultation figures --------------------------------------------------------------------

_TOTAL = re.compile(
    r"\b(?P<total>\d{1,5})\s+(?:responses|contributions|submissions|replies|inputs)\s+"
    r"(?:were|have been|had been)\s+received\b"
)
_BREAKDOWN = re.compile(r"\s*\(?(?P<n>\d{1,5})\s+(?P<label>[^,;()]+?)\s*(?=,|;|\)|\band\s+\d|$)")
_BREAKDOWN_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*")
_TOPIC = re.compile(
    r"\bon the (?:topic|theme|subject)(?: of)?\s*[:,]?\s*[“\"‘](?P<topic>[^”\"’]{2,200})[”\"’]"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_PERIOD = re.compile(
    rf"\b(?:from\s+)?(?P<period>{_MONTH}\s+\d{{4}}\s*(?:to|until|-|–)\s*{_MONTH}\s+\d{{4}})"
)


def _breakdown(text: str) -> list[tuple[str, int]]:
    """Return (label, count) pairs of a list like "(21 Government entities, 22 ... and 2 ...)"."""
    opening = text.find("(")
    if opening < 0 or not re.match(r"\(\s*\d", text[opening:]):
        return []
    pairs, position = [], opening
    while True:
        item = _BREAKDOWN.match(text, position)
        if item is None:
            return pairs
        pairs.append((item["label"].strip(), int(item["n"])))
        separator = _BREAKDOWN_SEPARATOR.match(text, item.end())
        if separator is None:
            return pairs
        position = separator.end()


def extract_consultation(
    records: Sequence[Paragraph], meeting: int | None, *, source: str = "report"
) -> Columns:
    """Return the open-consultation figures the report states: one row per stakeholder label.

    A paragraph stating "<N> responses were received" gives the total, the breakdown that
    follows in parentheses, the topic ("on the topic of “...”") and the period ("from October
    2017 to January 2018") from the same paragraph or its section heading. A report that gives
    a total without a breakdown yields one row whose label and count are null.
    """
    rows: list[tuple[Any, ...]] = []
    for record in records:
        total = _TOTAL.search(record.text) if "received" in record.text else None
        if total is None:
            continue
        heading = record.section_title or ""
        topic = _TOPIC.search(record.text) or _TOPIC.search(heading)
        period = _PERIOD.search(record.text) or _PERIOD.search(heading)
        responses_total = int(total["total"])
        pairs = _breakdown(record.text[total.end() :])
        if pairs and sum(count for _, count in pairs) != responses_total:
            warnings.warn(
                f"{source}:{record.para_id}: consultation breakdown does not add up to the "
                f"total: {sum(count for _, count in pairs)} != {responses_total}",
                stacklevel=2,
            )
        for label, count in pairs or [(None, None)]:
            rows.append(
                (
                    record.para_id,
                    topic["topic"].strip() if topic else None,
                    re.sub(r"\s*(?:-|–)\s*", " to ", period["period"]) if period else None,
                    responses_total,
                    label,
                    count,
                )
            )
    columns: Columns = {"meeting": [meeting] * len(rows)}
    names = list(CONSULTATION_DTYPES)[1:]
    columns.update({name: [row[index] for row in rows] for index, name in enumerate(names)})
    return columns


# --- the inventory of what yielded nothing ---------------------------------------------------


def find_unparsed(
    records: Sequence[Paragraph],
    meeting: int | None,
    *,
    produced: Iterable[str],
    reasons: Mapping[str, str],
) -> Columns:
    """Return every paragraph that yielded no row in any table, with the reason.

    ``produced`` holds the para_ids that yielded a document, submitter list, statement or
    consultation figure; ``reasons`` the reason the statement extractor gave per paragraph.
    """
    produced = set(produced)
    rows = [
        (record.para_id, _reason(record, reasons), record.text)
        for record in records
        if record.para_id not in produced
    ]
    return {
        "meeting": [meeting] * len(rows),
        "para_id": [row[0] for row in rows],
        "reason": [row[1] for row in rows],
        "text": [row[2] for row in rows],
    }


def _reason(record: Paragraph, reasons: Mapping[str, str]) -> str:
    """Return why a paragraph yielded nothing (the statement extractor's reason if it gave one)."""
    return reasons.get(record.para_id, "no statement: no actor and no stance cue")
