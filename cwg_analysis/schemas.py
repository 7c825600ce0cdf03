"""Declare every table once: a strict pandera model per table, which is the data dictionary.

Each model lists its columns in order with a description, its key (``Config.unique``) and,
for vocabulary columns, the fixed categories defined next to it. :data:`TABLES` says where each
table comes from. :func:`coerce_table` casts a raw frame (CSV strings or parquet) to a model's
dtypes and lists every value it cannot cast, with the file, line and column;
:func:`validate_table` then runs the model lazily. ``python -m cwg_analysis.schemas`` writes the
data dictionary to ``docs/data-dictionary.md``.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.typing import DateTime, Series

from cwg_analysis import config

__all__ = [
    "TABLES",
    "Problem",
    "TableSpec",
    "coerce_table",
    "empty_table",
    "render_data_dictionary",
    "sort_table",
    "table_schema",
    "validate_table",
]

# --- vocabularies: the one place each fixed set of values is written ------------------------

PARAGRAPH_KINDS = ("header", "heading", "numbered", "bullet", "text")
DROP_RULES = ("artefact", "page_furniture", "empty_bullet")
DOC_TYPES = (
    "agenda",
    "secretariat_report",
    "consultation_summary",
    "consultation_compilation",
    "contribution",
    "report",
    "other",
)
ACTOR_KINDS = (
    "member_states",
    "member_state",
    "proponents",
    "chair",
    "group",
    "secretariat",
    "official",
)
QUANTIFIERS = ("one", "some", "several", "many", "a_number", "all", "named")
STANCES = ("support", "oppose", "caution", "propose", "note", "inform", "thank", "decide")
ITU_REGIONS = ("A", "B", "C", "D", "E")
GROUP_KINDS = ("itu_region", "regional_organisation")
DECIDED_BY = ("cwg", "council")
TOPIC_ORIGINS = ("res1305", "later")
MEETING_FIELDS = ("start_date", "end_date", "venue", "report_symbol", "report_date")
# Harmonised stakeholder groups; a combined group is kept whole where a source counts two
# groups together (see data/reference/README.md for the crosswalk).
STAKEHOLDER_GROUPS = (
    "government",
    "private_sector",
    "technical_community",
    "civil_society",
    "academia",
    "intergovernmental",
    "individual",
    "private_sector_and_technical_community",
    "civil_society_and_technical_community",
)

_ISO3 = r"^[A-Z]{3}$"
_SHA256 = r"^[0-9a-f]{64}$"
_NO_SPACE = r"^\S+$"
_CONSULTATION_ID = r"^\d{4}-\d{2}$"
_SNAKE = r"^[a-z][a-z0-9_]*$"


def _vocabulary(values: tuple[str, ...], description: str, **kwargs) -> pa.Field:
    """Return a categorical field whose categories are ``values``."""
    return pa.Field(
        dtype_kwargs={"categories": list(values), "ordered": False},
        description=f"{description} One of: {', '.join(values)}.",
        **kwargs,
    )


def _meeting(nullable: bool = False) -> pa.Field:
    return pa.Field(ge=1, nullable=nullable, description="Meeting number (11 = eleventh meeting).")


# --- reference tables (data/reference/*.csv) ------------------------------------------------


class Meetings(pa.DataFrameModel):
    """CWG-Internet meetings. One row per meeting, key ``meeting``.

    Curated in ``meetings.csv`` and merged with the header of every report read; the curated
    value wins where they disagree (see ``meeting_disagreements``).
    """

    meeting: Series[pd.Int64Dtype] = _meeting()
    start_date: Series[DateTime] = pa.Field(nullable=True, description="First day.")
    end_date: Series[DateTime] = pa.Field(nullable=True, description="Last day.")
    date_text: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="When only a month or year is known: the date as sourced."
    )
    venue: Series[pd.StringDtype] = pa.Field(nullable=True, description="City, or null.")
    report_symbol: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=_NO_SPACE, description="Canonical symbol of the final report."
    )
    report_date: Series[DateTime] = pa.Field(nullable=True, description="Date of the report.")
    chair: Series[pd.StringDtype] = pa.Field(nullable=True, description="Chairman of the group.")
    acting_chair: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Who chaired the meeting in the Chairman's absence."
    )
    has_full_report: Series[pd.BooleanDtype] = pa.Field(
        description="The meeting's full report is in the corpus (data/raw/reports)."
    )
    report_file: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="File name of the report in data/raw/reports."
    )
    source_sha256: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=_SHA256, description="SHA-256 of the report file's bytes."
    )
    is_uncertain: Series[pd.BooleanDtype] = pa.Field(
        description="Some value of the row is inferred or conflicting; read the note."
    )
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="What is uncertain.")
    source: Series[pd.StringDtype] = pa.Field(description="Public sources, ' ; '-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting",)


class Consultations(pa.DataFrameModel):
    """Open consultations of CWG-Internet. One row per consultation, key ``consultation_id``."""

    consultation_id: Series[pd.StringDtype] = pa.Field(
        str_matches=_CONSULTATION_ID,
        description="YYYY-MM of ITU's consultation page (consultation-oct2017 -> 2017-10).",
    )
    topic: Series[pd.StringDtype] = pa.Field(nullable=True, description="Title of the topic.")
    decided_by: Series[pd.CategoricalDtype] = _vocabulary(
        DECIDED_BY, "Who chose the topic.", nullable=True
    )
    decided_date: Series[DateTime] = pa.Field(nullable=True, description="Date of the decision.")
    launching_meeting: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1, description="CWG meeting that chose the topic."
    )
    online_start_date: Series[DateTime] = pa.Field(nullable=True, description="Opened online.")
    online_end_date: Series[DateTime] = pa.Field(
        nullable=True, description="Deadline for online inputs."
    )
    online_period_text: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="The online period as sourced."
    )
    physical_meeting_date: Series[DateTime] = pa.Field(
        nullable=True, description="Date of the physical open-consultation meeting."
    )
    physical_meeting_no: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1, description="Number of that physical meeting (1st, 2nd...)."
    )
    is_virtual: Series[pd.BooleanDtype] = pa.Field(
        nullable=True, description="The physical meeting was held online."
    )
    questions: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1, description="Number of questions (or issues) asked."
    )
    compilation_symbol: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=_NO_SPACE, description="Compilation of responses."
    )
    summary_symbol: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=_NO_SPACE, description="Brief summary sent to the CWG."
    )
    reported_to_meeting: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1, description="CWG meeting that received the summary."
    )
    responses_total: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Responses received; null when not found."
    )
    is_uncertain: Series[pd.BooleanDtype] = pa.Field(description="Some value is inferred.")
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="What is uncertain.")
    source: Series[pd.StringDtype] = pa.Field(description="Public sources, ' ; '-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("consultation_id",)


class ConsultationResponses(pa.DataFrameModel):
    """Responses to a consultation by stakeholder group.

    One row per consultation and harmonised group, key (``consultation_id``,
    ``stakeholder_group``); the source's own label stays beside the harmonised group and a count
    the source gives for two groups together is never split.
    """

    consultation_id: Series[pd.StringDtype] = pa.Field(
        str_matches=_CONSULTATION_ID, description="The consultation (consultations table)."
    )
    stakeholder_group: Series[pd.CategoricalDtype] = _vocabulary(
        STAKEHOLDER_GROUPS, "Harmonised stakeholder group."
    )
    source_label: Series[pd.StringDtype] = pa.Field(description="The source's own label.")
    responses: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Number of responses.")
    is_uncertain: Series[pd.BooleanDtype] = pa.Field(description="The count is uncertain.")
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="Remarks.")
    source: Series[pd.StringDtype] = pa.Field(description="Public source or report paragraph.")

    class Config:
        strict = True
        ordered = True
        unique = ("consultation_id", "stakeholder_group")


class Countries(pa.DataFrameModel):
    """ITU Member States. One row per state, key ``country_code``."""

    country_code: Series[pd.StringDtype] = pa.Field(
        str_matches=_ISO3, description="ISO 3166-1 alpha-3 code."
    )
    name: Series[pd.StringDtype] = pa.Field(description="Name as ITU writes it.")
    aliases: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Other names the documents use, ';'-separated."
    )
    itu_region: Series[pd.CategoricalDtype] = _vocabulary(
        ITU_REGIONS, "ITU administrative region (groups table)."
    )
    is_uncertain: Series[pd.BooleanDtype] = pa.Field(
        description="The region is inferred, not confirmed by the source."
    )
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="What is uncertain.")
    source: Series[pd.StringDtype] = pa.Field(description="Public sources, ' ; '-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("country_code",)


class Groups(pa.DataFrameModel):
    """ITU regions and regional telecommunication organisations. Key ``group_id``."""

    group_id: Series[pd.StringDtype] = pa.Field(
        str_matches=r"^[A-Z]+$", description="Short name: A-E for ITU regions, APT, CEPT..."
    )
    name: Series[pd.StringDtype] = pa.Field(description="Full name.")
    group_kind: Series[pd.CategoricalDtype] = _vocabulary(GROUP_KINDS, "Kind of group.")
    is_uncertain: Series[pd.BooleanDtype] = pa.Field(description="The row is uncertain.")
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="Remarks.")
    source: Series[pd.StringDtype] = pa.Field(description="Public source.")

    class Config:
        strict = True
        ordered = True
        unique = ("group_id",)


class GroupMembers(pa.DataFrameModel):
    """Sourced memberships of regional organisations. Key (``group_id``, ``country_code``).

    ITU regions are not repeated here: they are ``countries.itu_region``.
    """

    group_id: Series[pd.StringDtype] = pa.Field(description="The group (groups table).")
    country_code: Series[pd.StringDtype] = pa.Field(
        str_matches=_ISO3, description="The member (countries table)."
    )
    joined_year: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1850, description="Year the state joined, when sourced."
    )
    until_date: Series[DateTime] = pa.Field(
        nullable=True, description="Membership ended or was suspended on this date."
    )
    is_uncertain: Series[pd.BooleanDtype] = pa.Field(description="The membership is uncertain.")
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="Remarks.")
    source: Series[pd.StringDtype] = pa.Field(description="Public sources, ' ; '-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("group_id", "country_code")


class Topics(pa.DataFrameModel):
    """Internet public-policy topics with the keywords used to tag documents. Key ``topic_id``."""

    topic_id: Series[pd.StringDtype] = pa.Field(str_matches=_SNAKE, description="Short id.")
    label: Series[pd.StringDtype] = pa.Field(description="Title of the topic.")
    origin: Series[pd.CategoricalDtype] = _vocabulary(
        TOPIC_ORIGINS,
        "res1305: one of the twelve issues of Council Resolution 1305 Annex 1; later: added since.",
    )
    res1305_item: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        isin=["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"],
        description="Item number in Resolution 1305 Annex 1.",
    )
    keywords: Series[pd.StringDtype] = pa.Field(
        description="';'-separated; whole words, case-insensitive unless written in capitals."
    )
    source: Series[pd.StringDtype] = pa.Field(description="Public sources, ' ; '-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("topic_id",)


# --- tables parsed from the reports (data/processed/*.parquet) ------------------------------


class Meeting(pa.DataFrameModel):
    """The header of each report as parsed. One row per report read, key ``meeting``."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    start_date: Series[DateTime] = pa.Field(nullable=True, description="First day, as parsed.")
    end_date: Series[DateTime] = pa.Field(nullable=True, description="Last day, as parsed.")
    venue: Series[pd.StringDtype] = pa.Field(nullable=True, description="Venue, as parsed.")
    report_symbol: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Report symbol, as parsed."
    )
    report_date: Series[DateTime] = pa.Field(nullable=True, description="Report date, as parsed.")
    source_file: Series[pd.StringDtype] = pa.Field(description="File name of the report.")
    source_sha256: Series[pd.StringDtype] = pa.Field(
        str_matches=_SHA256, description="SHA-256 of the file's bytes."
    )

    class Config:
        strict = True
        ordered = True
        unique = ("meeting",)


