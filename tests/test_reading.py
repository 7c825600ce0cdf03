"""Reading a report's text into numbered paragraphs, its header and the units dropped by rule."""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cwg_analysis.reading as reading
from cwg_analysis.errors import (
    CwgAnalysisError,
    NotAReportError,
    ReportReadError,
    UnsafeFileError,
)
from cwg_analysis.reading import Source, read_source
from cwg_analysis.reading.text import _iter_lines, normalise_space, segment_text

SEED = Path(__file__).resolve().parents[1] / "data/raw/reports/cwg-internet-11-final-report.txt"

SEED_NUMBERED_IDS = [
    *("1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "2.4", "3", "3.1", "3.2", "4"),
    *("4.1", "4.2", "4.3", "4.4", "5", "5.1", "5.2", "5.3", "5.4", "5.4.1", "5.4.2"),
    *("5.4.3", "5.5", "5.6", "6", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "7", "7.1"),
    *("7.2", "7.3", "8", "8.1", "9", "9.1", "9.2", "9.3"),
]
PARAGRAPH_COLUMNS = {
    "meeting": "Int64",
    "seq": "Int64",
    "para_id": "string",
    "section": "string",
    "section_title": "string",
    "kind": "category",
    "text": "string",
    "span_start": "Int64",
    "span_end": "Int64",
    "source_sha256": "string",
}
MEETING_COLUMNS = {
    "meeting": "Int64",
    "start_date": "datetime64[us]",
    "end_date": "datetime64[us]",
    "venue": "string",
    "report_symbol": "string",
    "report_date": "datetime64[us]",
    "source_file": "string",
    "source_sha256": "string",
}
DROPPED_COLUMNS = {
    "meeting": "Int64",
    "rule": "category",
    "text": "string",
    "span_start": "Int64",
    "span_end": "Int64",
}
_ARTEFACT = re.compile(r"\[bookmark: [^\]\r\n]{1,40}\]")  # bounded: linear on any line


@pytest.fixture(scope="module")
def seed() -> Source:
    return read_source(SEED)


def _by_id(source: Source) -> dict[str, str]:
    return dict(zip(source.paragraphs["para_id"], source.paragraphs["text"], strict=True))


def _write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_inventory_complete(source: Source) -> None:
    """Every non-space character of the text lies in a paragraph's or a dropped unit's span,
    and every paragraph's text is what its span holds once markers and artefacts are gone."""
    covered = bytearray(len(source.text))
    for frame in (source.paragraphs, source.dropped):
        for start, end in zip(frame["span_start"], frame["span_end"], strict=True):
            covered[start:end] = b"\x01" * (end - start)
    lost = [i for i, ch in enumerate(source.text) if not ch.isspace() and not covered[i]]
    assert lost == [], f"characters in no paragraph and no dropped unit: {lost[:10]}"
    for row in source.paragraphs.itertuples():
        held = normalise_space(_ARTEFACT.sub("", source.text[row.span_start : row.span_end]))
        assert held.endswith(row.text), (row.para_id, held[:80], row.text[:80])


def test_seed_txt_gives_every_numbered_paragraph_with_the_reports_own_ids(seed):
    paragraphs = seed.paragraphs
    numbered = paragraphs[paragraphs["kind"].isin(["heading", "numbered"])]
    assert len(paragraphs) >= 60
    assert list(numbered["para_id"]) == SEED_NUMBERED_IDS
    assert paragraphs["para_id"].is_unique


def test_seed_paragraph_counts_by_kind(seed):
    counts = seed.paragraphs["kind"].value_counts().to_dict()
    assert counts == {"bullet": 49, "heading": 26, "numbered": 17, "text": 16, "header": 0}


def test_bullets_of_3_2_are_numbered_3_2_1_to_3_2_8(seed):
    bullets = seed.paragraphs[seed.paragraphs["para_id"].str.startswith("3.2.")]
    assert list(bullets["para_id"]) == [f"3.2.{i}" for i in range(1, 9)]
    assert set(bullets["kind"]) == {"bullet"}
    assert bullets["text"].iloc[0].startswith("Some Member States highlighted the capacity")
    assert bullets["text"].iloc[-1] == (
        "Additional discussion of the report based on the Russian Contribution CWG Internet "
        "11/7 is described in detail in Section 6.1 below."
    )


def test_number_typed_with_a_space_five_dot_space_two_is_paragraph_5_2(seed):
    assert _by_id(seed)["5.2"].startswith("Contribution WG-Internet-11/4 from the Russian")


def test_unnumbered_follow_on_paragraphs_count_on_from_their_numbered_paragraph(seed):
    texts = _by_id(seed)
    assert texts["4.4+1"].startswith("Some Member States were of the view that the current")
    assert texts["4.4+2"].startswith("One Member State suggested that in future consultations")
    assert texts["4.4+3"].startswith("The Chairman further invited the ITU Secretariat")
    assert "4.4+4" not in texts
    assert texts["5+1"].startswith("The contributions, as submitted by the authors")


def test_dash_bullets_under_a_heading_and_its_follow_on_text_are_numbered_below_it(seed):
    texts = _by_id(seed)
    assert texts["5.5+1"].startswith("In the contribution Russian Federation expresses")
    assert texts["5.5.1"].startswith("to supplement Sections 2 and 3 of the Report")
    assert texts["5.5.3"].startswith("to include in the title of the Report Resolution 197")


def test_numbered_titles_are_headings_and_sentences_are_numbered_paragraphs(seed):
    kinds = dict(zip(seed.paragraphs["para_id"], seed.paragraphs["kind"], strict=True))
    assert kinds["6"] == kinds["6.6"] == kinds["3.1"] == kinds["5.1"] == "heading"
    assert kinds["4.4"] == kinds["5.4.1"] == kinds["9.1"] == "numbered"


def test_every_paragraph_carries_its_top_level_section_and_title(seed):
    row = seed.paragraphs.set_index("para_id").loc["6.6.4"]
    assert (row["section"], row["section_title"]) == ("6", "Discussions")
    assert row["text"].startswith("On the proposal on enhanced cooperation, some Member States")
    assert seed.paragraphs["section"].notna().all()


def test_text_is_clean_whitespace_normalised_and_otherwise_unchanged(seed):
    texts = _by_id(seed)
    assert texts["3"] == (
        "WG-Internet 11/2: Secretariat report on ITU Internet Activities: Resolutions 101, 102, "
        "133, and 180"
    )
    assert texts["1"] == "Introduction"
    assert not any("\t" in t or "  " in t or "\u00a0" in t for t in texts.values())
    assert "ITU’s further work" in texts["1.1"]


def test_bookmark_artefacts_are_removed_and_counted_in_dropped(seed):
    dropped = seed.dropped
    assert list(dropped["rule"]) == ["artefact"] * 6
    assert list(dropped["text"]) == [
        "[bookmark: _Hlk504716038]",
        "[bookmark: _Hlk504716098]",
        "[bookmark: _Hlk504716134]",
        "[bookmark: _Hlk504716193]",
        "[bookmark: _Hlk504717084]",
        "[bookmark: _GoBack]",
    ]
    for row in dropped.itertuples():
        assert seed.text[row.span_start : row.span_end] == row.text
    assert not seed.paragraphs["text"].str.contains("[bookmark", regex=False).any()
    assert _by_id(seed)["5.1"].startswith("Contribution WG-Internet-11/3 from")
    assert _by_id(seed)["6.2.1"].startswith("This document was presented and discussed")


def test_every_non_empty_unit_of_the_seed_is_a_paragraph_or_dropped_by_a_rule(seed):
    assert_inventory_complete(seed)


def test_spans_index_into_the_decoded_source_text(seed):
    row = seed.paragraphs.set_index("para_id").loc["7.2.1"]
    span = seed.text[row["span_start"] : row["span_end"]]
    assert span.startswith("· India requested that the report submitted by the TSB Director")
    assert seed.text == SEED.read_text(encoding="utf-8")


def test_seed_header_gives_the_meeting_number_and_leaves_the_rest_null(seed):
    meeting = seed.meeting.iloc[0]
    assert meeting["meeting"] == 11
    for column in ("start_date", "end_date", "venue", "report_symbol", "report_date"):
        assert pd.isna(meeting[column]), column
    assert meeting["source_file"] == "cwg-internet-11-final-report.txt"
    assert meeting["source_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert seed.sha256 == meeting["source_sha256"]
    assert set(seed.paragraphs["meeting"]) == {11}
    assert set(seed.paragraphs["source_sha256"]) == {seed.sha256}


@pytest.mark.parametrize(
    ("frame", "columns"),
    [("paragraphs", PARAGRAPH_COLUMNS), ("meeting", MEETING_COLUMNS), ("dropped", DROPPED_COLUMNS)],
)
def test_frames_have_the_contract_columns_in_order_with_nullable_dtypes(seed, frame, columns):
    table = getattr(seed, frame)
    assert {name: str(dtype) for name, dtype in table.dtypes.items()} == columns
    assert list(table.columns) == list(columns)
    assert isinstance(table.index, pd.RangeIndex)


def test_kind_and_rule_are_categoricals_with_a_fixed_vocabulary(seed):
    assert list(seed.paragraphs["kind"].cat.categories) == [
        "header",
        "heading",
        "numbered",
        "bullet",
        "text",
    ]
    assert list(seed.dropped["rule"].cat.categories) == [
        "artefact",
        "page_furniture",
        "empty_bullet",
    ]


def test_reading_the_seed_takes_milliseconds():
    read_source(SEED)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        read_source(SEED)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05


# --- other converters' layouts ------------------------------------------------------------


def test_numbers_glued_to_the_text_are_read(tmp_path):
    path = _write(
        tmp_path,
        "1.Introduction\n1.1.On behalf of the Secretary-General, the Deputy welcomed all.\n"
        "1.2The Chairman thanked the participants.\n",
    )
    source = read_source(path)
    assert _by_id(source) == {
        "1": "Introduction",
        "1.1": "On behalf of the Secretary-General, the Deputy welcomed all.",
        "1.2": "The Chairman thanked the participants.",
    }


def test_dash_headings_take_the_section_number_of_their_paragraphs(tmp_path):
    path = _write(
        tmp_path,
        "- Introduction\n1.1 The Chairman opened the meeting.\n"
        "- Agenda of the meeting\n2.1 The agenda was adopted.\n"
        "- a dash item that stays a bullet;\n",
    )
    source = read_source(path)
    rows = source.paragraphs.set_index("para_id")
    assert list(rows.index) == ["1", "1.1", "2", "2.1", "2.1.1"]
    assert rows.loc["2", "kind"] == "heading"
    assert rows.loc["2.1", "section_title"] == "Agenda of the meeting"
    assert rows.loc["2.1.1", "kind"] == "bullet"


def test_a_dash_title_inside_a_section_stays_a_bullet(tmp_path):
    path = _write(tmp_path, "1. Introduction\n1.1 Opened.\n- Some Title Words\n1.2 Closed.\n")
    rows = read_source(path).paragraphs.set_index("para_id")
    assert rows.loc["1.1.1", "kind"] == "bullet"
    assert rows.loc["1.1.1", "text"] == "Some Title Words"


def test_a_number_alone_on_its_line_joins_the_text_that_follows(tmp_path):
    path = _write(tmp_path, "3.\n\n\tWG-Internet 11/2: Secretariat report\n3.1\nThe report.\n")
    source = read_source(path)
    assert _by_id(source) == {"3": "WG-Internet 11/2: Secretariat report", "3.1": "The report."}
    assert_inventory_complete(source)


def test_a_lone_bullet_sign_is_dropped_by_rule(tmp_path):
    path = _write(tmp_path, "1. Introduction\n1.1 Opened.\n·\n1.2 Closed.\n")
    source = read_source(path)
    assert list(source.dropped["rule"]) == ["empty_bullet"]
    assert list(source.paragraphs["para_id"]) == ["1", "1.1", "1.2"]


def test_page_numbers_in_converted_text_are_dropped_as_page_furniture(tmp_path):
    path = _write(tmp_path, "1. Introduction\n1.1 Opened.\n\f- 2 -\n1.2 Closed.\nPage 3 of 4\n")
    source = read_source(path)
    assert list(source.dropped["rule"]) == ["page_furniture", "page_furniture"]
    assert list(source.dropped["text"]) == ["- 2 -", "Page 3 of 4"]
    assert_inventory_complete(source)


def test_a_repeated_paragraph_number_gets_a_distinct_id_and_a_warning(tmp_path, caplog):
    path = _write(tmp_path, "1. Introduction\n1.1 First.\n1.1 Second.\n")
    assert list(read_source(path).paragraphs["para_id"]) == ["1", "1.1", "1.1#2"]
    assert "report.txt: paragraph numbers repeated, later copies renamed: ['1.1#2']" in caplog.text


def test_numbers_that_start_a_sentence_are_not_paragraph_numbers(tmp_path):
    path = _write(
        tmp_path,
        "1. Introduction\n1.1 Opened.\n22 Member States replied.\n4.2 of the report was noted.\n",
    )
    assert list(read_source(path).paragraphs["para_id"]) == ["1", "1.1", "1.1+1", "1.1+2"]


def test_segmentation_of_a_huge_single_line_is_linear():
    line = "[bookmark: x" + "a" * 5_000_000 + " 1.1.1.1" * 100_000
    start = time.perf_counter()
    segmentation = segment_text(line)
    assert time.perf_counter() - start < 5
    assert not segmentation.has_numbering


# --- the header block -------------------------------------------------------------------

HEADER = (
    "Council Working Group on International Internet-related Public Policy Issues\n"
    "Eleventh meeting – Geneva, 25-26 January 2018\n"
    "Document WG-Internet 11/11-E\n"
    "29 January 2018\n"
    "English only\n"
)
BODY = "1.\tIntroduction\n1.1\tThe Chairman opened the meeting.\n"


def test_header_block_gives_meeting_dates_venue_symbol_and_report_date(tmp_path):
    source = read_source(_write(tmp_path, HEADER + BODY))
    meeting = source.meeting.iloc[0]
    assert meeting["meeting"] == 11
    assert meeting["start_date"] == pd.Timestamp("2018-01-25")
    assert meeting["end_date"] == pd.Timestamp("2018-01-26")
    assert meeting["venue"] == "Geneva"
    assert meeting["report_symbol"] == "CWG-Internet-11/11"
    assert meeting["report_date"] == pd.Timestamp("2018-01-29")
    header = source.paragraphs[source.paragraphs["kind"] == "header"]
    assert list(header["para_id"]) == ["0+1", "0+2", "0+3", "0+4", "0+5"]
    assert header["section"].isna().all()


@pytest.mark.parametrize(
    ("line", "meeting", "start", "end"),
    [
        ("Tenth meeting, Geneva, 20-22 September 2017", 10, "2017-09-20", "2017-09-22"),
        (
            "TWENTY-FIRST MEETING – Geneva, 30 January - 1 February 2025",
            21,
            "2025-01-30",
            "2025-02-01",
        ),
        ("13th meeting, Geneva, 19 September 2019", 13, "2019-09-19", "2019-09-19"),
        ("Geneva, 3 to 4 March 2014", None, "2014-03-03", "2014-03-04"),
    ],
)
def test_meeting_lines_in_other_wordings(tmp_path, line, meeting, start, end):
    source = read_source(_write(tmp_path, f"{line}\n{BODY}"))
    row = source.meeting.iloc[0]
    assert (None if pd.isna(row["meeting"]) else row["meeting"]) == meeting
    assert (row["start_date"], row["end_date"]) == (pd.Timestamp(start), pd.Timestamp(end))
    assert row["venue"] == "Geneva"


def test_an_impossible_date_stays_null(tmp_path):
    source = read_source(_write(tmp_path, f"Eleventh meeting, Geneva, 30-31 February 2018\n{BODY}"))
    row = source.meeting.iloc[0]
    assert pd.isna(row["start_date"]) and pd.isna(row["end_date"]) and pd.isna(row["venue"])
    assert row["meeting"] == 11


def test_meeting_number_falls_back_to_the_agenda_symbol(tmp_path):
    text = "1. Opening\n1.1 Opened.\n2. WG-Internet 12/1: Agenda of the meeting\n2.1 Adopted.\n"
    assert read_source(_write(tmp_path, text)).meeting["meeting"].iloc[0] == 12


def test_meeting_numbers_that_disagree_are_left_null(tmp_path, caplog):
    text = (
        "1. Opening\n1.1 Welcome to the eleventh meeting of CWG-Internet.\n"
        "2. Close\n2.1 The report of the tenth meeting of the Group was approved.\n"
    )
    source = read_source(_write(tmp_path, text))
    assert pd.isna(source.meeting["meeting"].iloc[0])
    assert "disagree" in caplog.text and "[10, 11]" in caplog.text


def test_no_meeting_statement_means_a_null_meeting(tmp_path):
    source = read_source(_write(tmp_path, "1. Opening\n1.1 The tenth CWG-Internet meeting.\n"))
    assert pd.isna(source.meeting["meeting"].iloc[0])
    assert source.paragraphs["meeting"].isna().all()


# --- encodings ---------------------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_is_decoded_without_it(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    source = read_source(path)
    assert source.text == SEED.read_text(encoding="utf-8")
    assert list(source.paragraphs["text"]) == list(read_source(SEED).paragraphs["text"])


def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(BODY.encode("utf-16"))
    assert _by_id(read_source(path))["1.1"] == "The Chairman opened the meeting."


def test_cp1252_is_used_only_as_a_declared_fallback_with_a_warning(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("1. Introduction\n1.1 ITU’s role was noted.\n".encode("cp1252"))
    with pytest.warns(UnicodeWarning, match=r"cp1252.txt:byte 23: not UTF-8, decoded as cp1252"):
        source = read_source(path)
    assert _by_id(source)["1.1"] == "ITU’s role was noted."


def test_bytes_neither_utf8_nor_cp1252_fail_clearly(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"1. Introduction\n1.1 \x81\x8d\n")
    with pytest.raises(ReportReadError, match=r"bad.txt:byte 20: neither UTF-8 nor cp1252"):
        read_source(path)


def test_binary_data_with_a_txt_name_is_refused(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"1. Introduction\n\x00\x01\x02")
    with pytest.raises(ReportReadError, match=r"binary.txt:char 16: binary data, not a text"):
        read_source(path)


# --- errors ------------------------------------------------------------------------------


def test_a_missing_file_is_a_read_error_naming_it(tmp_path):
    with pytest.raises(ReportReadError, match=r"no-such\.txt: cannot read file: No such file"):
        read_source(tmp_path / "no-such.txt")


def test_a_directory_is_a_read_error(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReportReadError, match=r"folder\.txt: cannot read file: Is a directory"):
        read_source(folder)


@pytest.mark.parametrize("name", ["report.doc", "report.rtf", "report"])
def test_an_unsupported_file_type_is_refused(tmp_path, name):
    path = _write(tmp_path, BODY, name)
    with pytest.raises(ReportReadError, match=r"unsupported file type: .*expected one of"):
        read_source(path)


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_an_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReportReadError, match=r"empty\.txt: empty file"):
        read_source(path)


def test_a_text_without_numbered_paragraphs_is_not_a_report(tmp_path):
    path = _write(tmp_path, "Shopping list\n- apples\n- pears\n")
    with pytest.raises(NotAReportError, match=r"not a CWG meeting report: no numbered paragraph"):
        read_source(path)


def test_a_file_over_the_size_limit_is_unsafe(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(UnsafeFileError, match=r"report\.txt: file too large"):
        read_source(_write(tmp_path, BODY * 10))


# --- properties ----------------------------------------------------------------------------

_REPORTISH = st.lists(
    st.sampled_from(
        [*'1234. \t\n\r\f\u00a0·•-–aAbZ:;”"[]', "[bookmark: _GoBack]", "- 3 -", "Page 2 of 9"]
    ),
    max_size=120,
).map("".join)


@pytest.mark.filterwarnings("ignore::UnicodeWarning")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".docx", ".pdf"]))
def test_arbitrary_bytes_raise_nothing_outside_the_family(tmp_path, data, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(CwgAnalysisError):
        read_source(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"%PDF-1.4\n", b"\xd0\xcf\x11\xe0"]),
    data=st.binary(max_size=2000),
)
def test_arbitrary_bytes_behind_a_docx_or_pdf_signature_raise_nothing_outside_the_family(
    tmp_path, prefix, data
):
    for suffix in (".docx", ".pdf"):
        path = tmp_path / f"garbage{suffix}"
        path.write_bytes(prefix + data)
        with contextlib.suppress(CwgAnalysisError):
            read_source(path)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_REPORTISH)
