"""Resolve country names as ITU documents write them to ISO 3166-1 alpha-3 codes.

pycountry (maintained ISO 3166 data) plus the curated alias table
``data/reference/countries.csv``; country_converter 1.3.2 fails under pandas 3.1, and its
regex matching could confuse Niger with Nigeria, so matching here is exact after normalisation.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from cwg_analysis import config
from cwg_analysis.errors import DataValidationError, UnknownCountryError

__all__ = ["country_code", "country_codes", "normalise_country_name"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_SPACES = re.compile(r"\s+")
_INVERTED = re.compile(r"^(?P<base>[^,]+),\s*(?P<prefix>.+\bof(?: the)?)$", re.IGNORECASE)


def normalise_country_name(name: str) -> str:
    """Return the matching key of a country name: case, accents, spaces, apostrophes, "the".

    Examples
    --------
    >>> normalise_country_name("  the Russian  Federation ")
    'russian federation'
    >>> normalise_country_name("CÔTE D’IVOIRE")
    "cote d'ivoire"
    """
    previous, text = None, name
    while text != previous:  # a fixed point, so that normalising twice changes nothing
        previous = text
        text = text.casefold()
        if not text.isascii():  # accents and typographic apostrophes
            text = unicodedata.normalize("NFKD", text)
            text = "".join(char for char in text if not unicodedata.combining(char))
        text = text.translate(_APOSTROPHES)
        text = text.replace("&", " and ").replace("( ", "(").replace(" )", ")")
        text = _SPACES.sub(" ", text).strip(" .,;:").removeprefix("the ")
    return text


def _pycountry_names() -> Iterable[tuple[str, str]]:
    """Yield (name, alpha-3 code) for every name pycountry gives a country."""
    import pycountry

    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if not name:
                continue
            yield name, country.alpha_3
            # ISO writes "Korea, Republic of"; documents write "Republic of Korea".
            inverted = _INVERTED.match(name)
            if inverted:
                yield f"{inverted['prefix']} {inverted['base']}", country.alpha_3


@functools.cache
def _read_lookup(path: Path) -> dict[str, str]:
    """Read the curated table and pycountry into one normalised-name -> ISO3 dictionary."""
    lookup: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise DataValidationError(f"{path}: cannot read the country table: {exc}") from exc
    for line, row in enumerate(rows, start=2):
        code = row["country_code"]
        names = [row["name"], *filter(None, row["aliases"].split(";"))]
        for name in names:
            key = normalise_country_name(name)
            if lookup.get(key, code) != code:
                raise DataValidationError(
                    f"{path.name}:{line}: name already belongs to {lookup[key]}: {name!r}"
                )
            lookup[key] = code
    ambiguous: set[str] = set()
    from_iso: dict[str, str] = {}
    for name, code in _pycountry_names():
        key = normalise_country_name(name)
        if from_iso.get(key, code) != code:
            ambiguous.add(key)
        from_iso[key] = code
    for key, code in from_iso.items():
        if key not in lookup and key not in ambiguous:
            lookup[key] = code
    return lookup


def country_codes(names: Iterable[str]) -> list[str]:
    """Return the ISO 3166-1 alpha-3 code of each country name, in the same order.

    Matching is exact after normalisation (case, accents, spacing, apostrophes, a leading
    "the"): "Niger" is never "Nigeria". Names come from the curated table first, then pycountry.

    Raises
    ------
    UnknownCountryError
        Listing every name that does not resolve.

    Examples
    --------
    >>> country_codes(["Korea (Rep. of)", "the Russian Federation", "Niger", "Namibia"])
    ['KOR', 'RUS', 'NER', 'NAM']
    """
    codes: list[str] = []
    unknown: list[str] = []
    for name in names:
        code = country_code(name) if isinstance(name, str) else None
        if code is None:
            unknown.append(repr(name))
        else:
            codes.append(code)
    if unknown:
        raise UnknownCountryError(
            f"countries.csv: unknown country name(s) ({len(unknown)}): {', '.join(unknown)}; "
            "add each as an alias in data/reference/countries.csv"
        )
    return codes


def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-3 code of one country name, or None when it does not resolve.

    >>> country_code("Côte d’Ivoire"), country_code("Atlantis")
    ('CIV', None)
    """
    return _lookup(config.REFERENCE_DIR, name)


@functools.lru_cache(maxsize=8192)  # reports name the same states again and again
def _lookup(reference_dir: Path, name: str) -> str | None:
    return _read_lookup(reference_dir / "countries.csv").get(normalise_country_name(name))