class Paragraphs(pa.DataFrameModel):
    """Every paragraph of every report, in order. Key (``meeting``, ``seq``)."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    seq: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Order in the file, from 0.")
    para_id: Series[pd.StringDtype] = pa.Field(
        str_matches=_NO_SPACE,
        description='Report numbering: "5.4.2"; bullets "6.6.1"; follow-ons "4.4+1"; '
        'headings "1"; header block "0+1".',
    )
    section: Series[pd.StringDtype] = pa.Field(
        nullable=True, description='Number of the top-level heading ("6").'
    )
    section_title: Series[pd.StringDtype] = pa.Field(
        nullable=True, description='Title of that heading ("Discussions").'
    )
    kind: Series[pd.CategoricalDtype] = _vocabulary(PARAGRAPH_KINDS, "Kind of paragraph.")
    text: Series[pd.StringDtype] = pa.Field(description="Clean text.")
    span_start: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Start offset in the decoded source text."
    )
    span_end: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="End offset in the decoded source text."
    )
    source_sha256: Series[pd.StringDtype] = pa.Field(
        str_matches=_SHA256, description="SHA-256 of the report file's bytes."
    )

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "seq")

    @pa.dataframe_check
    def span_is_ordered(cls, frame: pd.DataFrame) -> Series[bool]:
        """A span ends at or after its start."""
        return frame["span_end"] >= frame["span_start"]


class Dropped(pa.DataFrameModel):
    """Source units removed by a named rule (inventory). Key (``meeting``, ``span_start``)."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    rule: Series[pd.CategoricalDtype] = _vocabulary(DROP_RULES, "Rule that removed the unit.")
    text: Series[pd.StringDtype] = pa.Field(description="The text removed.")
    span_start: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Start offset.")
    span_end: Series[pd.Int64Dtype] = pa.Field(ge=0, description="End offset.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "span_start")


class Documents(pa.DataFrameModel):
    """Documents each report refers to. Key (``meeting``, ``doc_symbol``)."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    doc_symbol: Series[pd.StringDtype] = pa.Field(
        str_matches=_NO_SPACE,
        description="Canonical symbol: CWG-Internet-11/3, CWG-FHR-8/19, OPCWGINT6/2.",
    )
    doc_type: Series[pd.CategoricalDtype] = _vocabulary(DOC_TYPES, "Kind of document.")
    title: Series[pd.StringDtype] = pa.Field(nullable=True, description="Title, when given.")
    para_id: Series[pd.StringDtype] = pa.Field(description="Paragraph that first introduces it.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "doc_symbol")


class Submitters(pa.DataFrameModel):
    """States that submitted each contribution. Key (``meeting``, ``doc_symbol``, ``position``)."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    doc_symbol: Series[pd.StringDtype] = pa.Field(description="The contribution (documents).")
    position: Series[pd.Int64Dtype] = pa.Field(ge=1, description="1-based order listed.")
    country_code: Series[pd.StringDtype] = pa.Field(
        str_matches=_ISO3, description="ISO3 code (countries)."
    )

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "doc_symbol", "position")


