"""Turn the lines of a report's text into numbered paragraphs.

Shared by every format: the .txt reader passes the decoded file, the .docx and .pdf readers pass
the text they extracted (one line per Word paragraph, one line per reflowed PDF paragraph).

Each line is one unit. A unit is removed only by a named rule (``artefact``: converter bookmarks
such as ``[bookmark: _Hlk504716038]``; ``page_furniture``: page numbers like ``- 3 -``;
``empty_bullet``: a bullet sign with no text); everything else becomes a paragraph. Paragraph ids
follow the report's own numbering (``5.4.2``); bullets under a numbered paragraph are numbered
below it (``3.2.1``); unnumbered follow-on paragraphs count on from it (``4.4+1``); units before
the first numbered paragraph are the header block (``0+1``...).

Every regular expression is anchored or bounded, so segmentation is linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import NamedTuple

KINDS = ("header", "heading", "numbered", "bullet", "text")
DROP_RULES = ("artefact", "page_furniture", "empty_bullet")
MAX_TITLE_CHARS = 400

# Word bookmarks rendered by converters: "[bookmark: _Hlk504716038]", "[bookmark: _GoBack]".
_ARTEFACT = re.compile(r"\[bookmark: [^\]\r\n]{1,40}\]")  # Word limits bookmark names to 40
_LEADING = re.compile(r"(?:\s|\[bookmark: [^\]\r\n]{1,40}\])*")
_PAGE_FURNITURE = re.compile(
    r"[-–—]\s?\d{1,4}\s?[-–—]|(?i:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)",
)
# "5. 2<TAB>": a space typed inside the number; only trusted when a tab follows.
_SPACED_NUMBER = re.compile(r"(\d{1,2})\. (\d{1,2})\.?(?=\t)")
_NUMBER = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,4})(?!\d)(\.?)([ \t\u00a0]*)")
_BULLET = re.compile(r"([·•▪◦‣●○■□➢➤►✓✔\uf0a7\uf0b7\uf0d8\uf0fc])\s*|([-–—*])\s+|(o)\t\s*")
_DASHES = "-–—"
_OPENERS = "\"'“‘«(["
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".;:!?"


class Paragraph(NamedTuple):
    """One paragraph of a report, before it becomes a row of the ``paragraphs`` table."""

    seq: int
    para_id: str
    section: str | None
    section_title: str | None
    kind: str
    text: str
    span_start: int
    span_end: int


class Dropped(NamedTuple):
    """One unit removed by a named rule, before it becomes a row of the ``dropped`` table."""

    rule: str
    text: str
    span_start: int
    span_end: int


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The paragraphs and the dropped units of one text, in source order."""

    paragraphs: tuple[Paragraph, ...]
    dropped: tuple[Dropped, ...]

    @property
    def has_numbering(self) -> bool:
        """Return whether any paragraph carries the report's own numbering."""
        return any(p.kind in ("heading", "numbered") for p in self.paragraphs)


class _Unit(NamedTuple):
    """A non-empty line after artefact removal, classified by its leading marker."""

    marker: str  # "number", "bullet" or "" (plain text)
    number: str  # "5.2" for numbered units, the bullet sign for bullets
    text: str  # normalised text without the marker
    start: int
    end: int


def segment_text(text: str, *, furniture: Collection[int] = frozenset()) -> Segmentation:
    """Split a report's text into paragraphs and dropped units.

    Parameters
    ----------
    text
        The decoded source text; spans index into it.
    furniture
        Start offsets of lines the caller already knows to be page furniture (the PDF reader
        knows which lines sit in a page's header or footer).
    """
    dropped: list[Dropped] = []
    units = list(_merge_marker_lines(_classify_lines(text, furniture, dropped), dropped))
    return Segmentation(tuple(_number_units(units)), tuple(dropped))


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (tabs, no-break spaces, newlines) into one space."""
    return " ".join(text.split())


def is_title_like(text: str) -> bool:
    """Return whether a text reads as a heading: short and not ended like a sentence."""
    if not text or len(text) > MAX_TITLE_CHARS:
        return False
    return text.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END


def starts_with_marker(line: str) -> bool:
    """Return whether a line starts with a paragraph number or a bullet sign."""
    return _classify(line.strip(), 0, 0).marker != ""


def _iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (start offset, content) for every line holding a non-space character.

    Lines end as in ``str.splitlines``; the line breaks it keeps give each line's offset.
    """
    start = 0
    for line, with_break in zip(text.splitlines(), text.splitlines(keepends=True), strict=True):
        if line and not line.isspace():
            yield start, line
        start += len(with_break)


