"""Extract the text of a Word (.docx) report, with Word's automatic numbering written out.

Word keeps list numbers out of the text runs: a heading shows "3." and a bullet "•" only because
its paragraph points at a numbering definition (``w:numPr``, directly or through its style). This
module reads the package XML directly (libxml2 through lxml, hardened: no DTD is loaded, no
entity expanded, no network used, and a part declaring a DTD is refused) and computes those
labels from ``word/numbering.xml``, so that the shared segmentation sees
"3.2<TAB>Discussion on the Report" just as in converted text.

Body paragraphs and tables come in document order, one line per paragraph (a table cell's
paragraphs too, row by row), then the footnotes and endnotes, so that no text is lost. Tracked
insertions (``w:ins``), content controls (``w:sdt``), smart tags, hyperlinks and text boxes keep
their text; tracked deletions, field codes, comments and page headers/footers do not appear.
"""

from __future__ import annotations

import io
import logging
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from lxml.etree import _Element as Element  # lxml has no public name for its element type

from cwg_analysis.errors import ReportReadError, UnsafeFileError
from cwg_analysis.reading.guards import (
    check_xml_part,
    check_zip_directory,
    count_zip_entries,
)

__all__ = ["extract_docx_text"]

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_VAL = _W + "val"
_P = _W + "p"
_PPR = _W + "pPr"
_PSTYLE = _W + "pStyle"
_NUM_PR = _W + "numPr"
_T = _W + "t"
_SYM = _W + "sym"
_STYLE = _W + "style"
_ABSTRACT_NUM = _W + "abstractNum"
_NUM = _W + "num"
_LVL = _W + "lvl"
_TEXT_BOX = _W + "txbxContent"
# Content that Word does not show as text, or that a tracked change removed.
_SKIP = frozenset(
    _W + tag for tag in ("pPr", "rPr", "del", "moveFrom", "delText", "instrText", "sectPr", "tblPr")
) | {_MC_FALLBACK}
_NOT_RUN_TEXT = _SKIP | {_TEXT_BOX}  # a text box's paragraphs are lines of their own
_RUN_MARKS = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "br": "\n",
    _W + "cr": "\n",
    _W + "noBreakHyphen": "-",
}
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
_SUFFIX = {"tab": "\t", "space": " ", "nothing": ""}
_LEVEL_TOKENS = tuple((i, f"%{i + 1}") for i in range(8, -1, -1))  # "%9" ... "%1" in a level text
# Word numbers a list up to 32767; a letter label repeats its letter (value - 1) // 26 + 1 times,
# so a crafted start of 2,000,000,000 would make each label 77 MB. Beyond it: decimal.
_MAX_LIST_NUMBER = 32767
_NOTE_PARTS = ("footnotes", "endnotes")
_NOTE_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_PRIVATE_BULLET = "•"  # Symbol/Wingdings glyphs live in U+F000-U+F0FF; show them as a bullet
_PRIVATE_GLYPHS = dict.fromkeys(range(0xF000, 0xF100), _PRIVATE_BULLET)
# libxml2 without XML_PARSE_HUGE refuses nesting over 256 levels, text nodes over 10 MB and
# entity expansion over a small amplification factor (ERR_RESOURCE_LIMIT); nothing is fetched.
_HARDENED = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
}
_PARSER = etree.XMLParser(**_HARDENED)
_UNRESOLVED = object()  # a paragraph numbering not looked up yet (None: looked up, not numbered)
_STREAM_CHUNK = 4096  # bytes parsed at a time when a part is read only as far as needed


@dataclass(frozen=True, slots=True)
class _Level:
    """One level of a Word list definition."""

    fmt: str = "decimal"
    text: str = ""  # "%1.%2." (a bullet's glyph already read as a bullet sign)
    start: int = 1
    suffix: str = "\t"
    restart: int | None = None
    is_legal: bool = False


@dataclass(frozen=True, slots=True)
class _Abstract:
    """A list definition (``w:abstractNum``)."""

    levels: dict[int, _Level]
    style_levels: dict[str, int]  # the level each linked paragraph style (``w:pStyle``) selects
    style_link: str | None  # the numbering style whose list it takes (``w:numStyleLink``)