class Statements(pa.DataFrameModel):
    """Attributed statements. Key (``meeting``, ``para_id``, ``statement_no``)."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    para_id: Series[pd.StringDtype] = pa.Field(description="Paragraph it stands in.")
    statement_no: Series[pd.Int64Dtype] = pa.Field(
        ge=1, description="1-based order within the paragraph."
    )
    sentence: Series[pd.StringDtype] = pa.Field(description="The words of the statement.")
    actor_kind: Series[pd.CategoricalDtype] = _vocabulary(ACTOR_KINDS, "Who speaks.")
    actor_label: Series[pd.StringDtype] = pa.Field(
        description='The words naming the actor ("Some other Member States", "India").'
    )
    country_code: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=_ISO3, description="ISO3 code where a state is named."
    )
    quantifier: Series[pd.CategoricalDtype] = _vocabulary(
        QUANTIFIERS, "How many states the words allow.", nullable=True
    )
    count_min: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Fewest states the words allow."
    )
    count_max: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Most states the words allow; null = unbounded."
    )
    is_other_group: Series[pd.BooleanDtype] = pa.Field(
        description='"some other Member States": a set distinct from the previous actor.'
    )
    stance: Series[pd.CategoricalDtype] = _vocabulary(STANCES, "What the actor does.")
    target_symbol: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="Document the statement is about (documents)."
    )
    cue: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="The words that decided the stance."
    )

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "para_id", "statement_no")

    @pa.dataframe_check
    def count_range_is_ordered(cls, frame: pd.DataFrame) -> Series[bool]:
        """count_max is null or at least count_min."""
        return (frame["count_max"] >= frame["count_min"]).fillna(True).astype(bool)


class Consultation(pa.DataFrameModel):
    """Consultation figures stated in the reports.

    Key (``meeting``, ``para_id``, ``stakeholder_label``).

    One row per stakeholder label the report gives; the curated counts are in
    ``consultation_responses``.
    """

    meeting: Series[pd.Int64Dtype] = _meeting()
    para_id: Series[pd.StringDtype] = pa.Field(description="Paragraph giving the figures.")
    topic: Series[pd.StringDtype] = pa.Field(nullable=True, description="Consultation topic.")
    period_text: Series[pd.StringDtype] = pa.Field(nullable=True, description="Period as written.")
    responses_total: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Total responses stated."
    )
    stakeholder_label: Series[pd.StringDtype] = pa.Field(
        nullable=True, description="The report's label; null when the report gives only a total."
    )
    responses: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="Count.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "para_id", "stakeholder_label")


class Unparsed(pa.DataFrameModel):
    """Paragraphs that yielded no row, with the reason. Key (``meeting``, ``para_id``)."""

    meeting: Series[pd.Int64Dtype] = _meeting()
    para_id: Series[pd.StringDtype] = pa.Field(description="The paragraph.")
    reason: Series[pd.StringDtype] = pa.Field(description="Why nothing was extracted.")
    text: Series[pd.StringDtype] = pa.Field(description="Its text.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "para_id")


# --- tables derived by the corpus build -----------------------------------------------------


class MeetingDisagreements(pa.DataFrameModel):
    """Where a report's header disagrees with meetings.csv. Key (``meeting``, ``field``).

    The curated value is kept in ``meetings``; this table keeps the evidence.
    """

    meeting: Series[pd.Int64Dtype] = _meeting()
    field: Series[pd.CategoricalDtype] = _vocabulary(MEETING_FIELDS, "Column that disagrees.")
    curated_value: Series[pd.StringDtype] = pa.Field(description="Value in meetings.csv (kept).")
    parsed_value: Series[pd.StringDtype] = pa.Field(description="Value parsed from the report.")
    source_file: Series[pd.StringDtype] = pa.Field(description="Report file.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "field")


class DocumentTopics(pa.DataFrameModel):
    """Topics of each document by keyword. Key (``meeting``, ``doc_symbol``, ``topic_id``).

    Tagged from the title and the paragraphs introducing the document.
    """

    meeting: Series[pd.Int64Dtype] = _meeting()
    doc_symbol: Series[pd.StringDtype] = pa.Field(description="The document (documents).")
    topic_id: Series[pd.StringDtype] = pa.Field(description="The topic (topics).")
    keywords: Series[pd.StringDtype] = pa.Field(description="Keywords found, ';'-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("meeting", "doc_symbol", "topic_id")


class ConsultationTopics(pa.DataFrameModel):
    """Topics of each consultation by keyword. Key (``consultation_id``, ``topic_id``)."""

    consultation_id: Series[pd.StringDtype] = pa.Field(description="The consultation.")
    topic_id: Series[pd.StringDtype] = pa.Field(description="The topic (topics).")
    keywords: Series[pd.StringDtype] = pa.Field(description="Keywords found, ';'-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ("consultation_id", "topic_id")


# --- where each table lives -----------------------------------------------------------------


class TableSpec(NamedTuple):
    """Where a table comes from: ``reference`` CSV, ``processed`` parquet (parsed), ``derived``."""

    name: str
    model: type[pa.DataFrameModel]
    origin: str
    file: str
    loader: str = ""

    @property
    def loader_name(self) -> str:
        """Return the name of the function in ``cwg_analysis.loading`` that loads the table."""
        return self.loader or f"load_{self.name}"

    @property
    def key(self) -> list[str]:
        """Return the key columns."""
        return list(self.model.Config.unique)

    @property
    def columns(self) -> list[str]:
        """Return the columns in schema order."""
        return list(table_schema(self.name).columns)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("meetings", Meetings, "derived", "meetings.parquet"),
        TableSpec("consultations", Consultations, "reference", "consultations.csv"),
        TableSpec(
            "consultation_responses",
            ConsultationResponses,
            "reference",
            "consultation_responses.csv",
        ),
        TableSpec("countries", Countries, "reference", "countries.csv"),
        TableSpec("groups", Groups, "reference", "groups.csv"),
        TableSpec("group_members", GroupMembers, "reference", "group_members.csv"),
        TableSpec("topics", Topics, "reference", "topics.csv"),
        TableSpec("meeting", Meeting, "processed", "meeting.parquet", "load_report_headers"),
        TableSpec("paragraphs", Paragraphs, "processed", "paragraphs.parquet"),
        TableSpec("dropped", Dropped, "processed", "dropped.parquet"),
        TableSpec("documents", Documents, "processed", "documents.parquet"),
        TableSpec("submitters", Submitters, "processed", "submitters.parquet"),
        TableSpec("statements", Statements, "processed", "statements.parquet"),
        TableSpec(
            "consultation",
            Consultation,
            "processed",
            "consultation.parquet",
            "load_consultation_figures",
        ),
        TableSpec("unparsed", Unparsed, "processed", "unparsed.parquet"),
        TableSpec(
            "meeting_disagreements",
            MeetingDisagreements,
            "derived",
            "meeting_disagreements.parquet",
        ),
        TableSpec("document_topics", DocumentTopics, "derived", "document_topics.parquet"),
        TableSpec(
            "consultation_topics", ConsultationTopics, "derived", "consultation_topics.parquet"
        ),
    )
}


@functools.cache
def table_schema(name: str) -> pa.DataFrameSchema:
    """Return the pandera schema of a table (built once; do not modify it)."""
    return TABLES[name].model.to_schema()


# Columns of load_meetings() that come from the corpus, not from meetings.csv.
MEETINGS_CORPUS_COLUMNS = ("has_full_report", "report_file", "source_sha256")

# --- casting, validation, ordering ----------------------------------------------------------

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _dtype_kind(field: pa.Column) -> str:
    """Return the casting kind of a schema column."""
    name = str(field.dtype)
    if name.startswith("datetime64"):
        return "datetime"
    if name == "category":
        return "category"
    return {"Int64": "int", "boolean": "boolean"}.get(name, "string")


def _where(origin: str, row: int, *, is_csv: bool) -> str:
    """Return ``file:line`` for a CSV row (header is line 1) or ``table:row N``."""
    return f"{origin}:{row + 2}" if is_csv else f"{origin}:row {row}"


def empty_table(name: str) -> pd.DataFrame:
    """Return an empty frame with the columns and dtypes of a table."""
    schema = table_schema(name)
    return pd.DataFrame(
        {column: pd.Series(dtype=_pandas_dtype(field)) for column, field in schema.columns.items()}
    )


def _pandas_dtype(field: pa.Column) -> object:
    kind = _dtype_kind(field)
    if kind == "category":
        return pd.CategoricalDtype(field.dtype.type.categories)
    return {"datetime": "datetime64[us]", "int": "Int64", "boolean": "boolean"}.get(kind, "string")


class Problem(NamedTuple):
    """One problem found in a table: the row it is in (None for the whole table) and the message."""

    row: int | None
    message: str


def coerce_table(
    frame: pd.DataFrame, name: str, origin: str, *, is_csv: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Cast a raw frame to a table's dtypes; return it with every value that could not be cast.

    ``origin`` names the file in messages (``meetings.csv:5: column venue: ...``; CSV rows are
    numbered as file lines). Blank CSV cells are nulls. A vocabulary value outside its
    categories is a problem naming the value, never a silent null.
    """
    schema = table_schema(name)
    problems: list[Problem] = []
    missing = [column for column in schema.columns if column not in frame.columns]
    extra = [column for column in frame.columns if column not in schema.columns]
    if missing:
        problems.append(Problem(None, f"{origin}: missing column(s): {', '.join(missing)}"))
    if extra:
        problems.append(
            Problem(None, f"{origin}: unexpected column(s): {', '.join(map(str, extra))}")
        )
    if problems:
        return frame, problems
    columns = {}
    for column, field in schema.columns.items():
        columns[column], bad = _cast(frame[column], field, is_csv=is_csv)
        problems.extend(
            Problem(
                row, f"{_where(origin, row, is_csv=is_csv)}: column {column}: {what}: {value!r}"
            )
            for row, what, value in bad
        )
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame))), problems