def _classify_lines(
    text: str, furniture: Collection[int], dropped: list[Dropped]
) -> Iterator[_Unit]:
    """Yield a classified unit per non-empty line, recording artefacts and furniture."""
    for start, line in _iter_lines(text):
        if start in furniture:
            if line.strip():
                dropped.append(
                    Dropped("page_furniture", normalise_space(line), start, start + len(line))
                )
            continue
        artefacts = list(_ARTEFACT.finditer(line)) if "[bookmark:" in line else []
        for match in artefacts:
            dropped.append(
                Dropped("artefact", match.group(), start + match.start(), start + match.end())
            )
        cleaned = _ARTEFACT.sub("", line) if artefacts else line
        stripped = cleaned.strip()
        if not stripped:
            continue
        span_start = start + _LEADING.match(line).end()
        span_end = start + _content_end(line, artefacts)
        if _PAGE_FURNITURE.fullmatch(stripped):
            dropped.append(Dropped("page_furniture", stripped, span_start, span_end))
            continue
        yield _classify(stripped, span_start, span_end)


def _content_end(line: str, artefacts: list[re.Match[str]]) -> int:
    """Return the offset just past the last character that is neither space nor artefact."""
    end = len(line.rstrip())
    for match in reversed(artefacts):
        if match.end() != end:
            break
        end = len(line[: match.start()].rstrip())
    return end


def _classify(stripped: str, start: int, end: int) -> _Unit:
    """Classify one stripped line by its leading numbering or bullet sign."""
    spaced = _SPACED_NUMBER.match(stripped)
    if spaced:
        number = f"{spaced.group(1)}.{spaced.group(2)}"
        return _Unit("number", number, normalise_space(stripped[spaced.end() :]), start, end)
    match = _NUMBER.match(stripped)
    if match and _is_numbering(match, stripped):
        return _Unit("number", match.group(1), normalise_space(stripped[match.end() :]), start, end)
    match = _BULLET.match(stripped)
    if match:
        sign = match.group(1) or match.group(2) or match.group(3)
        return _Unit("bullet", sign, normalise_space(stripped[match.end() :]), start, end)
    return _Unit("", "", normalise_space(stripped), start, end)


def _is_numbering(match: re.Match[str], line: str) -> bool:
    """Tell a paragraph number ("2.", "2.1", "1.1.On") from a number that starts a sentence."""
    number, dot, gap = match.groups()
    rest = line[match.end() : match.end() + 1]
    nested = "." in number
    if not rest:  # a number alone on its line: "3." or "3.1"
        return bool(dot) or nested
    if "\t" in gap:
        return True
    if not (dot or nested):
        return False
    if not gap:  # glued: "1.1.On behalf", "1.Introduction"
        return rest.isupper() or rest in _OPENERS
    if nested:
        return not rest.islower()
    return True


def _merge_marker_lines(units: Iterator[_Unit], dropped: list[Dropped]) -> Iterator[_Unit]:
    """Join a line holding only a number or bullet sign to the text line that follows it."""
    pending: _Unit | None = None
    for unit in units:
        if pending is not None:
            if unit.marker == "" and unit.text:
                yield _Unit(pending.marker, pending.number, unit.text, pending.start, unit.end)
                pending = None
                continue
            yield from _flush_marker(pending, dropped)
            pending = None
        if unit.marker and not unit.text:
            pending = unit
        else:
            yield unit
    if pending is not None:
        yield from _flush_marker(pending, dropped)


