"""Document symbols: every spelling of a document gives one canonical symbol."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwg_analysis.symbols import canonical_symbol, find_symbols


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("WG-Internet 11/3", "CWG-Internet-11/3"),
        ("WG-Internet-11/3", "CWG-Internet-11/3"),
        ("CWG-Internet-11/3", "CWG-Internet-11/3"),
        ("CWG Internet 11/7", "CWG-Internet-11/7"),
        ("WG-Internet 11/2-E", "CWG-Internet-11/2"),
        ("CWG-Internet-10/7(Rev.1)-E", "CWG-Internet-10/7"),
        ("CWG-FHR 8/19", "CWG-FHR-8/19"),
        ("OPCWGINT6/2", "OPCWGINT6/2"),
        ("OPCWGINT 4/3-E", "OPCWGINT4/3"),
        ("C17/51", "C17/51"),
    ],
)
def test_each_spelling_of_a_symbol_has_one_canonical_form(written, canonical):
    assert canonical_symbol(written) == canonical
    assert [m.symbol for m in find_symbols(f"see {written}, please")] == [canonical]


def test_symbols_inside_urls_numbers_and_resolutions_are_not_documents():
    text = (
        "Plan (https://www.itu.int/md/C17/51-E.pdf), Questions 1/1 and 3/1, PP-14 Res. 197, "
        "the CWG Internet shall continue, CWG-FHR and Council 2017."
    )
    assert find_symbols(text) == []


def test_mentions_carry_their_span_in_the_text():
    text = "contribution CWG-Internet-11/7 and WG-Internet 11/2-E"
    spans = [(m.symbol, text[m.start : m.end]) for m in find_symbols(text)]
    assert spans == [
        ("CWG-Internet-11/7", "CWG-Internet-11/7"),
        ("CWG-Internet-11/2", "WG-Internet 11/2-E"),
    ]


def test_a_text_that_is_not_one_symbol_is_a_value_error():
    with pytest.raises(ValueError, match="not a document symbol: 'Resolution 179'"):
        canonical_symbol("Resolution 179")


@given(
    meeting=st.integers(1, 999),
    number=st.integers(1, 9999),
    spelling=st.sampled_from(
        [
            "WG-Internet {m}/{n}",
            "CWG-Internet-{m}/{n}-E",
            "CWG Internet {m}/{n}",
            "WG-Internet-{m}/{n}",
        ]
    ),
)
def test_canonical_symbols_are_stable_under_a_second_canonicalisation(meeting, number, spelling):
    symbol = canonical_symbol(spelling.format(m=meeting, n=number))
    assert symbol == f"CWG-Internet-{meeting}/{number}"
    assert canonical_symbol(symbol) == symbol


@given(st.text(max_size=200))
def test_any_text_is_searched_without_error(text):
    for mention in find_symbols(text):
        assert canonical_symbol(mention.symbol) == mention.symbol