def _has_dtype(values: pd.Series, dtype: object) -> bool:
    """Return whether a column has exactly this dtype (categories in the same order too)."""
    if isinstance(dtype, pd.CategoricalDtype):
        return isinstance(values.dtype, pd.CategoricalDtype) and list(
            values.dtype.categories
        ) == list(dtype.categories)
    return values.dtype == dtype


def _cast(
    values: pd.Series, field: pa.Column, *, is_csv: bool
) -> tuple[pd.Series, list[tuple[int, str, object]]]:
    """Cast one column; return it and (row, problem, value) for every value that fails."""
    kind = _dtype_kind(field)
    values = values.reset_index(drop=True)
    if _has_dtype(values, field.dtype.type):  # already cast (built by cwg_analysis.frames)
        return values, []
    if kind == "datetime" and str(values.dtype).startswith("datetime64"):
        return values.astype("datetime64[us]"), []
    if kind == "int" and pd.api.types.is_numeric_dtype(values.dtype):
        text = values
    else:
        text = values.astype("string")
        if is_csv:  # a CSV cell of blanks is a null; parsed text keeps its exact characters
            text = text.str.strip().replace("", pd.NA)
    present = text.notna()
    if kind == "string":
        return text, []
    if kind == "category":
        categories = list(field.dtype.type.categories)
        bad = present & ~text.isin(categories)
        cast = pd.Series(pd.Categorical(text.where(~bad), categories=categories))
        return cast, [(row, "not in the vocabulary", text[row]) for row in text.index[bad]]
    if kind == "boolean":
        lowered = text.str.lower()
        cast = pd.Series(pd.NA, index=text.index, dtype="boolean")
        cast[lowered.isin(_TRUE).fillna(False)] = True
        cast[lowered.isin(_FALSE).fillna(False)] = False
        bad = present & cast.isna()
        return cast, [(row, "not true/false", text[row]) for row in text.index[bad]]
    if kind == "datetime":
        cast = pd.to_datetime(text, errors="coerce", format="ISO8601").astype("datetime64[us]")
        bad = present & cast.isna()
        return cast, [(row, "not an ISO date", text[row]) for row in text.index[bad]]
    numbers = pd.to_numeric(text, errors="coerce").astype("Float64")
    whole = (numbers == numbers.round()).fillna(False)
    bad = present & ~whole
    cast = numbers.where(whole).astype("Int64")
    return cast, [(row, "not a whole number", values[row]) for row in text.index[bad]]