def _flush_marker(unit: _Unit, dropped: list[Dropped]) -> Iterator[_Unit]:
    """Keep a lone number as an empty numbered paragraph; drop a lone bullet sign by rule."""
    if unit.marker == "number":
        yield unit
    else:
        dropped.append(Dropped("empty_bullet", unit.number, unit.start, unit.end))


def _dash_heading_numbers(units: list[_Unit]) -> list[str | None]:
    """Give a "- Introduction" heading the section number its first numbered paragraph carries.

    Converters that lose Word's heading numbers render headings as dashes. Such a line is a
    heading only when it reads like a title and the next numbered paragraph opens a new section
    ("- Introduction" followed by "1.1"); otherwise it stays a bullet.
    """
    found: list[str | None] = [None] * len(units)
    next_number: str | None = None
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        if unit.marker == "number":
            next_number = unit.number
        elif (
            unit.marker == "bullet"
            and unit.number in _DASHES
            and next_number is not None
            and "." in next_number
            and unit.text[:1].isupper()
            and is_title_like(unit.text)
        ):
            found[i] = next_number.split(".", 1)[0]
    # A dash line is a heading only if it opens a section not opened before it.
    opened: set[str] = set()
    for i, unit in enumerate(units):
        if found[i] is not None:
            if found[i] in opened:
                found[i] = None
            else:
                opened.add(found[i])
        elif unit.marker == "number":
            opened.add(unit.number.split(".", 1)[0])
    return found


def _number_units(units: list[_Unit]) -> Iterator[Paragraph]:
    """Assign para_id, section, section_title and kind to every unit, in order."""
    dash_sections = _dash_heading_numbers(units)
    explicit = {u.number for u in units if u.marker == "number"}
    explicit.update(n for n in dash_sections if n is not None)
    used: set[str] = set()
    titles: dict[str, str] = {}
    copies: dict[str, int] = {}
    follow_ons: dict[str, int] = {}
    bullets: dict[str, int] = {}
    parent: str | None = None
    section: str | None = None
    for seq, unit in enumerate(units):
        number = unit.number if unit.marker == "number" else dash_sections[seq]
        if number is not None:
            kind = "heading" if is_title_like(unit.text) else "numbered"
            para_id = _unique(number, copies, used)
            section = number.split(".", 1)[0]
            if "." not in number and kind == "heading":
                titles.setdefault(section, unit.text)
            parent = para_id
        elif parent is None:
            kind = "header"
            para_id = _follow_on("0", follow_ons, used)
        elif unit.marker == "bullet":
            kind = "bullet"
            bullets[parent] = bullets.get(parent, 0) + 1
            para_id = f"{parent}.{bullets[parent]}"
            if para_id in explicit or para_id in used:
                para_id = _follow_on(parent, follow_ons, used)
            used.add(para_id)
        else:
            kind = "text"
            para_id = _follow_on(parent, follow_ons, used)
        yield Paragraph(
            seq=seq,
            para_id=para_id,
            section=section,
            section_title=titles.get(section) if section is not None else None,
            kind=kind,
            text=unit.text,
            span_start=unit.start,
            span_end=unit.end,
        )


def _unique(number: str, copies: dict[str, int], used: set[str]) -> str:
    """Return the number itself, or "5.2#2" when the report repeats a paragraph number."""
    para_id = number
    copy = copies.get(number, 1)
    while para_id in used:
        copy += 1
        para_id = f"{number}#{copy}"
    copies[number] = copy
    used.add(para_id)
    return para_id


def _follow_on(parent: str, counts: dict[str, int], used: set[str]) -> str:
    """Return the next follow-on id under a parent ("4.4+1", "4.4+2"...)."""
    count = counts.get(parent, 0)
    while True:
        count += 1
        para_id = f"{parent}+{count}"
        if para_id not in used:
            counts[parent] = count
            used.add(para_id)
            return para_id