class _Numbering:
    """Word's list definitions, each read when a paragraph first needs it, and the counters.

    Where ``word/numbering.xml`` defines an id twice, the last definition counts.
    """

    def __init__(self, root: Element | None) -> None:
        self.abstract_elems: dict[str, Element] = {}
        self.num_elems: dict[str, Element] = {}
        if root is not None:
            for elem in root.iter(_ABSTRACT_NUM):
                self.abstract_elems[elem.get(_W + "abstractNumId", "")] = elem
            for elem in root.iter(_NUM):
                self.num_elems[elem.get(_W + "numId", "")] = elem
        self.abstracts: dict[str, _Abstract] = {}
        self.counters: dict[str, list[int | None]] = {}
        # by a paragraph's (pStyle, numId, ilvl) values: its list, level index and level
        self.targets: dict[tuple[str | None, ...], tuple[_List, int, _Level] | None] = {}

    def abstract(self, abstract_id: str) -> _Abstract:
        """Return a list definition (empty if there is none), reading it the first time."""
        found = self.abstracts.get(abstract_id)
        if found is None:
            found = self.abstracts[abstract_id] = _read_abstract(
                self.abstract_elems.get(abstract_id)
            )
        return found


@dataclass(frozen=True, slots=True)
class _List:
    """A numId resolved: its definition, levels (overrides applied) and counters."""

    abstract_id: str
    key: str  # the counters it advances: its own if it overrides levels, else its definition's
    levels: dict[int, _Level]
    restarts: tuple[tuple[int, ...], ...]  # for each level 0-8, the deeper levels it restarts


@dataclass(frozen=True, slots=True)
class _Style:
    """The numbering-relevant part of a paragraph style."""

    based_on: str | None
    num_id: str | None
    ilvl: int | None