def validate_table(
    frame: pd.DataFrame,
    name: str,
    origin: str,
    *,
    is_csv: bool = False,
    schema: pa.DataFrameSchema | None = None,
) -> list[Problem]:
    """Validate a cast frame against its model (or ``schema``) lazily; one problem per failure."""
    try:
        (schema or table_schema(name)).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _describe_failures(exc.failure_cases, origin, is_csv=is_csv)
    return []


def _describe_failures(cases: pd.DataFrame, origin: str, *, is_csv: bool) -> list[Problem]:
    """Turn pandera's failure cases into ``file:line: column: check: value`` problems.

    A check on whole rows (a duplicate key, an ordered range) gives one problem per row, with
    the key's values for a duplicate.
    """
    problems: dict[str, Problem] = {}
    row_checks: dict[tuple[int | None, str], list[object]] = {}
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        where = origin if row is None else _where(origin, row, is_csv=is_csv)
        check = "duplicate key" if case.check == "multiple_fields_uniqueness" else str(case.check)
        if case.schema_context == "DataFrameSchema" and row is not None:
            values = row_checks.setdefault((row, check), [])
            if check == "duplicate key":
                values.append(case.failure_case)
            continue
        column = "" if case.column is None or pd.isna(case.column) else f"column {case.column}: "
        message = f"{where}: {column}fails {check}: {case.failure_case!r}"
        problems.setdefault(message, Problem(row, message))
    for (row, check), values in row_checks.items():
        shown = f": {values[0]!r}" if len(values) == 1 else f": {tuple(values)!r}" if values else ""
        message = f"{_where(origin, row, is_csv=is_csv)}: fails {check}{shown}"
        problems.setdefault(message, Problem(row, message))
    return list(problems.values())


