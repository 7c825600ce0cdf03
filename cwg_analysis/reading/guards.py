"""Refuse hostile or unreadable report files early, with an error that names the file and why.

Reports arrive as email attachments and web downloads, so every reader runs behind these
checks. The limits are generous for real CWG-Internet reports (the eleventh meeting's report
is 26,411 characters, its longest paragraph 1,310; the .docx built from it holds 18 parts)
and small enough that no file takes the reader past a few hundred megabytes of memory or an
unbounded time. The numbers are documented in SECURITY.md; change them here and there.

- Content sniffing: the first bytes decide the format, whatever the file is called ("a PDF
  document named .txt: rename it to .pdf").
- Text: a decoded report holds at most ``MAX_TEXT_CHARS`` characters and no line longer than
  ``MAX_LINE_CHARS``, so no downstream step meets a pathological paragraph. Text decoded twice
  (UTF-8 read as cp1252 and saved again: "ITUâ€™s") is reported.
- ZIP packages (.docx): the central directory is checked before any part is decompressed:
  number of entries, declared uncompressed total, and for every XML part read, its size and
  compression ratio; the parts read together stay under ``MAX_XML_TOTAL_BYTES``.
- PDF: pdfminer decompresses streams without a limit and repairs a damaged deflate stream one
  byte at a time, in quadratic time. While a PDF is read, :func:`bounded_pdf_streams` gives
  pdfminer decoders that stop at ``MAX_PDF_STREAM_BYTES`` per stream and
  ``MAX_PDF_DECODED_BYTES`` in all; pages and characters are counted as they are drawn,
  before the layout analysis.
"""

from __future__ import annotations

import logging
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from cwg_analysis.errors import ReportReadError, UnsafeFileError

if TYPE_CHECKING:
    import zipfile

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_LINE_CHARS",
    "MAX_PDF_CHARS",
    "MAX_PDF_DECODED_BYTES",
    "MAX_PDF_PAGES",
    "MAX_PDF_PAGE_CHARS",
    "MAX_PDF_STREAM_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_XML_PART_BYTES",
    "MAX_XML_TOTAL_BYTES",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_UNCOMPRESSED_BYTES",
    "bounded_pdf_streams",
    "check_file_type",
    "check_text_size",
    "check_xml_part",
    "check_zip_directory",
    "count_zip_entries",
    "find_double_encoding",
    "sniff_file_type",
]

log = logging.getLogger(__name__)

MiB = 1024 * 1024

# --- the limits (SECURITY.md lists them; keep both in step) ----------------------------------
MAX_TEXT_CHARS = 5_000_000  # about 1,500 pages; the seed report has 26,411 characters
MAX_LINE_CHARS = 100_000  # one paragraph; the seed's longest is 1,310 characters
MAX_ZIP_ENTRIES = 5_000  # a .docx has 10-50 parts, plus one per embedded image
MAX_ZIP_UNCOMPRESSED_BYTES = 512 * MiB  # declared size of every part together
MAX_XML_PART_BYTES = 32 * MiB  # one XML part; parsing takes about 11 bytes of memory per byte
MAX_XML_TOTAL_BYTES = 64 * MiB  # every XML part the reader parses together
MAX_COMPRESSION_RATIO = 200  # for parts over 1 MiB; Word's XML compresses 5-20 times
MAX_PDF_PAGES = 1_000
MAX_PDF_PAGE_CHARS = 20_000  # a dense A4 page holds about 5,000; layout time grows faster
MAX_PDF_CHARS = 1_000_000  # every page together
MAX_PDF_STREAM_BYTES = 32 * MiB  # one decoded stream (a page's content, a font)
MAX_PDF_DECODED_BYTES = 256 * MiB  # every stream decoded while reading one PDF