def extract_docx_text(data: bytes, path: Path) -> str:
    """Return a .docx report's text: one line per paragraph, Word numbering written out.

    Raises
    ------
    ReportReadError
        The file is not a readable .docx (corrupt, encrypted, a legacy .doc, another format).
    UnsafeFileError
        The package breaks a limit of :mod:`cwg_analysis.reading.guards` (parts, sizes,
        compression ratio, nesting) or a part declares a DTD or entities.
    """
    if data.startswith(_OLE_MAGIC):
        raise ReportReadError(f"{path}: {_describe_ole(data)}")
    if not data.startswith(_ZIP_MAGIC):
        raise ReportReadError(f"{path}: corrupt docx: not a ZIP package: {data[:4]!r}")
    count_zip_entries(data, path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            check_zip_directory(package, path)
            parts = _Parts(package, path)
            main = _main_part(parts)
            body = parts.parse(main)
            rels = _relationships(parts, main)
            numbering_xml = parts.parse_optional(rels.get("numbering"))
            notes = [parts.parse_optional(rels.get(kind)) for kind in _NOTE_PARTS]
            used = _styles_used(numbering_xml, [body, *notes])
            style_map = _read_styles(parts, rels.get("styles"), used)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise ReportReadError(f"{path}: corrupt docx: {exc}") from exc
    numbering = _Numbering(numbering_xml)
    root = body.find(f"{_W}body")
    if root is None:
        raise ReportReadError(f"{path}: corrupt docx: {main} has no w:body")
    # The parser refuses nesting over 256 levels, so these recursive walks stay shallow.
    lines = [_render(p, numbering, style_map) for p in _paragraphs(root, _has_text_box(root))]
    for part in notes:
        if part is None:
            continue
        boxes = _has_text_box(part)
        for note in part:
            if note.get(_W + "type") not in _NOTE_SEPARATORS:
                lines.extend(_render(p, numbering, style_map) for p in _paragraphs(note, boxes))
    embedded = sum(1 for _ in root.iter(_W + "altChunk"))
    if embedded:
        log.warning(
            "%s: %d embedded document(s) (w:altChunk) not read: their text is missing",
            path,
            embedded,
        )
    return "\n".join(lines)


def _describe_ole(data: bytes) -> str:
    """Say what an OLE compound file named .docx is: an encrypted package or a legacy .doc."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "encrypted Word file: the .docx is password-protected; remove the password "
            "(File > Info > Protect Document) and save it again"
        )
    if "WordDocument".encode("utf-16-le") in data:
        return "legacy Word file: a Word 97-2003 .doc named .docx; save it as .docx"
    return (
        "encrypted or legacy Word file: password-protected .docx and .doc files cannot be "
        "read; save it as an unprotected .docx"
    )


class _Parts:
    """The XML parts of one package, parsed within the limits (sizes, ratio, entities)."""

    def __init__(self, package: zipfile.ZipFile, path: Path) -> None:
        self.package = package
        self.path = path
        self.names = set(package.namelist())
        self.read = 0  # uncompressed bytes of the parts parsed so far

    def parse_optional(self, name: str | None) -> Element | None:
        """Parse a part if the package has it."""
        return None if name is None or name not in self.names else self.parse(name)

    def parse(self, name: str) -> Element:
        """Read and parse one XML part: no DTD, no entities, within the size limits."""
        info = self._check(name)
        with self.package.open(info) as handle:
            data = handle.read(info.file_size + 1)  # zipfile stops at the declared size
        where = f"{self.path}:{name}"
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise _parse_error(exc, where) from exc
        _refuse_dtd(root, where)
        return root

    def children(self, name: str | None, root_tag: str) -> Iterator[Element]:
        """Yield the children of a part's root element as the part is parsed, each once it is
        complete; stopping early stops reading. Nothing if the package lacks the part.

        The part is checked and parsed as :meth:`parse` does. The parser reports only the start
        of the root (reporting elements costs lxml more than walking the tree as it grows); the
        tree grows in document order, so a child is complete once its next sibling has started.
        """
        if name is None or name not in self.names:
            return
        info = self._check(name)
        where = f"{self.path}:{name}"
        parser = etree.XMLPullParser(events=("start",), tag=root_tag, **_HARDENED)
        root = child = None  # child: the first child not yielded yet, once it has started
        with self.package.open(info) as handle:
            try:
                while chunk := handle.read(_STREAM_CHUNK):
                    parser.feed(chunk)
                    if root is None:
                        events = parser.read_events()
                        root = next((e for _, e in events if e.getparent() is None), None)
                        if root is None:
                            continue
                        _refuse_dtd(root, where)  # the prolog is parsed by now
                    if child is None:
                        child = next(iter(root), None)
                    while child is not None and (following := child.getnext()) is not None:
                        yield child
                        child = following
                root = parser.close()
            except etree.XMLSyntaxError as exc:
                raise _parse_error(exc, where) from exc
        _refuse_dtd(root, where)
        if child is None:  # the root had no child, or was not reported (another tag)
            child = next(iter(root), None)
        while child is not None:
            yield child
            child = child.getnext()

    def _check(self, name: str) -> zipfile.ZipInfo:
        """Check a part against the size limits and count it among the parts read."""
        info = self.package.getinfo(name)
        check_xml_part(info, self.read, self.path)
        self.read += info.file_size  # zipfile reads no more than the declared size
        return info


def _parse_error(exc: etree.XMLSyntaxError, where: str) -> ReportReadError:
    """Classify a parse error: libxml2's safety limits make it unsafe, anything else corrupt."""
    if exc.code != etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        return ReportReadError(f"{where}: corrupt docx: invalid XML: {exc}")
    if "depth" in str(exc):
        return UnsafeFileError(f"{where}: XML nested too deeply to read: {exc}")
    return UnsafeFileError(f"{where}: XML over the parser's safety limits: {exc}")


def _refuse_dtd(elem: Element, where: str) -> None:
    """Refuse a part that declares a DTD (entities), even one the parser did not expand."""
    if elem.getroottree().docinfo.internalDTD is not None:
        raise UnsafeFileError(f"{where}: XML declares a DTD (entities are not allowed)")


def _main_part(parts: _Parts) -> str:
    """Return the name of the main document part (normally ``word/document.xml``)."""
    if "_rels/.rels" in parts.names:
        for rel in parts.parse("_rels/.rels").iter(_REL):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in parts.names:
                    return target
    if "word/document.xml" in parts.names:
        return "word/document.xml"
    other = _other_package(parts.names)
    if other:
        raise ReportReadError(
            f"{parts.path}: wrong file type: the content is {other}, not a Word .docx package"
        )
    raise ReportReadError(f"{parts.path}: corrupt docx: no main document part (word/document.xml)")


def _other_package(names: set[str]) -> str | None:
    """Name the kind of a ZIP package that is not a Word document, if it is a known one."""
    if "mimetype" in names or "content.xml" in names:
        return "an OpenDocument file (.odt?)"
    for folder, kind in (("xl/", "an Excel workbook"), ("ppt/", "a PowerPoint presentation")):
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def _relationships(parts: _Parts, main: str) -> dict[str, str]:
    """Return the parts the main document relates to, by kind (styles, numbering, notes)."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    found = {kind: f"{folder}/{kind}.xml" for kind in ("styles", "numbering", *_NOTE_PARTS)}
    if rels_name in parts.names:
        for rel in parts.parse(rels_name).iter(_REL):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind in found and rel.get("TargetMode") != "External":
                found[kind] = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
    return found


def _children(elem: Element | None) -> dict[str, Element]:
    """Return an element's children by tag, the first of each (one pass: lxml's find is slow)."""
    found: dict[str, Element] = {}
    if elem is not None:
        for child in elem:
            found.setdefault(child.tag, child)
    return found


def _val(children: dict[str, Element], tag: str) -> str | None:
    """Return the ``w:val`` of the child ``w:<tag>`` among :func:`_children`, or None."""
    child = children.get(_W + tag)
    return None if child is None else child.get(_VAL)


def _int(value: str | None) -> int | None:
    """Parse an integer attribute; None when absent or malformed."""
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _read_level(lvl: dict[str, Element]) -> _Level:
    """Read one ``w:lvl`` definition, given its :func:`_children`."""
    start = _int(_val(lvl, "start"))
    fmt = _val(lvl, "numFmt") or "decimal"
    text = _val(lvl, "lvlText") or ""
    return _Level(
        fmt=fmt,
        text=text.translate(_PRIVATE_GLYPHS) if fmt == "bullet" else text,
        start=1 if start is None else start,
        suffix=_SUFFIX.get(_val(lvl, "suff") or "tab", "\t"),
        restart=_int(_val(lvl, "lvlRestart")),
        is_legal=_W + "isLgl" in lvl,
    )


def _read_abstract(elem: Element | None) -> _Abstract:
    """Read one ``w:abstractNum``: its levels, their linked styles and its numbering style."""
    levels: dict[int, _Level] = {}
    style_levels: dict[str, int] = {}
    if elem is None:
        return _Abstract(levels, style_levels, None)
    for lvl in elem.iter(_LVL):
        ilvl = _int(lvl.get(_W + "ilvl"))
        if ilvl is not None:
            lvl_children = _children(lvl)
            levels[ilvl] = _read_level(lvl_children)
            style = _val(lvl_children, "pStyle")
            if style:
                style_levels[style] = ilvl
    return _Abstract(levels, style_levels, _val(_children(elem), "numStyleLink") or None)


def _num_abstract_id(num: Element) -> str:
    """Return the list definition a ``w:num`` instantiates."""
    return _val(_children(num), "abstractNumId") or ""


def _num_overrides(num: Element) -> dict[int, tuple[_Level | None, int | None]]:
    """Return a ``w:num``'s level overrides: a whole level and/or a new start, by level."""
    overrides: dict[int, tuple[_Level | None, int | None]] = {}
    for override in num.iter(_W + "lvlOverride"):
        ilvl = _int(override.get(_W + "ilvl"))
        override_children = _children(override)
        lvl = override_children.get(_LVL)
        start = _int(_val(override_children, "startOverride"))
        if ilvl is not None and (lvl is not None or start is not None):
            overrides[ilvl] = (None if lvl is None else _read_level(_children(lvl)), start)
    return overrides


