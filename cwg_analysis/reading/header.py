"""Read the meeting header of a report: meeting number, dates, venue, report symbol and date.

ITU reports open with a header block ("Council Working Group on ...", "Eleventh meeting –
Geneva, 25-26 January 2018", "Document WG-Internet 11/11-E", "29 January 2018"). Converted text
often loses it; then only the meeting number can still be read, from the report's own words
("the eleventh meeting of CWG-Internet") or from the symbol of the meeting's agenda
("WG-Internet 11/1: Agenda of the meeting"). Whatever the text does not state stays null: when
two sources of the same strength disagree, the value is null and a warning names both.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cwg_analysis.reading.text import Paragraph
from cwg_analysis.symbols import find_symbols

log = logging.getLogger(__name__)

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
# Ordinal words of meeting numbers 1-49 ("eleventh", "twenty-first", "twenty first").
ORDINAL_WORDS: dict[str, int] = {
    **{word: i for i, word in enumerate(_UNITS, start=1)},
    **{word: i for i, word in enumerate(_TEENS, start=10)},
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    **{
        f"{tens}{sep}{unit}": value + i
        for tens, value in _TENS.items()
        for i, unit in enumerate(_UNITS, start=1)
        for sep in ("-", " ")
    },
}
_ORDINAL = r"(?P<ordinal>\d{1,2}(?:st|nd|rd|th)|(?:twenty|thirty|forty)[- ][a-z]+|[a-z]+)"
_ORDINAL_MEETING = re.compile(rf"\b{_ORDINAL}\s+meeting\b", re.IGNORECASE)
# Matched on lower-cased text around each "meeting" (a literal search keeps long texts fast).
_ORDINAL_BEFORE = re.compile(rf"(?<![a-z0-9]){_ORDINAL}\s+$")
_OF_GROUP_AFTER = re.compile(
    r"\s+of\s+(?:the\s+)?(?:cwg|council\s+working\s+group|working\s+group|group)\b"
)
_DOCUMENT_LABEL = re.compile(r"(?:Document|Doc\.)\s*$", re.IGNORECASE)
_AGENDA_TITLE = re.compile(r"\s*[:–-]?\s*(?:Draft\s+)?Agenda\b", re.IGNORECASE)
_CWG_INTERNET = re.compile(r"CWG-Internet-(\d+)/\d+")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"[A-Za-z]{3,9}\.?"
_DATE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_MONTH})(?:\s+(?P<y1>\d{{4}}))?)?"
    rf"(?:\s*(?:[-–—]|to)\s*(?P<d2>\d{{1,2}}))?\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})\b"
)
_DATE_LINE = re.compile(rf"(?:Date\s*:?\s*)?(?:{_DATE.pattern})\.?", re.IGNORECASE)
_VENUE_TRIM = " ,;:–—-()"


@dataclass(frozen=True, slots=True)
class MeetingHeader:
    """What a report states about its meeting; None where it says nothing."""

    meeting: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    venue: str | None = None
    report_symbol: str | None = None
    report_date: dt.date | None = None


def parse_header(paragraphs: Sequence[Paragraph], source: str) -> MeetingHeader:
    """Read the meeting header from a report's paragraphs.

    Parameters
    ----------
    paragraphs
        The segmented paragraphs; the header block is the ``header`` kind.
    source
        The file name, used in warnings.
    """
    header = [p.text for p in paragraphs if p.kind == "header"]
    symbol = _find_report_symbol(header)
    dates, venue = _find_meeting_dates(header, source)
    return MeetingHeader(
        meeting=_find_meeting_number(paragraphs, header, symbol, source),
        start_date=dates[0],
        end_date=dates[1],
        venue=venue,
        report_symbol=symbol[0] if symbol else None,
        report_date=_find_report_date(header, source),
    )


def _find_meeting_number(
    paragraphs: Sequence[Paragraph],
    header: list[str],
    symbol: tuple[str, int | None] | None,
    source: str,
) -> int | None:
    """Return the meeting number from the strongest source that states it."""
    sections = [p.section for p in paragraphs if p.section is not None]
    edges = {sections[0], sections[-1]} if sections else set()
    body = [p.text for p in paragraphs if p.kind != "header" and p.section in edges]
    tiers = (
        ("header", _ordinals(header, of_group=False)),
        ("report symbol", [symbol[1]] if symbol and symbol[1] is not None else []),
        ("opening and closing sections", _ordinals(body, of_group=True)),
        ("agenda symbol", _agenda_meetings(p.text for p in paragraphs if p.kind != "header")),
    )
    for name, found in tiers:
        if not found:
            continue
        if len(set(found)) == 1:
            return found[0]
        log.warning(
            "%s: meeting number: the %s disagree, left null: %s",
            source,
            name,
            sorted(set(found)),
        )
        return None
    return None


def _ordinals(texts: Iterable[str], *, of_group: bool) -> list[int]:
    """Return the meeting numbers that ordinals before "meeting" state, in text order.

    With ``of_group``, only "<ordinal> meeting of (the) CWG/Council Working Group/Group" counts.
    """
    found = []
    for text in texts:
        low = text.lower()
        at = low.find("meeting")
        while at != -1:
            end = at + len("meeting")
            before = _ORDINAL_BEFORE.search(low, max(0, at - 40), at)
            after_ok = not low[end : end + 1].isalnum() and (
                not of_group or _OF_GROUP_AFTER.match(low, end, end + 60)
            )
            if before and after_ok:
                value = _ordinal_value(before.group("ordinal"))
                if value is not None:
                    found.append(value)
            at = low.find("meeting", end)
    return found


def _ordinal_value(word: str) -> int | None:
    """Return 11 for "eleventh", "Eleventh" or "11th"; None for any other word."""
    word = word.lower()
    if word[:1].isdigit():
        return int(word.rstrip("stndrh"))
    return ORDINAL_WORDS.get(word)


def _agenda_meetings(texts: Iterable[str]) -> list[int]:
    """Return the meetings of the agenda documents named ("WG-Internet 11/1: Agenda")."""
    found = []
    for text in texts:
        for mention in find_symbols(text):
            meeting = _CWG_INTERNET.fullmatch(mention.symbol)
            if meeting and _AGENDA_TITLE.match(text, mention.end):
                found.append(int(meeting.group(1)))
    return found


def _find_report_symbol(header: list[str]) -> tuple[str, int] | None:
    """Return the report's symbol in canonical form (``CWG-Internet-11/11``) and its meeting.

    The symbol follows "Document" ("Document WG-Internet 11/11-E") or stands alone on its line.
    """
    for text in header:
        for mention in find_symbols(text):
            alone = mention.start == 0 and mention.end == len(text)
            if alone or _DOCUMENT_LABEL.search(text, 0, mention.start):
                meeting = _CWG_INTERNET.fullmatch(mention.symbol)
                return mention.symbol, int(meeting.group(1)) if meeting else None
    return None


def _find_meeting_dates(
    header: list[str], source: str
) -> tuple[tuple[dt.date | None, dt.date | None], str | None]:
    """Return the meeting's start and end dates and its venue from the header block.

    The meeting line mentions "meeting" and a date ("Eleventh meeting – Geneva, 25-26 January
    2018"); without one, the first date range of the header is the meeting's.
    """
    candidates = [(text, m) for text in header for m in _DATE.finditer(text)]
    chosen = next((c for c in candidates if "meeting" in c[0].lower()), None)
    if chosen is None:
        chosen = next((c for c in candidates if c[1].group("d2")), None)
    if chosen is None:
        return (None, None), None
    text, match = chosen
    dates = _date_range(match, source)
    if dates == (None, None):
        return dates, None
    return dates, _venue(text[: match.start()])


def _venue(before: str) -> str | None:
    """Return the place named just before the meeting dates ("Geneva"), if any."""
    ordinals = list(_ORDINAL_MEETING.finditer(before))
    if ordinals:
        before = before[ordinals[-1].end() :]
    venue = before.strip(_VENUE_TRIM).strip()
    if not venue or len(venue) > 60 or any(ch.isdigit() for ch in venue):
        return None
    if not venue[0].isupper():
        return None
    return venue


def _date_range(match: re.Match[str], source: str) -> tuple[dt.date | None, dt.date | None]:
    """Turn "25-26 January 2018" or "30 January - 1 February 2019" into two dates."""
    year_end = int(match.group("y2"))
    month_end = _MONTHS.get(match.group("m2").lower().rstrip("."))
    month_start = _MONTHS.get((match.group("m1") or match.group("m2")).lower().rstrip("."))
    if month_end is None or month_start is None:
        return None, None
    year_start = int(match.group("y1") or year_end)
    day_start = int(match.group("d1"))
    day_end = int(match.group("d2") or day_start)
    try:
        start = dt.date(year_start, month_start, day_start)
        end = dt.date(year_end, month_end, day_end)
    except ValueError:
        log.warning("%s: meeting dates: not a calendar date, left null: %s", source, match.group())
        return None, None
    if end < start:
        log.warning("%s: meeting dates: end before start, left null: %s", source, match.group())
        return None, None
    return start, end


def _find_report_date(header: list[str], source: str) -> dt.date | None:
    """Return the report's date: a header line that is only a date ("29 January 2018")."""
    for text in header:
        match = _DATE_LINE.fullmatch(text)
        if match and not match.group("d2"):
            start, _ = _date_range(match, source)
            if start is not None:
                return start
    return None
