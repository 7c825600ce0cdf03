"""Find document symbols in report text and write each under one canonical form.

The reports write the same document as ``WG-Internet 11/3``, ``WG-Internet-11/3``,
``CWG Internet 11/7`` or ``CWG-Internet-11/2-E``; all are ``CWG-Internet-<meeting>/<n>``.
Other Council working groups keep their body (``CWG-FHR 8/19`` -> ``CWG-FHR-8/19``), open
consultation documents are ``OPCWGINT6/2`` and Council documents ``C17/51``. Language
suffixes (``-E``) and revision marks (``(Rev.1)``) name the same document and are dropped.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["SymbolMention", "canonical_symbol", "find_symbols", "mask_urls"]

_REVISION = r"(?:\s*\(Rev\.?\s*\d+\))?(?:-[EFSACR](?![\w/]))?(?:\s*\(Rev\.?\s*\d+\))?"
_SYMBOL = re.compile(
    r"(?<![\w/-])(?:"
    r"C?WG[- ]?Internet[- ]?(?P<im>\d{1,5})/(?P<in>\d{1,4})"
    r"|C?WG[- ](?P<body>(?!Internet)[A-Z][A-Za-z&]{1,11})[- ]?(?P<bm>\d{1,5})/(?P<bn>\d{1,4})"
    r"|OPCWGINT\s?(?P<om>\d{1,5})/(?P<on>\d{1,4})"
    r"|C(?P<cy>\d{2})/(?P<cn>\d{1,4})"
    r")" + _REVISION + r"(?![\w/])"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”)]+")


class SymbolMention(NamedTuple):
    """A document symbol found in a text: canonical form and character span."""

    symbol: str
    start: int
    end: int


def _canonical(match: re.Match[str]) -> str:
    """Return the canonical symbol of a regex match of ``_SYMBOL``."""
    if match["im"] is not None:
        return f"CWG-Internet-{int(match['im'])}/{int(match['in'])}"
    if match["body"] is not None:
        return f"CWG-{match['body']}-{int(match['bm'])}/{int(match['bn'])}"
    if match["om"] is not None:
        return f"OPCWGINT{int(match['om'])}/{int(match['on'])}"
    return f"C{match['cy']}/{int(match['cn'])}"


def mask_urls(text: str) -> str:
    """Return the text with every URL replaced by spaces of the same length (spans unchanged).

    >>> text = "see https://www.itu.int/md/C17/51 now"
    >>> mask_urls(text).split(), len(mask_urls(text)) == len(text)
    (['see', 'now'], True)
    """
    return _URL.sub(lambda match: " " * len(match.group()), text)


def find_symbols(text: str) -> list[SymbolMention]:
    """Return every document symbol in the text, in order, ignoring symbols inside URLs.

    >>> [m.symbol for m in find_symbols("contribution CWG-Internet-11/7 and WG-Internet 11/2-E")]
    ['CWG-Internet-11/7', 'CWG-Internet-11/2']
    """
    if "/" not in text:  # every symbol holds one: most paragraphs are skipped at C speed
        return []
    return list(_symbols_in(text))


@functools.lru_cache(maxsize=1024)  # extraction reads each paragraph more than once
def _symbols_in(text: str) -> tuple[SymbolMention, ...]:
    """Return every document symbol in the text, in order, ignoring symbols inside URLs."""
    masked = mask_urls(text) if "://" in text or "www." in text else text
    return tuple(
        SymbolMention(_canonical(match), match.start(), match.end())
        for match in _SYMBOL.finditer(masked)
    )


def canonical_symbol(raw: str) -> str:
    """Return the canonical form of one document symbol.

    Raises
    ------
    ValueError
        When the text is not exactly one document symbol.

    Examples
    --------
    >>> canonical_symbol("WG-Internet 11/3")
    'CWG-Internet-11/3'
    >>> canonical_symbol("CWG-FHR 8/19")
    'CWG-FHR-8/19'
    """
    match = _SYMBOL.fullmatch(raw.strip())
    if match is None:
        raise ValueError(f"not a document symbol: {raw!r}")
    return _canonical(match)