def _styles_used(numbering: Element | None, parts: list[Element | None]) -> set[str]:
    """Return the styles whose numbering may count: paragraphs' and lists' style references."""
    if numbering is None:  # without list definitions no paragraph is numbered
        return set()
    refs = [numbering.iter(_W + "numStyleLink")]
    refs += [part.iter(_PSTYLE) for part in parts if part is not None]
    return {val for ref in refs for elem in ref if (val := elem.get(_VAL))}


def _read_styles(parts: _Parts, name: str | None, used: set[str]) -> dict[str, _Style]:
    """Read the numbering (``w:numPr``, ``w:basedOn``) of the styles in use, in document order.

    The styles are the ``w:style`` children of the part's root. Reading stops once every style
    in use and the styles it is based on are found: table styles, most of a template's styles
    part, come after the paragraph styles. So the first definition of a style id counts, and
    the rest of the part is neither parsed nor checked.
    """
    found: dict[str, Element] = {}
    styles: dict[str, _Style] = {}
    missing: set[str] = set()
    for style_id in used:
        _need(style_id, found, styles, missing)
    for elem in parts.children(name, _W + "styles"):
        if not missing:
            break
        style_id = elem.get(_W + "styleId") if elem.tag == _STYLE else None
        if style_id and style_id not in found:
            found[style_id] = elem
            if style_id in missing:
                missing.discard(style_id)
                _need(style_id, found, styles, missing)
    return styles