def test_arbitrary_report_like_text_keeps_every_unit_and_unique_ids(tmp_path, text):
    path = _write(tmp_path, text)
    try:
        source = read_source(path)
    except CwgAnalysisError:
        return
    assert source.paragraphs["para_id"].is_unique
    assert_inventory_complete(source)


def test_a_symbol_alone_on_a_header_line_is_the_report_symbol_and_a_lone_date_its_date(tmp_path):
    header = "Council Working Group on International Internet-related Public Policy Issues\n"
    text = f"{header}WG-Internet 10/9-E\n21 September 2017\n{BODY}"
    row = read_source(_write(tmp_path, text)).meeting.iloc[0]
    assert (row["meeting"], row["report_symbol"]) == (10, "CWG-Internet-10/9")
    assert row["report_date"] == pd.Timestamp("2017-09-21")
    assert pd.isna(row["start_date"]) and pd.isna(row["venue"])


_LINE_TEXT = st.lists(
    st.sampled_from(["a", " ", "\t", "\n", "\r", "\r\n", "\f", "\x0b", "\u2028", "\x85", "b c"]),
    max_size=60,
).map("".join)


@given(text=_LINE_TEXT)
def test_lines_split_exactly_as_str_splitlines_without_blank_ones(text):
    expected, pos = [], 0
    for line in text.splitlines(keepends=True):
        content = line.splitlines()[0]
        if content.strip():
            expected.append((pos, content))
        pos += len(line)
    assert list(_iter_lines(text)) == expected