def _zfill_patterns(digit: str) -> tuple[tuple[str, str], ...]:
    """Return the two regex replacements that pad each run of ``digit`` like ``zfill(10)``.

    The first puts ten zeros before each run; the second keeps a run of ten or more digits
    whole and trims a shorter one to its last ten characters.
    """
    return (
        (rf"({digit}+)", r"0000000000\1"),
        (rf"0{{10}}({digit}{{10,}})|{digit}*({digit}{{10}})", r"\1\2"),
    )


# RE2's \d is ASCII; \p{Nd} is what Python's \d matches in text, and slower to compile.
_ASCII_ZFILL = _zfill_patterns(r"\d")
_UNICODE_ZFILL = _zfill_patterns(r"\p{Nd}")


def natural_key(values: pd.Series) -> pd.Series:
    """Return a sort key that orders embedded numbers numerically ("5.10" after "5.9").

    Each run of digits is padded with zeros to ten characters (``"5" -> "0000000005"``), as
    ``str.zfill(10)`` would, in vectorised passes over the column.
    """
    text = pyarrow.array(values.astype("string"), type=pyarrow.large_string())
    ascii_only = pc.all(pc.string_is_ascii(text)).as_py() is not False
    for pattern, replacement in _ASCII_ZFILL if ascii_only else _UNICODE_ZFILL:
        text = pc.replace_substring_regex(text, pattern=pattern, replacement=replacement)
    return pd.Series(pd.array(text, dtype="string"), index=values.index)