_RATIO_FLOOR = 1 * MiB  # small parts may compress well (a page of spaces); only big ones count
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CENTRAL_DIRECTORY = b"PK\x01\x02"
_MIN_DIRECTORY_RECORD = 46  # bytes of a central directory record before its name and extras
# (signature, what the content is, the suffix it should have) in the order they are tried.
_SIGNATURES: tuple[tuple[bytes, str, str | None], ...] = (
    (b"%PDF-", "a PDF document", ".pdf"),
    (b"PK\x03\x04", "a ZIP package (a Word .docx?)", ".docx"),
    (b"PK\x05\x06", "an empty ZIP package", None),
    (_OLE_MAGIC, "an OLE compound file (a legacy .doc or a password-protected Office file)", None),
    (b"{\\rtf", "an RTF document", None),
    (b"\x89PNG", "a PNG image", None),
    (b"\xff\xd8\xff", "a JPEG image", None),
    (b"GIF8", "a GIF image", None),
    (b"II*\x00", "a TIFF image", None),
    (b"MM\x00*", "a TIFF image", None),
    (b"\x1f\x8b", "a gzip archive", None),
    (b"7z\xbc\xaf", "a 7-Zip archive", None),
    (b"Rar!", "a RAR archive", None),
    (b"\x7fELF", "a program (ELF)", None),
    (b"MZ", "a Windows program", None),
)
_MARKUP = re.compile(rb"\s*(?:<\?xml|<!doctype\s+html|<html)", re.IGNORECASE)
_EXPECTED = {".txt": "a text report", ".docx": "a Word .docx package", ".pdf": "a PDF document"}
# Word characters written as UTF-8, read as cp1252 and saved as UTF-8 again: "’" -> "â€™",
# "é" -> "Ã©", a no-break space -> "Â\xa0". A UTF-8 continuation byte read as cp1252 is one of:
_CONTINUATION = "\u00a0-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_DOUBLE_ENCODED = re.compile(f"(?:[ÂÃ]|â€)[{_CONTINUATION}]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def sniff_file_type(data: bytes) -> tuple[str, str | None] | None:
    """Return what the bytes are (and the suffix they belong under), or None for plain text.

    Examples
    --------
    >>> sniff_file_type(b"%PDF-1.7\\n...")
    ('a PDF document', '.pdf')
    >>> sniff_file_type(b"1. Introduction") is None
    True
    """
    head = data[:64]
    for signature, what, suffix in _SIGNATURES:
        if head.startswith(signature):
            return what, suffix
    if _MARKUP.match(head):
        kind = "an XML file" if b"<?xml" in head[:16].lower() else "an HTML page"
        return kind, None
    return None


def check_file_type(data: bytes, suffix: str, path: Path) -> None:
    """Refuse a file whose content is another format than its name says.

    A .docx must be a ZIP package (an OLE file is reported by the .docx reader, which tells an
    encrypted package from a legacy .doc), a .pdf a PDF (a PDF header after up to 1,024 bytes
    of junk is accepted, as PDF readers do), a .txt no known binary or markup format.
    """
    found = sniff_file_type(data)
    if suffix == ".pdf" and b"%PDF-" in data[:1024]:
        return
    if found is None:
        return
    what, belongs = found
    if belongs == suffix or (suffix == ".docx" and data.startswith(_OLE_MAGIC)):
        return
    fix = f"; rename it to {belongs}" if belongs else ""
    raise ReportReadError(
        f"{path}: wrong file type: the content is {what}, not {_EXPECTED[suffix]}{fix}"
    )


def check_text_size(text: str, path: Path) -> None:
    """Refuse a text longer than ``MAX_TEXT_CHARS`` or with a line over ``MAX_LINE_CHARS``."""
    if len(text) > MAX_TEXT_CHARS:
        raise UnsafeFileError(
            f"{path}: text too long: {len(text):,} characters (limit {MAX_TEXT_CHARS:,})"
        )
    if max(map(len, text.splitlines()), default=0) <= MAX_LINE_CHARS:
        return
    start = 0
    for line, brk in enumerate(_LINE_BREAK.finditer(text), start=1):
        if brk.start() - start > MAX_LINE_CHARS:
            _refuse_line(path, line, brk.start() - start)
        start = brk.end()
    if len(text) - start > MAX_LINE_CHARS:
        _refuse_line(path, text.count("\n", 0, start) + 1, len(text) - start)