def _need(
    style_id: str, found: dict[str, Element], styles: dict[str, _Style], missing: set[str]
) -> None:
    """Read a style in use and the styles it is based on, or note the first one not found yet.

    The ``w:basedOn`` chain ends at a style that sets numbering, as in :func:`_style_numbering`.
    """
    while style_id not in styles:
        elem = found.get(style_id)
        if elem is None:
            missing.add(style_id)
            return
        children = _children(elem)
        num_pr = _children(children.get(_W + "pPr")).get(_W + "numPr")
        num_pr_children = _children(num_pr)
        style = styles[style_id] = _Style(
            based_on=_val(children, "basedOn"),
            num_id=_val(num_pr_children, "numId"),
            ilvl=_int(_val(num_pr_children, "ilvl")),
        )
        if style.num_id is not None or not style.based_on:
            return
        style_id = style.based_on


def _has_text_box(part: Element) -> bool:
    """Say whether a part holds a text box (``w:txbxContent``); most have none."""
    return next(part.iter(_TEXT_BOX), None) is not None


def _paragraphs(container: Element, boxes: bool) -> Iterator[Element]:
    """Yield every paragraph in document order, through tables, content controls and text boxes.

    ``boxes`` is False when the part holds no text box, so paragraphs need not be searched.
    """
    for child in container:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == _P:
            yield child
            if boxes:
                for box in child.iter(_TEXT_BOX):
                    yield from _paragraphs(box, boxes)
        else:
            yield from _paragraphs(child, boxes)


def _render(paragraph: Element, numbering: _Numbering, styles: dict[str, _Style]) -> str:
    """Return one paragraph's text with its Word list label in front ("3.2<TAB>...")."""
    parts: list[str] = []
    properties = _collect_text(paragraph, parts)
    text = "".join(parts)
    if properties is None:  # neither numbering nor a style
        return text
    label = _number(properties, numbering, styles)
    if label is None or not text.strip():
        return text
    return label + text


def _collect_text(elem: Element, parts: list[str]) -> Element | None:
    """Append the visible text of an element's runs, in order, skipping deletions and fields.

    Returns the element's first ``w:pPr`` child (a paragraph's properties), or None.
    """
    properties = None
    for child in elem:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _NOT_RUN_TEXT:
            if tag == _PPR and properties is None:
                properties = child
        elif tag in _RUN_MARKS:
            parts.append(_RUN_MARKS[tag])
        elif tag == _SYM:
            parts.append(_symbol(child.get(_W + "char", "")))
        else:
            _collect_text(child, parts)
    return properties


