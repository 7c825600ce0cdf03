"""Documents, submitters, consultation figures and the inventory of what yielded nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from cwg_analysis import config
from cwg_analysis.errors import UnknownCountryError
from cwg_analysis.extraction import (
    extract_consultation,
    extract_submitters,
    find_context_symbols,
    resolve_country_list,
)
from cwg_analysis.reading.text import Paragraph
from cwg_analysis.report import read_report

SEED = config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"


@pytest.fixture(scope="module")
def report():
    return read_report(SEED)


def paragraph(text: str, para_id: str = "5.1", kind: str = "heading", title: str = "Discussions"):
    return Paragraph(1, para_id, para_id.split(".")[0], title, kind, text, 0, len(text))


# --- documents -------------------------------------------------------------------------------


def test_every_referenced_document_appears_once_under_its_canonical_symbol(report):
    documents = report.documents
    assert documents[["doc_symbol", "doc_type", "para_id"]].values.tolist() == [
        ["CWG-Internet-11/1", "agenda", "2"],
        ["CWG-Internet-11/2", "secretariat_report", "2.3"],
        ["CWG-Internet-11/7", "contribution", "2.3"],
        ["CWG-Internet-11/6", "contribution", "2.3"],
        ["CWG-Internet-11/9", "consultation_summary", "4"],
        ["OPCWGINT6/2", "consultation_compilation", "4.1+1"],
        ["CWG-Internet-11/3", "contribution", "5.1"],
        ["CWG-Internet-11/4", "contribution", "5.2"],
        ["CWG-Internet-10/5", "contribution", "5.3"],
        ["CWG-Internet-11/8", "contribution", "5.6"],
        ["CWG-FHR-8/19", "report", "7.2"],
    ]
    assert (documents["meeting"] == 11).all()


def test_titles_come_from_quotes_or_the_heading_and_stay_null_when_not_given(report):
    titles = report.documents.set_index("doc_symbol")["title"]
    assert titles["CWG-Internet-11/1"] == "Agenda of the meeting"
    assert (
        titles["CWG-Internet-11/3"]
        == "Proposals for further work on the OTT International Public Policy"
    )
    assert titles["CWG-Internet-11/4"] == (
        "Proposals on Revision of the Resolution 179 (Rev. Busan, 2014): ITU's role in child "
        "online protection"
    )
    assert titles["CWG-Internet-11/8"] == "Bridging the Digital Gender Divide"
    assert titles["CWG-FHR-8/19"].startswith("Status report on misuse of International Mobile")
    assert titles[["CWG-Internet-10/5", "CWG-Internet-11/6", "OPCWGINT6/2"]].isna().all()


def test_the_document_a_paragraph_discusses_is_the_first_named_above_it():
    records = [
        paragraph("WG-Internet 11/2: Secretariat report", "3", "heading"),
        paragraph("Discussion on the Report", "3.2", "heading"),
        paragraph("Some Member States cautioned.", "3.2.3", "bullet"),
        paragraph("Contribution WG-Internet 11/6 from the Republic of India", "6.6", "heading"),
        paragraph("Some other Member States cautioned.", "6.6.3", "bullet"),
        paragraph("Some Member States suggested.", "6.6+1", "text"),
        paragraph("Any other business", "7", "heading"),
        paragraph("Update by Germany on the Freedom Online Coalition", "7.1", "heading"),
        paragraph("Germany provided information.", "7.1.1", "bullet"),
    ]
    assert find_context_symbols(records) == [
        None,
        "CWG-Internet-11/2",
        "CWG-Internet-11/2",
        None,
        "CWG-Internet-11/6",
        "CWG-Internet-11/6",
        None,
        None,
        None,
    ]


# --- submitters ------------------------------------------------------------------------------


def test_submitters_of_all_six_contributions_are_exact_and_in_the_order_listed(report):
    listed = report.submitters.groupby("doc_symbol", sort=False)["country_code"].apply(list)
    assert listed.to_dict() == {
        "CWG-Internet-11/3": ["RUS", "ARM", "AZE", "BLR", "KGZ"],
        "CWG-Internet-11/4": ["RUS", "ARM", "AZE", "BLR", "KGZ"],
        "CWG-Internet-10/5": ["USA"],
        "CWG-Internet-11/6": ["IND"],
        "CWG-Internet-11/7": ["RUS"],
        "CWG-Internet-11/8": ["BRA"],
    }
    first = report.submitters[report.submitters["doc_symbol"] == "CWG-Internet-11/3"]
    assert first["position"].tolist() == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("names", "codes"),
    [
        ("the Russian Federation, Republic of Armenia and Kyrgyz Republic", ["RUS", "ARM", "KGZ"]),
        ("Trinidad and Tobago and Jamaica", ["TTO", "JAM"]),
        ("Korea (Rep. of), Niger, Nigeria and Congo", ["KOR", "NER", "NGA", "COG"]),
        ("Democratic Republic of the Congo and Côte d'Ivoire", ["COD", "CIV"]),
        ("Bosnia and Herzegovina, Antigua and Barbuda", ["BIH", "ATG"]),
    ],
)
def test_a_list_of_names_splits_at_commas_and_and_but_keeps_names_that_hold_them(names, codes):
    assert [code for _, code in resolve_country_list(names)] == codes


def test_an_unknown_submitter_is_an_error_naming_the_file_paragraph_and_name():
    records = [paragraph("Contribution WG-Internet-12/3 from Brazil and Freedonia: “A title”")]
    with pytest.raises(
        UnknownCountryError,
        match=r"r\.txt:5\.1: unknown submitter of "
        r"CWG-Internet-12/3: .*'Freedonia'",
    ):
        extract_submitters(records, 12, source="r.txt")


def test_a_later_listing_that_disagrees_with_the_first_is_reported():
    records = [
        paragraph("Contribution WG-Internet 12/3 from Brazil: “A title”", "5.1"),
        paragraph("Contribution WG-Internet 12/3 from Brazil and India: “A title”", "6.1"),
    ]
    with pytest.warns(UserWarning, match=r"r\.txt:6\.1: submitters of CWG-Internet-12/3 differ"):
        columns = extract_submitters(records, 12, source="r.txt")
    assert columns["country_code"] == ["BRA"]


# --- consultation ----------------------------------------------------------------------------


def test_the_seed_gives_52_responses_as_21_22_7_and_2_with_the_reports_labels(report):
    figures = report.consultation
    assert figures[["stakeholder_label", "responses"]].values.tolist() == [
        ["Government entities", 21],
        ["Civil Society and Technical Community entities", 22],
        ["Private Sector entities and Industry Associations", 7],
        ["Intergovernmental Organizations", 2],
    ]
    assert set(figures["responses_total"]) == {52}
    assert figures["responses"].sum() == 52
    assert set(figures["topic"]) == {"Bridging the Digital Gender Divide"}
    assert set(figures["period_text"]) == {"October 2017 to January 2018"}
    assert set(figures["para_id"]) == {"4.1"}


def test_a_breakdown_that_does_not_add_up_is_reported_and_kept():
    text = (
        "The consultation was held from March 2019 to May 2019 on the topic of “Emerging "
        "technologies”. During this consultation 10 responses were received (6 Governments "
        "and 3 Academia)."
    )
    with pytest.warns(UserWarning, match=r"r\.txt:4\.1: consultation breakdown does not add up"):
        columns = extract_consultation([paragraph(text, "4.1", "numbered")], 13, source="r.txt")
    names = ["topic", "period_text", "stakeholder_label", "responses"]
    assert list(zip(*(columns[name] for name in names), strict=True)) == [
        ("Emerging technologies", "March 2019 to May 2019", "Governments", 6),
        ("Emerging technologies", "March 2019 to May 2019", "Academia", 3),
    ]


def test_a_total_without_a_breakdown_keeps_the_total_with_a_null_label():
    text = "During this consultation 46 responses were received from many stakeholders."
    columns = extract_consultation(
        [paragraph(text, "4.1", "numbered", "Period (October 2016-January 2017)")], 9
    )
    assert columns["responses_total"] == [46]
    assert columns["stakeholder_label"] == [None] and columns["responses"] == [None]
    assert columns["period_text"] == ["October 2016 to January 2017"]


# --- the inventory ---------------------------------------------------------------------------


def test_every_paragraph_yields_a_row_or_is_listed_as_unparsed_with_a_reason(report):
    listings = {"5.4", "5.5"}  # submitters of 11/6 and 11/7, first named in 2.3
    produced = (
        set(report.documents["para_id"])
        | set(report.statements["para_id"])
        | set(report.consultation["para_id"])
        | listings
    )
    unparsed = set(report.unparsed["para_id"])
    assert produced.isdisjoint(unparsed)
    assert produced | unparsed == set(report.paragraphs["para_id"])
    assert report.unparsed["para_id"].tolist() == [
        "1",
        "3",
        "3.1",
        "3.1+1",
        "3.2",
        "3.2.4",
        "3.2.8",
        "5",
        "5+1",
        "5.1+1",
        "5.1+2",
        "5.1+3",
        "5.2+1",
        "5.2+2",
        "5.3+1",
        "5.4.1",
        "5.4.2",
        "5.4.3",
        "5.5+1",
        "5.5.1",
        "5.5.2",
        "5.5.3",
        "5.6+1",
        "6",
        "6.1",
        "6.1.1",
        "6.2",
        "6.2.1",
        "6.3",
        "6.3.1",
        "6.4",
        "6.5",
        "6.6",
        "7",
        "7.1",
        "7.3",
        "8",
        "8.1",
        "9",
        "9.3+1",
    ]
    assert report.unparsed["reason"].str.len().gt(0).all()
    assert (
        "heading: a title, not a statement" in report.unparsed.set_index("para_id")["reason"]["6.1"]
    )


def test_unparsed_reasons_say_why_nothing_was_extracted(report):
    reasons = report.unparsed.set_index("para_id")["reason"]
    assert reasons["3.2.4"] == "no statement: passive voice without an agent: 'encouraged'"
    assert reasons["8.1"] == "no statement: passive voice without an agent: 'encouraged'"
    assert reasons["5.4.1"].startswith("contribution summary: the document's content")
    assert reasons["6"] == "heading: a title, not a statement"
    assert reasons["3.2.8"] == "no statement: no actor and no stance cue"
    assert reasons["9.3+1"] == "no statement: no actor and no stance cue"


def test_extracted_frames_use_nullable_dtypes_and_a_range_index(report):
    for name in ("documents", "submitters", "statements", "consultation", "unparsed"):
        frame = getattr(report, name)
        assert isinstance(frame.index, pd.RangeIndex), name
        assert not any(pd.api.types.is_object_dtype(dtype) for dtype in frame.dtypes), name
