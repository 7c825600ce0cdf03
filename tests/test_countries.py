"""Tests for cwg_analysis.countries: ITU-style names to ISO 3166-1 alpha-3 codes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwg_analysis import config
from cwg_analysis.countries import (
    _lookup,
    _read_lookup,
    country_code,
    country_codes,
    normalise_country_name,
)
from cwg_analysis.errors import DataValidationError, UnknownCountryError

SEED_REPORT = config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"

ITU_NAMES = {
    "Korea (Rep. of)": "KOR",
    "Iran (Islamic Republic of)": "IRN",
    "Türkiye": "TUR",
    "Côte d'Ivoire": "CIV",
    "Democratic Republic of the Congo": "COD",
    "Congo": "COG",
    "Niger": "NER",
    "Nigeria": "NGA",
    "the Russian Federation": "RUS",
    "Republic of Armenia": "ARM",
    "Republic of Azerbaijan": "AZE",
    "Republic of Belarus": "BLR",
    "Kyrgyz Republic": "KGZ",
    "Republic of India": "IND",
    "Brazil": "BRA",
    "United States": "USA",
    "Germany": "DEU",
    "UAE": "ARE",
    "United Arab Emirates": "ARE",
    "Saudi Arabia": "SAU",
    "Rwanda": "RWA",
    "Namibia": "NAM",
}


def read_country_rows() -> list[dict[str, str]]:
    with (config.REFERENCE_DIR / "countries.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("name", "code"), list(ITU_NAMES.items()))
def test_each_itu_style_name_resolves_to_its_iso3_code(name, code):
    assert country_codes([name]) == [code]


def test_codes_come_back_in_the_order_of_the_names():
    assert country_codes(list(ITU_NAMES)) == list(ITU_NAMES.values())


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Niger", "Nigeria"),
        ("Congo", "Democratic Republic of the Congo"),
        ("Guinea", "Guinea-Bissau"),
        ("Guinea", "Equatorial Guinea"),
        ("Sudan", "South Sudan"),
        ("Korea (Rep. of)", "Democratic People's Republic of Korea"),
        ("Dominica", "Dominican Republic"),
    ],
)
def test_neighbouring_names_never_resolve_to_the_same_country(first, second):
    first_code, second_code = country_codes([first, second])
    assert first_code != second_code


@pytest.mark.parametrize(
    "variant",
    ["CÔTE D’IVOIRE", "cote d'ivoire", "  Côte   d`Ivoire ", "The Côte d'Ivoire", "Ivory Coast"],
)
def test_case_accents_spacing_apostrophes_and_the_do_not_matter(variant):
    assert country_codes([variant]) == ["CIV"]


def test_iso_names_written_inverted_resolve_through_pycountry():
    names = ["Korea, Republic of", "Republic of Korea", "Congo, The Democratic Republic of the"]
    assert country_codes(names) == ["KOR", "KOR", "COD"]


def test_unknown_names_raise_one_error_listing_all_of_them():
    with pytest.raises(UnknownCountryError, match=r"\(2\): 'Atlantis', 'Nigera'"):
        country_codes(["Atlantis", "Niger", "Nigera"])


def test_a_prefix_of_a_name_is_not_a_match():
    with pytest.raises(UnknownCountryError, match="'Russian'"):
        country_codes(["Russian"])


def test_a_missing_value_is_reported_as_unknown_not_skipped():
    with pytest.raises(UnknownCountryError, match="None"):
        country_codes(["Brazil", None])


def test_every_state_named_in_the_seed_report_submitters_resolves():
    text = SEED_REPORT.read_text(encoding="utf-8")
    listed = re.search(r"WG-Internet-11/3 from (.+?):", text)[1]
    names = re.split(r",\s*|\s+and\s+", listed)
    assert country_codes(names) == ["RUS", "ARM", "AZE", "BLR", "KGZ"]


def test_the_table_lists_the_193_itu_member_states_once_each_with_a_region_and_source():
    rows = read_country_rows()
    codes = [row["country_code"] for row in rows]
    assert len(rows) == 193
    assert len(set(codes)) == 193
    assert "NAM" in codes
    assert all(pycountry.countries.get(alpha_3=code) for code in codes)
    assert {row["itu_region"] for row in rows} == set("ABCDE")
    assert all(row["source"].startswith("https://") for row in rows)
    assert all(row["note"] for row in rows if row["is_uncertain"] == "true")


def test_regions_confirmed_by_the_council_election_results_are_not_flagged():
    rows = {row["country_code"]: row for row in read_country_rows()}
    assert rows["HUN"]["itu_region"] == "B"
    assert rows["HUN"]["is_uncertain"] == "false"
    assert rows["AZE"]["itu_region"] == "C"
    assert rows["IRN"]["itu_region"] == "E"
    assert rows["CIV"]["itu_region"] == "D"


def test_the_lookup_table_is_read_once():
    _read_lookup.cache_clear()
    _lookup.cache_clear()
    country_codes(["Brazil"])
    country_codes(["India"])
    assert _read_lookup.cache_info().misses == 1
    assert _read_lookup.cache_info().hits == 1


def test_one_name_resolves_to_its_code_or_to_none_without_an_error():
    assert country_code("Côte d’Ivoire") == "CIV"
    assert country_code("the Russian Federation") == "RUS"
    assert country_code("Freedonia") is None
    assert country_codes(["Niger", "Nigeria"]) == ["NER", "NGA"]


def test_accented_and_ascii_spellings_normalise_alike():
    assert normalise_country_name("CÔTE D’IVOIRE") == normalise_country_name("cote d'ivoire")
    assert normalise_country_name("Türkiye") == "turkiye"
    assert normalise_country_name("Bosnia & Herzegovina") == "bosnia and herzegovina"


def test_a_name_given_to_two_countries_in_the_table_is_an_error(tmp_path: Path, monkeypatch):
    (tmp_path / "countries.csv").write_text(
        "country_code,name,aliases,itu_region,is_uncertain,note,source\n"
        "NER,Niger,,D,false,,https://example.org\n"
        "NGA,Nigeria,Niger,D,false,,https://example.org\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(config, "REFERENCE_DIR", tmp_path)
    with pytest.raises(DataValidationError, match=r"countries.csv:3: .*NER: 'Niger'"):
        country_codes(["Niger"])


@given(st.text(max_size=40) | st.from_regex(r"(?i)(the\s*)+[\s.,;:\u00b4`’]*\w*", fullmatch=True))
def test_normalising_twice_changes_nothing(name):
    once = normalise_country_name(name)
    assert normalise_country_name(once) == once