def _refuse_line(path: Path, line: int, length: int) -> None:
    raise UnsafeFileError(
        f"{path}:line {line}: line too long: {length:,} characters in one paragraph "
        f"(limit {MAX_LINE_CHARS:,})"
    )


def find_double_encoding(text: str) -> re.Match[str] | None:
    """Return the first mark of text decoded twice ("ITUâ€™s", "rÃ©union"), or None.

    Examples
    --------
    >>> find_double_encoding("ITUâ€™s role").group()
    'â€™'
    >>> find_double_encoding("ITU’s role, the réunion") is None
    True
    """
    if "Â" not in text and "Ã" not in text and "â" not in text:  # a quick scan first
        return None
    return _DOUBLE_ENCODED.search(text)


# --- ZIP packages ------------------------------------------------------------------------------


def count_zip_entries(data: bytes, path: Path) -> None:
    """Refuse a ZIP whose central directory lists more than ``MAX_ZIP_ENTRIES`` entries.

    Counted on the raw bytes before ``zipfile`` builds one object per entry (a 200 MB file of
    directory records would otherwise take gigabytes): every entry starts with its signature.
    A record takes at least 46 bytes, so a file too small to hold more is not scanned.
    """
    if len(data) // _MIN_DIRECTORY_RECORD <= MAX_ZIP_ENTRIES:
        return
    entries = data.count(_CENTRAL_DIRECTORY)
    if entries > MAX_ZIP_ENTRIES:
        raise UnsafeFileError(
            f"{path}: too many parts in the package: {entries:,} (limit {MAX_ZIP_ENTRIES:,})"
        )


def check_zip_directory(package: zipfile.ZipFile, path: Path) -> None:
    """Refuse a package whose directory declares too much data or encrypted parts."""
    infos = package.infolist()
    declared = sum(info.file_size for info in infos)
    if declared > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise UnsafeFileError(
            f"{path}: package too large when uncompressed: {declared:,} bytes declared "
            f"(limit {MAX_ZIP_UNCOMPRESSED_BYTES:,})"
        )
    encrypted = [info.filename for info in infos if info.flag_bits & 0x1]
    if encrypted:
        raise ReportReadError(
            f"{path}: encrypted ZIP parts cannot be read: {', '.join(encrypted[:3])}"
        )


def check_xml_part(info: zipfile.ZipInfo, already_read: int, path: Path) -> None:
    """Refuse an XML part that is too large, too compressed, or over the total of parts read."""
    name, size = info.filename, info.file_size
    ratio = size / max(info.compress_size, 1)
    if size > MAX_XML_PART_BYTES:
        raise UnsafeFileError(
            f"{path}:{name}: part too large or too compressed: {size:,} bytes "
            f"(limit {MAX_XML_PART_BYTES:,} a part)"
        )
    if ratio > MAX_COMPRESSION_RATIO and size > _RATIO_FLOOR:
        raise UnsafeFileError(
            f"{path}:{name}: part too large or too compressed: {size:,} bytes from "
            f"{info.compress_size:,}, ratio {ratio:.0f} (limit {MAX_COMPRESSION_RATIO}; "
            "a ZIP bomb?)"
        )
    if already_read + size > MAX_XML_TOTAL_BYTES:
        raise UnsafeFileError(
            f"{path}:{name}: XML parts too large together: {already_read + size:,} bytes "
            f"(limit {MAX_XML_TOTAL_BYTES:,})"
        )


# --- PDF streams -------------------------------------------------------------------------------

_PDF_LOCK = threading.Lock()  # the decoders are swapped module-wide: one PDF at a time