# Rows per run, on average, from which slicing a frame costs less than copying it row by row.
_MIN_RUN = 1000


def _sort_rank(values: pd.Series) -> np.ndarray:
    """Return each value's rank in key order: natural order for text, nulls last, ties equal."""
    if values.dtype == "string":
        codes, uniques = pd.factorize(values)
        ranks = pd.factorize(natural_key(pd.Series(uniques, dtype="string")), sort=True)[0]
        ranks = ranks[codes]
    else:
        codes, uniques = pd.factorize(values, sort=True)
        ranks = codes
    return np.where(codes < 0, len(uniques), ranks)


def sort_table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return the frame sorted by its key (numbers inside ids in numeric order), RangeIndex.

    The sort is stable: rows with equal keys keep their order. Rows already in order are not
    copied: a frame in key order is returned as it is, and one made of long runs of ordered
    rows (the parts of a table, read in another order) is put together from slices of itself.
    """
    ranks = [_sort_rank(frame[column]) for column in reversed(TABLES[name].key)]
    order = np.lexsort(ranks)
    starts = np.flatnonzero(np.diff(order) != 1) + 1  # where each run after the first begins
    if len(order) == 0 or (len(starts) == 0 and order[0] == 0):
        return frame.reset_index(drop=True)
    if (len(starts) + 1) * _MIN_RUN > len(order):
        return frame.take(order).reset_index(drop=True)
    bounds = zip([0, *starts], [*starts, len(order)], strict=True)
    runs = [frame.iloc[order[start] : order[start] + end - start] for start, end in bounds]
    return pd.concat(runs, ignore_index=True)


# --- the data dictionary --------------------------------------------------------------------

_ORIGINS = {
    "reference": "curated CSV in `data/reference/`",
    "processed": "parsed from the reports by `cwg-analysis build`",
    "derived": "derived by `cwg-analysis build`",
}


def render_data_dictionary() -> str:
    """Return the data dictionary as Markdown, generated from the models."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `cwg_analysis/schemas.py` by `python -m cwg_analysis.schemas`;",
        "do not edit. Every table is loaded by `cwg_analysis.loading.load_<table>()` with these",
        "columns, in this order, sorted by its key. Nullable columns hold `<NA>` where the",
        "value is unknown. In `data/processed/`, a table parsed from the reports is a parquet",
        "dataset (a folder of parts that pandas and pyarrow read as one table); the others are",
        "single parquet files.",
        "",
    ]
    for spec in TABLES.values():
        schema = spec.model.to_schema()
        doc = inspect.cleandoc(spec.model.__doc__ or "").replace("``", "`")
        paragraphs = [" ".join(part.split()) for part in doc.split("\n\n")]
        lines += [
            f"## {spec.name}",
            "",
            *[line for part in paragraphs for line in (part, "")],
            f"Loader `{spec.loader_name}()`; {_ORIGINS[spec.origin]} (`{spec.file}`); "
            f"key: {', '.join(f'`{column}`' for column in spec.key)}.",
            "",
            "| column | type | nullable | description |",
            "| --- | --- | --- | --- |",
        ]
        for column, field in schema.columns.items():
            dtype = "category" if _dtype_kind(field) == "category" else str(_pandas_dtype(field))
            nullable = "yes" if field.nullable else "no"
            lines.append(f"| `{column}` | {dtype} | {nullable} | {field.description} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the data dictionary (``--check``: exit 1 if the file is out of date)."""
    parser = argparse.ArgumentParser(prog="python -m cwg_analysis.schemas")
    parser.add_argument(
        "--out", type=Path, default=config.PROJECT_ROOT / "docs" / "data-dictionary.md"
    )
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = render_data_dictionary()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            sys.stderr.write(f"{args.out}: out of date; run python -m cwg_analysis.schemas\n")
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