def _symbol(code: str) -> str:
    """Return the character of a ``w:sym`` (symbol-font glyphs as a bullet sign)."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        return _PRIVATE_BULLET
    if 0xD800 <= value <= 0xDFFF:  # a surrogate is half a character, never text
        return ""
    return chr(value) if 0 < value < 0x110000 else ""


def _number(properties: Element, numbering: _Numbering, styles: dict[str, _Style]) -> str | None:
    """Return the list label of a paragraph, given its ``w:pPr``, and advance its list's
    counters; None if it is not numbered."""
    style = num_pr = None  # the first w:pStyle and w:numPr count
    for child in properties:
        tag = child.tag
        if tag == _PSTYLE:
            if style is None:
                style = child
        elif tag == _NUM_PR and num_pr is None:
            num_pr = child
    num_id = ilvl_value = None
    if num_pr is not None:
        num_pr_children = _children(num_pr)
        num_id, ilvl_value = _val(num_pr_children, "numId"), _val(num_pr_children, "ilvl")
    key = (None if style is None else style.get(_VAL), num_id, ilvl_value)
    target = numbering.targets.get(key, _UNRESOLVED)
    if target is _UNRESOLVED:
        target = numbering.targets[key] = _resolve_target(*key, numbering, styles)
    if target is None:
        return None
    listed, ilvl, level = target
    counters = numbering.counters.get(listed.key)
    if counters is None:
        counters = numbering.counters[listed.key] = [None] * 9
    current = counters[ilvl]
    counters[ilvl] = level.start if current is None else current + 1
    for deeper in listed.restarts[ilvl]:
        counters[deeper] = None
    if level.fmt == "none":
        return ""
    return _label(level, listed.levels, counters) + level.suffix


def _resolve_target(
    style_id: str | None,
    num_id: str | None,
    ilvl_value: str | None,
    numbering: _Numbering,
    styles: dict[str, _Style],
) -> tuple[_List, int, _Level] | None:
    """Return the list, level index and level a paragraph's ``w:pStyle`` and ``w:numPr`` select
    (its own numId and ilvl, else its style's), or None when it is not numbered."""
    ilvl = _int(ilvl_value)
    style_num, style_ilvl = _style_numbering(style_id, styles)
    if num_id is None:
        num_id = style_num
    if ilvl is None:
        ilvl = style_ilvl
    if num_id is None or num_id == "0" or num_id not in numbering.num_elems:
        return None
    listed = _resolve_list(num_id, numbering, styles)
    if ilvl is None:  # the level of the list linked to the paragraph's style, else the first
        ilvl = numbering.abstract(listed.abstract_id).style_levels.get(style_id or "", 0)
    level = listed.levels.get(ilvl)
    if level is None or not 0 <= ilvl <= 8:
        return None
    return listed, ilvl, level


def _resolve_list(num_id: str, numbering: _Numbering, styles: dict[str, _Style]) -> _List:
    """Resolve a numId to its levels (overrides applied) and the counters it advances."""
    abstract_id = _abstract_id(num_id, numbering, styles)
    levels = dict(numbering.abstract(abstract_id).levels)
    overrides = _num_overrides(numbering.num_elems[num_id])
    for override_ilvl, (override, start) in overrides.items():
        base = override or levels.get(override_ilvl)
        if base is not None:
            levels[override_ilvl] = base if start is None else replace(base, start=start)
    # A deeper level restarts after a higher one unless its w:lvlRestart says otherwise.
    restart = [levels[deeper].restart if deeper in levels else None for deeper in range(9)]
    restarts = tuple(
        tuple(
            deeper
            for deeper in range(ilvl + 1, 9)
            if restart[deeper] is None or (restart[deeper] != 0 and ilvl < restart[deeper])
        )
        for ilvl in range(9)
    )
    key = num_id if overrides else abstract_id
    return _List(abstract_id, key, levels, restarts)


def _style_numbering(
    style_id: str | None, styles: dict[str, _Style]
) -> tuple[str | None, int | None]:
    """Return the numId and ilvl a paragraph style (or a style it is based on) sets."""
    seen: set[str] = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        if style.num_id is not None:
            return style.num_id, style.ilvl
        style_id = style.based_on
    return None, None


def _abstract_id(num_id: str, numbering: _Numbering, styles: dict[str, _Style]) -> str:
    """Return the list definition behind a numId, following ``w:numStyleLink`` indirection."""
    abstract_id = _num_abstract_id(numbering.num_elems[num_id])
    for _ in range(4):
        link = numbering.abstract(abstract_id).style_link
        if link is None:
            break
        linked_num, _ilvl = _style_numbering(link, styles)
        if linked_num is None or linked_num not in numbering.num_elems:
            break
        abstract_id = _num_abstract_id(numbering.num_elems[linked_num])
    return abstract_id


def _label(level: _Level, levels: dict[int, _Level], counters: list[int | None]) -> str:
    """Fill a level text such as "%1.%2." with the current counters."""
    if level.fmt == "bullet":  # its symbol-font glyphs are read as a bullet sign
        return level.text
    out = level.text
    for i, token in _LEVEL_TOKENS:
        if token not in out:
            continue
        ref = levels.get(i, _Level())
        value = counters[i] if counters[i] is not None else ref.start
        fmt = "decimal" if level.is_legal else ref.fmt
        out = out.replace(token, _format(value, fmt))
    return out


def _format(value: int, fmt: str) -> str:
    """Format a list counter in a Word number format (decimal for formats not listed here)."""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter") and 0 < value <= _MAX_LIST_NUMBER:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            roman += numeral * count
        return roman if fmt == "lowerRoman" else roman.upper()
    return str(value)