class _StreamBudget:
    """Bounded replacements of pdfminer's stream decoders, sharing one budget per PDF."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used = 0

    def _room(self) -> int:
        return min(MAX_PDF_STREAM_BYTES, MAX_PDF_DECODED_BYTES - self.used)

    def _charge(self, size: int, filter_name: str) -> None:
        room = self._room()
        if size > room:
            if room < MAX_PDF_STREAM_BYTES:
                raise UnsafeFileError(
                    f"{self.path}: PDF streams too large together when decoded: more than "
                    f"{MAX_PDF_DECODED_BYTES:,} bytes (a decompression bomb?)"
                )
            raise UnsafeFileError(
                f"{self.path}: PDF stream too large when decoded ({filter_name}): more than "
                f"{MAX_PDF_STREAM_BYTES:,} bytes (a decompression bomb?)"
            )
        self.used += size

    def inflate(self, data: bytes) -> bytes:
        """Decompress a whole deflate stream as ``zlib.decompress`` does, within the budget."""
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, self._room() + 1)
        self._charge(len(out), "FlateDecode")
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    def inflate_damaged(self, data: bytes) -> bytes:
        """Recover a deflate stream whose checksum is damaged, in linear time.

        pdfminer feeds such a stream to zlib one byte at a time and concatenates the output in
        quadratic time; this keeps its rule (an error before the last 3 bytes is fatal).
        """
        inflater = zlib.decompressobj()
        out = inflater.decompress(data[:-3], self._room() + 1)
        self._charge(len(out), "FlateDecode")
        tail = b""
        for byte in data[-3:]:
            try:
                tail += inflater.decompress(bytes([byte]), self._room() + 1)
            except zlib.error:
                log.warning("%s: data lost while decompressing a damaged PDF stream", self.path)
                break
        self._charge(len(tail), "FlateDecode")
        return out + tail

    def unlzw(self, data: bytes) -> bytes:
        """Decode an LZW stream within the budget."""
        from pdfminer.lzw import LZWDecoder

        out = bytearray()
        room = self._room()
        for chunk in LZWDecoder(BytesIO(data)).run():
            out += chunk
            if len(out) > room:
                break
        self._charge(len(out), "LZWDecode")
        return bytes(out)

    def unrunlength(self, data: bytes) -> bytes:
        """Decode a RunLength stream (PDF 1.7, 7.4.5) within the budget."""
        out = bytearray()
        room = self._room()
        i = 0
        while i < len(data) and len(out) <= room:
            length = data[i]
            if length == 128:  # end of data
                break
            if length < 128:
                out += data[i + 1 : i + length + 2]
                i += length + 2
            else:
                out += data[i + 1 : i + 2] * (257 - length)
                i += 2
        self._charge(len(out), "RunLengthDecode")
        return bytes(out)


class _BoundedZlib:
    """The part of the ``zlib`` module pdfminer's stream decoder uses, bounded."""

    error = zlib.error

    def __init__(self, budget: _StreamBudget) -> None:
        self.decompress: Callable[[bytes], bytes] = budget.inflate
        self.decompressobj = zlib.decompressobj


@contextmanager
def bounded_pdf_streams(path: Path) -> Iterator[None]:
    """Let pdfminer decode streams only within the limits, while one PDF is read.

    pdfminer offers no limit of its own, so its decoders (``pdfminer.pdftypes``) are replaced
    for the duration and restored after; a lock keeps threads from reading PDFs at once.
    """
    from pdfminer import pdftypes

    budget = _StreamBudget(path)
    bounded = {
        "zlib": _BoundedZlib(budget),
        "decompress_corrupted": budget.inflate_damaged,
        "lzwdecode": budget.unlzw,
        "rldecode": budget.unrunlength,
    }
    with _PDF_LOCK:
        saved = {name: getattr(pdftypes, name) for name in bounded}
        try:
            for name, value in bounded.items():
                setattr(pdftypes, name, value)
            yield
        finally:
            for name, value in saved.items():
                setattr(pdftypes, name, value)
