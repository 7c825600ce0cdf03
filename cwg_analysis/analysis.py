"""Answer the questions the notebooks ask: participation, positions, trends, consultations.

Every function takes frames as ``cwg_analysis.loading.load_<table>()`` returns them and returns
a new frame (RangeIndex, nullable dtypes, documented grain and order). Nothing here reads
files, so each function is tested with small inline frames and with the real corpus.
"""

from __future__ import annotations

import itertools
import re
from numbers import Integral
from typing import TYPE_CHECKING

import pandas as pd

from cwg_analysis.contest import STATE_KINDS, positions
from cwg_analysis.errors import UnknownMeetingError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "POSITION_STANCES",
    "build_cosubmission_graph",
    "build_timeline",
    "count_contributions",
    "count_contributions_by_group",
    "count_responses_by_group",
    "count_topics_over_time",
    "crosswalk_stakeholder_groups",
    "describe_meeting",
    "describe_report_coverage",
    "find_cosubmission_blocs",
    "find_meeting_consultation",
    "format_dates",
    "list_decisions",
    "list_documents",
    "list_full_reports",
    "list_memberships",
    "list_named_interventions",
    "list_official_roles",
    "list_position_statements",
    "measure_uptake",
    "order_topics",
    "read_period_bounds",
    "resolve_pronouns",
    "select_meeting",
    "summarise_consultations",
    "summarise_meetings",
    "summarise_speakers",
    "tabulate_positions",
]


def _join(values: pd.Series) -> str:
    """Join the distinct values of a column in their first-seen order."""
    return ", ".join(dict.fromkeys(str(value) for value in values.dropna()))


def _finish(frame: pd.DataFrame, dtypes: dict[str, object] | None = None) -> pd.DataFrame:
    """Return the frame with a RangeIndex and nullable dtypes (no ``object`` columns).

    ``dtypes`` sets the columns whose type cannot be inferred (all-null, categorical);
    the rest become ``string``, ``Int64``, ``Float64`` or ``boolean``.
    """
    frame = frame.reset_index(drop=True).astype(dtypes or {})
    nullable = {}
    for name, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            continue
        if pd.api.types.is_bool_dtype(dtype):
            nullable[name] = "boolean"
        elif pd.api.types.is_integer_dtype(dtype):
            nullable[name] = "Int64"
        elif pd.api.types.is_float_dtype(dtype):
            nullable[name] = "Float64"
        else:
            nullable[name] = "string"
    return frame.astype(nullable)


# --- participation -------------------------------------------------------------------------


def count_contributions(
    submitters: pd.DataFrame, countries: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Count the contributions each state submitted, alone and jointly.

    One row per ``country_code``, most contributions first. A document listed in several
    reports counts once. Columns: country_code, country_name and itu_region (when
    ``countries`` is given), contributions, sole_contributions, joint_contributions,
    doc_symbols (comma-separated, in order of appearance).
    """
    pairs = submitters.drop_duplicates(["doc_symbol", "country_code"])
    authors = pairs.groupby("doc_symbol")["country_code"].transform("size")
    pairs = pairs.assign(is_joint=authors > 1)
    table = (
        pairs.groupby("country_code", observed=True, sort=False)
        .agg(
            contributions=("doc_symbol", "nunique"),
            joint_contributions=("is_joint", "sum"),
            doc_symbols=("doc_symbol", _join),
        )
        .reset_index()
    )
    table.insert(2, "sole_contributions", table["contributions"] - table["joint_contributions"])
    if countries is not None:
        names = countries[["country_code", "name", "itu_region"]].rename(
            columns={"name": "country_name"}
        )
        table = table.merge(names, on="country_code", how="left")
        table = table[["country_code", "country_name", "itu_region", *table.columns[1:5]]]
    table = table.sort_values(["contributions", "country_code"], ascending=[False, True])
    return _finish(
        table,
        {
            "contributions": "Int64",
            "sole_contributions": "Int64",
            "joint_contributions": "Int64",
        },
    )


def build_cosubmission_graph(submitters: pd.DataFrame) -> nx.Graph:
    """Build the co-submission network: states are nodes, joint contributions are edges.

    Node attribute ``contributions`` counts every contribution of the state (alone or
    jointly); edge attributes ``weight`` (joint contributions) and ``doc_symbols`` list
    what the two states submitted together. Sole submitters are isolated nodes.
    """
    import networkx as nx  # imported on use: it costs a notebook 0.2 s to import

    graph = nx.Graph()
    pairs = submitters.drop_duplicates(["doc_symbol", "country_code"])
    for doc_symbol, codes in pairs.groupby("doc_symbol", sort=True)["country_code"]:
        states = sorted(codes)
        for code in states:
            graph.add_node(
                code, contributions=graph.nodes.get(code, {}).get("contributions", 0) + 1
            )
        for first, second in itertools.combinations(states, 2):
            edge = graph.get_edge_data(first, second, default={"weight": 0, "doc_symbols": []})
            graph.add_edge(
                first,
                second,
                weight=edge["weight"] + 1,
                doc_symbols=[*edge["doc_symbols"], doc_symbol],
            )
    return graph


def find_cosubmission_blocs(
    submitters: pd.DataFrame, memberships: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Find the blocs of states that submit contributions together.

    One row per connected component of the co-submission network with two or more states,
    largest first. Columns: bloc (1-based), states (count), country_codes, joint_contributions
    (documents with two or more of its states), doc_symbols and, when ``memberships``
    (``list_memberships`` output) is given, shared_groups: the groups (ITU region, regional
    organisation) that count every state of the bloc as a member, so a reader sees whether
    a bloc is a known regional group.
    """
    graph = build_cosubmission_graph(submitters)
    members = (
        {}
        if memberships is None
        else {
            group: set(codes)
            for group, codes in memberships.groupby("group_id", observed=True)["country_code"]
        }
    )
    rows = []
    import networkx as nx

    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        edges = graph.subgraph(component).edges(data="doc_symbols")
        documents = sorted({symbol for *_, symbols in edges for symbol in symbols})
        row = {
            "states": len(component),
            "country_codes": ", ".join(sorted(component)),
            "joint_contributions": len(documents),
            "doc_symbols": ", ".join(documents),
        }
        if memberships is not None:
            row["shared_groups"] = ", ".join(
                sorted(group for group, codes in members.items() if component <= codes)
            )
        rows.append(row)
    columns = ["states", "country_codes", "joint_contributions", "doc_symbols"]
    if memberships is not None:
        columns.append("shared_groups")
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["states", "country_codes"], ascending=[False, True])
    table.insert(0, "bloc", range(1, len(table) + 1))
    return _finish(table, {"bloc": "Int64", "states": "Int64", "joint_contributions": "Int64"})


def list_memberships(countries: pd.DataFrame, group_members: pd.DataFrame) -> pd.DataFrame:
    """Combine ITU-region membership (from ``countries``) with regional-body memberships.

    One row per (group_id, country_code): the ITU region A-E of every Member State, then
    the sourced memberships of ``group_members``. Columns: group_id, country_code.
    """
    regions = countries.loc[countries["itu_region"].notna(), ["itu_region", "country_code"]]
    regions = regions.rename(columns={"itu_region": "group_id"}).astype({"group_id": "string"})
    bodies = group_members[["group_id", "country_code"]].astype({"group_id": "string"})
    return _finish(pd.concat([regions, bodies]).drop_duplicates())


def count_contributions_by_group(
    submitters: pd.DataFrame, groups: pd.DataFrame, memberships: pd.DataFrame
) -> pd.DataFrame:
    """Count contributing states and contributions per group (ITU region, regional body).

    One row per group of ``groups`` (so groups that brought nothing show zeros), ITU
    regions first, then regional organisations, each by identifier; ``memberships`` is
    ``list_memberships`` output. A contribution counts for a group when at least one of its
    submitters is a member, so a joint contribution counts for every group involved.
    Columns: group_id, group_kind, group_name, member_states, contributing_states,
    contributions, doc_symbols. A group without any sourced membership has null
    member_states and contributing_states (unknown, not none).
    """
    pairs = submitters.drop_duplicates(["doc_symbol", "country_code"])
    joined = memberships.merge(pairs, on="country_code")
    activity = joined.groupby("group_id", observed=True).agg(
        contributing_states=("country_code", "nunique"),
        contributions=("doc_symbol", "nunique"),
        doc_symbols=("doc_symbol", lambda symbols: ", ".join(sorted(set(symbols)))),
    )
    size = memberships.groupby("group_id", observed=True)["country_code"].nunique()
    table = groups[["group_id", "group_kind", "name"]].rename(columns={"name": "group_name"})
    table = table.astype({"group_id": "string"}).sort_values(["group_kind", "group_id"])
    table = table.assign(member_states=table["group_id"].map(size).fillna(0))
    table = table.merge(activity, left_on="group_id", right_index=True, how="left")
    table = table.fillna({"contributing_states": 0, "contributions": 0})
    unknown = table["member_states"] == 0
    table.loc[unknown, ["member_states", "contributing_states"]] = pd.NA
    return _finish(
        table, {"member_states": "Int64", "contributing_states": "Int64", "contributions": "Int64"}
    )


def list_named_interventions(
    statements: pd.DataFrame, countries: pd.DataFrame | None = None
) -> pd.DataFrame:
    """List the statements whose speaker the report names as a state.

    One row per statement with a ``country_code``, in report order. Columns: meeting,
    para_id, country_code, country_name (when ``countries`` is given), stance,
    target_symbol, sentence.
    """
    named = statements.loc[
        statements["country_code"].notna(),
        ["meeting", "para_id", "country_code", "stance", "target_symbol", "sentence"],
    ]
    if countries is not None:
        names = countries.set_index("country_code")["name"]
        named.insert(3, "country_name", named["country_code"].map(names).astype("string"))
    return _finish(named)


def resolve_pronouns(statements: pd.DataFrame) -> pd.Series:
    """Return each statement's actor label with "He"/"They" replaced by whom they continue.

    A pronoun (the ``pronouns`` of the cue vocabulary) continues the previous actor of the
    same paragraph, the rule the stance model applies; a pronoun opening a paragraph stays.
    """
    from cwg_analysis.stance import load_cues

    pronouns = {str(word).casefold() for word in load_cues().raw["pronouns"]}
    labels: list[object] = []
    previous: dict[tuple[object, object], object] = {}
    for meeting, para_id, label in zip(
        statements["meeting"], statements["para_id"], statements["actor_label"], strict=True
    ):
        paragraph = (meeting, para_id)
        if str(label).casefold() in pronouns and paragraph in previous:
            label = previous[paragraph]
        previous[paragraph] = label
        labels.append(label)
    return pd.Series(labels, index=statements.index, dtype="string", name="actor_label")


def summarise_speakers(statements: pd.DataFrame) -> pd.DataFrame:
    """Count statements by who the report says made them, and whether the state is named.

    One row per (actor_kind, quantifier) present, in vocabulary order. Columns: actor_kind,
    quantifier, statements, named_statements (with a country_code), share (of all
    statements, 0-1). This is the measure of what the reports do not tell: statements by
    "some Member States" carry no country.
    """
    table = (
        statements.assign(is_named=statements["country_code"].notna())
        .groupby(["actor_kind", "quantifier"], observed=True, dropna=False)
        .agg(statements=("para_id", "size"), named_statements=("is_named", "sum"))
        .reset_index()
    )
    table["share"] = (table["statements"] / len(statements)).round(3)
    return _finish(table, {"statements": "Int64", "named_statements": "Int64"})


def list_official_roles(statements: pd.DataFrame) -> pd.DataFrame:
    """Describe what the chair, the secretariat and ITU officials did in the discussion.

    One row per speaker among chair, secretariat and official, in order of first
    appearance; "He"/"they" count for the speaker they continue (``resolve_pronouns``) and
    "The Chairman"/"the Chairman" are one speaker. Columns: actor_kind, actor_label,
    statements, stances ("propose 2, note 1", most frequent first), para_ids.
    """
    speakers = statements.assign(actor_label=resolve_pronouns(statements))
    roles = speakers[speakers["actor_kind"].isin(["chair", "secretariat", "official"])]
    roles = roles.assign(speaker=roles["actor_label"].str.casefold())
    rows = []
    for (kind, _), group in roles.groupby(["actor_kind", "speaker"], observed=True, sort=False):
        stances = group["stance"].astype("string").value_counts()
        rows.append(
            {
                "actor_kind": kind,
                "actor_label": group["actor_label"].iloc[0],
                "statements": len(group),
                "stances": ", ".join(f"{stance} {n}" for stance, n in stances.items()),
                "para_ids": _join(group["para_id"]),
            }
        )
    columns = ["actor_kind", "actor_label", "statements", "stances", "para_ids"]
    table = pd.DataFrame(rows, columns=columns)
    return _finish(table, {"actor_kind": statements["actor_kind"].dtype, "statements": "Int64"})


# --- positions -----------------------------------------------------------------------------

POSITION_STANCES = ("support", "propose", "caution", "oppose")


def _in_meeting(frame: pd.DataFrame, meeting: int | None) -> pd.DataFrame:
    """Return the rows of one meeting (all rows when ``meeting`` is None)."""
    return frame if meeting is None else frame[frame["meeting"] == meeting]


def list_documents(
    documents: pd.DataFrame,
    submitters: pd.DataFrame,
    countries: pd.DataFrame,
    *,
    meeting: int | None = None,
) -> pd.DataFrame:
    """List the documents a meeting's report refers to, with who submitted each.

    One row per document (per meeting), in report order of first mention. Columns: meeting,
    doc_symbol, doc_type, title (null where the report gives none), submitted_by (state
    names in the order listed; null for documents without submitters), para_id (where the
    report first introduces it).
    """
    names = countries.set_index("country_code")["name"]
    authors = (
        _in_meeting(submitters, meeting)
        .sort_values(["meeting", "doc_symbol", "position"])
        .assign(name=lambda frame: frame["country_code"].map(names).fillna(frame["country_code"]))
        .groupby(["meeting", "doc_symbol"], observed=True)["name"]
        .agg(", ".join)
        .rename("submitted_by")
        .reset_index()
    )
    table = _in_meeting(documents, meeting).merge(authors, on=["meeting", "doc_symbol"], how="left")
    order = table["para_id"].map(_paragraph_order)
    table = table.iloc[
        sorted(range(len(table)), key=lambda i: (table["meeting"].iloc[i], order.iloc[i]))
    ]
    columns = ["meeting", "doc_symbol", "doc_type", "title", "submitted_by", "para_id"]
    return _finish(table[columns])


def _paragraph_order(para_id: str) -> tuple[tuple[int, int], ...]:
    """Return a sort key that puts paragraph ids in report order ("4.4+1" after "4.4")."""
    return tuple(
        (int(number), int(bool(plus))) for plus, number in re.findall(r"([.+]?)(\d+)", str(para_id))
    )


def tabulate_positions(
    statements: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    meeting: int | None = None,
) -> pd.DataFrame:
    """Tabulate the states' positions on each document, flagging the contested ones.

    One row per target document of the states' statements (anonymous, named, proponents),
    ordered by symbol. Columns: target_symbol, then doc_type, title and submitted_by as far
    as ``documents`` has them (``load_documents`` or ``list_documents`` output), then
    support, propose, caution, oppose, note (statement counts), state_sets (distinct sets of
    states speaking; an upper bound, since two anonymous mentions may overlap),
    is_contested (support or a proposal from one set, caution or opposition from another:
    ``cwg_analysis.contest``), has_decision (the Group decided something on it), para_ids
    (paragraphs of the states' statements, in order).
    """
    rows = _in_meeting(statements, meeting)
    table = positions(rows[rows["actor_kind"].isin(STATE_KINDS)])
    decided = positions(rows)
    decided = set(decided.loc[decided["decide"] > 0, "target_symbol"])
    table = table.assign(has_decision=table["target_symbol"].isin(decided))
    columns = [
        "target_symbol",
        *POSITION_STANCES,
        "note",
        "state_sets",
        "is_contested",
        "has_decision",
        "para_ids",
    ]
    table = table[columns]
    if documents is not None:
        described = [name for name in ("doc_type", "title", "submitted_by") if name in documents]
        about = _in_meeting(documents, meeting).drop_duplicates("doc_symbol")
        about = about[["doc_symbol", *described]].rename(columns={"doc_symbol": "target_symbol"})
        table = table.merge(about, on="target_symbol", how="left")
        table = table[["target_symbol", *described, *columns[1:]]]
    return _finish(table)


def list_position_statements(
    statements: pd.DataFrame,
    *,
    meeting: int | None = None,
    target_symbol: str | None = None,
    contested_only: bool = False,
) -> pd.DataFrame:
    """List the statements that take a position on a document, with their paragraph.

    One row per statement by states (anonymous, named or the proponents) whose stance is
    support, propose, caution or oppose and whose target is known, in report order,
    optionally for one meeting, one target or the contested targets only. Columns: meeting,
    para_id, target_symbol,
    stance, actor_label (a "they" resolved to whom it continues), quantifier,
    is_other_group, sentence, cue. The sentence is the report's own words, so each position
    can be checked.
    """
    rows = _in_meeting(statements, meeting)
    rows = rows.assign(actor_label=resolve_pronouns(rows))
    rows = rows[
        rows["actor_kind"].isin(STATE_KINDS)
        & rows["stance"].isin(POSITION_STANCES)
        & rows["target_symbol"].notna()
    ]
    if target_symbol is not None:
        rows = rows[rows["target_symbol"] == target_symbol]
    if contested_only:
        table = tabulate_positions(statements, meeting=meeting)
        rows = rows[rows["target_symbol"].isin(table.loc[table["is_contested"], "target_symbol"])]
    columns = [
        "meeting",
        "para_id",
        "target_symbol",
        "stance",
        "actor_label",
        "quantifier",
        "is_other_group",
        "sentence",
        "cue",
    ]
    return _finish(rows[columns])


def list_decisions(statements: pd.DataFrame, *, meeting: int | None = None) -> pd.DataFrame:
    """List what the Group decided and what the Chair proposed or concluded.

    One row per statement by the Group (any stance but thanks) or the Chair (proposals,
    notes and decisions), in report order. Columns: meeting, para_id, actor_label, stance,
    target_symbol, sentence.
    """
    rows = _in_meeting(statements, meeting)
    is_group = (rows["actor_kind"] == "group") & (rows["stance"] != "thank")
    is_chair = (rows["actor_kind"] == "chair") & rows["stance"].isin(["propose", "note", "decide"])
    columns = ["meeting", "para_id", "actor_label", "stance", "target_symbol", "sentence"]
    return _finish(rows.loc[is_group | is_chair, columns])


# --- trends and consultations --------------------------------------------------------------


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_PERIOD = re.compile(
    rf"(?:(?P<first>{_MONTHS})(?:\s+(?P<first_year>\d{{4}}))?\s*[-\u2013]\s*)?"
    rf"(?P<last>{_MONTHS})\s+(?P<last_year>\d{{4}})"
)


def read_period_bounds(text: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a period written "October 2017 - January 2018".

    A single month ("February 2019") spans that month. Both bounds are NaT when the text
    is not such a period (e.g. "2013 (closed 1 August 2013)", "2020-2021").

    Examples
    --------
    >>> read_period_bounds("February - September 2016")
    (Timestamp('2016-02-01 00:00:00'), Timestamp('2016-09-30 00:00:00'))
    >>> read_period_bounds("February 2019")
    (Timestamp('2019-02-01 00:00:00'), Timestamp('2019-02-28 00:00:00'))
    """
    found = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
    if found is None:
        return pd.NaT, pd.NaT
    first_year = found["first_year"] or found["last_year"]
    first = pd.Timestamp(f"{found['first'] or found['last']} {first_year}")
    last = pd.Timestamp(f"{found['last']} {found['last_year']}") + pd.offsets.MonthEnd(0)
    return first, last


def _read_bounds(texts: pd.Series) -> pd.DataFrame:
    """Return ``read_period_bounds`` of every text as columns first and last."""
    return pd.DataFrame(
        [read_period_bounds(text) for text in texts],
        columns=["first", "last"],
        index=texts.index,
        dtype="datetime64[us]",
    )


def build_timeline(meetings: pd.DataFrame, consultations: pd.DataFrame) -> pd.DataFrame:
    """Put meetings, online consultations and physical consultation meetings on one timeline.

    One row per event, by start date (undated events last, in their given order). Columns:
    event_kind (meeting, online_consultation, physical_consultation), label, meeting,
    consultation_id, start_date, end_date, is_approximate (an event without exact dates spans
    the months its date text names: "October 2017 - January 2018", "February 2019"),
    date_text (the source's words), has_full_report, is_uncertain.
    """
    month = _read_bounds(meetings["date_text"])
    start = pd.to_datetime(meetings["start_date"])
    meeting_rows = pd.DataFrame(
        {
            "event_kind": "meeting",
            "label": "Meeting " + meetings["meeting"].astype("string"),
            "meeting": meetings["meeting"],
            "consultation_id": pd.NA,
            "start_date": start.fillna(month["first"]),
            "end_date": pd.to_datetime(meetings["end_date"]).fillna(month["last"]),
            "is_approximate": start.isna() & month["first"].notna(),
            "date_text": meetings["date_text"],
            "has_full_report": meetings["has_full_report"],
            "is_uncertain": meetings["is_uncertain"],
        }
    )
    bounds = _read_bounds(consultations["online_period_text"])
    opened = pd.to_datetime(consultations["online_start_date"])
    closed = pd.to_datetime(consultations["online_end_date"])
    online = pd.DataFrame(
        {
            "event_kind": "online_consultation",
            "label": consultations["topic"].fillna("Topic not recorded"),
            "meeting": pd.NA,
            "consultation_id": consultations["consultation_id"],
            "start_date": opened.fillna(bounds["first"]),
            "end_date": closed.fillna(bounds["last"]),
            "is_approximate": (opened.isna() & bounds["first"].notna())
            | (closed.isna() & bounds["last"].notna()),
            "date_text": consultations["online_period_text"],
            "has_full_report": pd.NA,
            "is_uncertain": consultations["is_uncertain"],
        }
    )
    held = consultations[consultations["physical_meeting_date"].notna()]
    number = held["physical_meeting_no"].astype("string")
    physical = pd.DataFrame(
        {
            "event_kind": "physical_consultation",
            "label": ("Open consultation meeting " + number).fillna("Open consultation meeting"),
            "meeting": pd.NA,
            "consultation_id": held["consultation_id"],
            "start_date": pd.to_datetime(held["physical_meeting_date"]),
            "end_date": pd.to_datetime(held["physical_meeting_date"]),
            "is_approximate": False,
            "date_text": pd.NA,
            "has_full_report": pd.NA,
            "is_uncertain": held["is_uncertain"],
        }
    )
    timeline = pd.concat([meeting_rows, online, physical], ignore_index=True)
    when = timeline["start_date"].fillna(timeline["end_date"])
    timeline = timeline.loc[when.sort_values(kind="stable", na_position="last").index]
    kinds = pd.CategoricalDtype(["meeting", "online_consultation", "physical_consultation"])
    return _finish(
        timeline,
        {
            "event_kind": kinds,
            "meeting": "Int64",
            "consultation_id": "string",
            "date_text": "string",
            "is_approximate": "boolean",
            "has_full_report": "boolean",
            "is_uncertain": "boolean",
        },
    )


def summarise_consultations(
    consultations: pd.DataFrame, consultation_responses: pd.DataFrame
) -> pd.DataFrame:
    """Describe each open consultation: when, how long, how many questions and responses.

    One row per consultation, in the order given. Columns: consultation_id, topic,
    decided_by, launching_meeting, online_period_text, days_open (opening to closing),
    is_days_open_approximate (a bound comes from the months the period text names),
    days_to_physical_meeting (closing to the physical consultation meeting),
    physical_meeting_date, questions, responses_total, has_breakdown (responses known by
    stakeholder group), reported_to_meeting. Unknown stays null.
    """
    bounds = _read_bounds(consultations["online_period_text"])
    opened = pd.to_datetime(consultations["online_start_date"])
    closed = pd.to_datetime(consultations["online_end_date"])
    physical = pd.to_datetime(consultations["physical_meeting_date"])
    days_open = (closed.fillna(bounds["last"]) - opened.fillna(bounds["first"])).dt.days
    table = consultations[
        [
            "consultation_id",
            "topic",
            "decided_by",
            "launching_meeting",
            "online_period_text",
        ]
    ].assign(
        days_open=days_open.astype("Int64"),
        is_days_open_approximate=(days_open.notna() & (opened.isna() | closed.isna())),
        days_to_physical_meeting=(physical - closed).dt.days.astype("Int64"),
        physical_meeting_date=consultations["physical_meeting_date"],
        questions=consultations["questions"],
        responses_total=consultations["responses_total"],
        has_breakdown=consultations["consultation_id"].isin(
            set(consultation_responses["consultation_id"].dropna())
        ),
        reported_to_meeting=consultations["reported_to_meeting"],
    )
    return _finish(table, {"questions": "Int64", "responses_total": "Int64"})


def count_responses_by_group(
    consultations: pd.DataFrame,
    consultation_responses: pd.DataFrame,
    *,
    meeting: int | None = None,
) -> pd.DataFrame:
    """Lay out the responses of each consultation by stakeholder group, with the source label.

    One row per consultation x stakeholder group, consultations in time order (by closing
    date, else the physical meeting), groups largest first. Columns: consultation_id, topic,
    year (of closing), stakeholder_group (harmonised), source_label (the report's own words: the
    categories change between consultations and combined counts are never split),
    responses, responses_total, share (of the total, 0-1). With ``meeting``, only the
    consultations reported to that meeting.
    """
    if meeting is not None:
        consultations = consultations[consultations["reported_to_meeting"] == meeting]
        consultation_responses = consultation_responses[
            consultation_responses["consultation_id"].isin(consultations["consultation_id"])
        ]
    closed = pd.to_datetime(consultations["online_end_date"]).fillna(
        pd.to_datetime(consultations["physical_meeting_date"])
    )
    info = consultations[["consultation_id", "topic", "responses_total"]].assign(closed=closed)
    table = consultation_responses[
        ["consultation_id", "stakeholder_group", "source_label", "responses"]
    ].merge(info, on="consultation_id", how="left")
    table["year"] = table["closed"].dt.year.astype("Int64")
    table["share"] = (table["responses"] / table["responses_total"]).astype("Float64").round(3)
    table = table.sort_values(
        ["closed", "consultation_id", "responses"], ascending=[True, True, False]
    )
    columns = [
        "consultation_id",
        "topic",
        "year",
        "stakeholder_group",
        "source_label",
        "responses",
        "responses_total",
        "share",
    ]
    return _finish(table[columns])


def crosswalk_stakeholder_groups(consultation_responses: pd.DataFrame) -> pd.DataFrame:
    """Show how each consultation's own labels map onto the harmonised stakeholder groups.

    One row per harmonised stakeholder_group, one column per consultation_id holding the
    source's label (null where that consultation had no such category). Reading across a
    row shows where categories were merged or split between consultations.
    """
    table = consultation_responses.pivot(
        index="stakeholder_group", columns="consultation_id", values="source_label"
    )
    table.columns = [str(column) for column in table.columns]
    return _finish(table.reset_index())


def _consultation_dates(consultations: pd.DataFrame) -> pd.Series:
    """Return the date that places each consultation in time: closing, else its meeting."""
    return (
        pd.to_datetime(consultations["online_end_date"])
        .fillna(pd.to_datetime(consultations["physical_meeting_date"]))
        .fillna(pd.to_datetime(consultations["decided_date"]))
    )


def summarise_meetings(
    meetings: pd.DataFrame,
    documents: pd.DataFrame,
    submitters: pd.DataFrame,
    statements: pd.DataFrame,
) -> pd.DataFrame:
    """Count what each meeting's full report records: contributions, statements, contests.

    One row per meeting of ``meetings``, in order. Columns: meeting, dates (as written by
    ``format_dates``), has_full_report, documents, contributions, contributing_states, statements,
    named_statements (a state is named), contested_items. Counts are null, not zero, for a
    meeting without a full report in the collection: nothing can be counted there.
    """
    counts = pd.DataFrame(
        {
            "documents": documents.groupby("meeting")["doc_symbol"].nunique(),
            "contributions": documents[documents["doc_type"] == "contribution"]
            .groupby("meeting")["doc_symbol"]
            .nunique(),
            "contributing_states": submitters.groupby("meeting")["country_code"].nunique(),
            "statements": statements.groupby("meeting").size(),
            "named_statements": statements.groupby("meeting")["country_code"].count(),
            "contested_items": pd.Series(
                {
                    number: int(positions(rows)["is_contested"].sum())
                    for number, rows in statements.groupby("meeting")
                },
                dtype="Int64",
            ),
        }
    )
    dates = [
        format_dates(start, end, text)
        for start, end, text in zip(
            meetings["start_date"], meetings["end_date"], meetings["date_text"], strict=True
        )
    ]
    table = (
        meetings[["meeting", "has_full_report"]]
        .assign(dates=pd.array(dates, dtype="string"))
        .merge(counts, left_on="meeting", right_index=True, how="left")
    )
    table = table[["meeting", "dates", "has_full_report", *counts.columns]]
    full = table["has_full_report"].fillna(False).astype(bool)
    table.loc[full, counts.columns] = table.loc[full, counts.columns].fillna(0)
    return _finish(table, dict.fromkeys(counts.columns, "Int64"))


_ROMAN = {"i": 1, "v": 5, "x": 10}


def _roman(numeral: object) -> float:
    """Return the value of a small lower-case Roman numeral ("xii" -> 12), NaN if absent."""
    if pd.isna(numeral):
        return float("nan")
    values = [_ROMAN[char] for char in str(numeral).strip().lower()]
    return float(
        sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    )


def order_topics(topics: pd.DataFrame) -> pd.DataFrame:
    """Return the topics in reading order: Resolution 1305 issues i-xii, then later topics.

    Examples
    --------
    >>> frame = pd.DataFrame({"topic_id": ["spam", "otts", "multilingualisation"],
    ...     "label": ["Spam", "OTTs", "Multilingualisation"],
    ...     "res1305_item": ["vi", None, "i"]})
    >>> order_topics(frame)["topic_id"].tolist()
    ['multilingualisation', 'spam', 'otts']
    """
    key = topics["res1305_item"].map(_roman)
    ordered = topics.assign(_key=key).sort_values(["_key", "label"], na_position="last")
    return ordered.drop(columns="_key").reset_index(drop=True)


def count_topics_over_time(
    topics: pd.DataFrame,
    consultations: pd.DataFrame,
    consultation_topics: pd.DataFrame,
    meetings: pd.DataFrame,
    document_topics: pd.DataFrame,
) -> pd.DataFrame:
    """Count, per topic and year, the consultations and the documents discussed on it.

    One row per (topic, year, source) with at least one item: the twelve Resolution 1305
    issues first in their order (i-xii), then later topics by label; then year. Columns: topic_id,
    label, origin, res1305_item, year, source (consultation or document), items, item_ids
    (consultation identifiers or document symbols). A consultation counts in the year it
    closed; a document in the year of the meeting whose report discusses it, so documents
    are counted only for meetings with a full report.
    """
    consultation_years = pd.DataFrame(
        {
            "consultation_id": consultations["consultation_id"],
            "year": _consultation_dates(consultations).dt.year,
        }
    )
    from_consultations = consultation_topics.merge(consultation_years, on="consultation_id")
    from_consultations = from_consultations.assign(
        source="consultation", item=from_consultations["consultation_id"]
    )
    meeting_years = pd.DataFrame(
        {"meeting": meetings["meeting"], "year": pd.to_datetime(meetings["start_date"]).dt.year}
    )
    from_documents = document_topics.merge(meeting_years, on="meeting")
    from_documents = from_documents.assign(source="document", item=from_documents["doc_symbol"])
    tagged = pd.concat(
        [
            from_consultations[["topic_id", "year", "source", "item"]],
            from_documents[["topic_id", "year", "source", "item"]],
        ],
        ignore_index=True,
    ).dropna(subset=["year"])
    table = (
        tagged.drop_duplicates()
        .groupby(["topic_id", "year", "source"], observed=True)
        .agg(items=("item", "size"), item_ids=("item", lambda items: ", ".join(sorted(items))))
        .reset_index()
    )
    order = {topic: i for i, topic in enumerate(order_topics(topics)["topic_id"])}
    about = topics[["topic_id", "label", "origin", "res1305_item"]]
    table = table.merge(about, on="topic_id", how="left")
    table = table.sort_values(
        ["topic_id", "year", "source"],
        key=lambda column: column.map(order) if column.name == "topic_id" else column,
    )
    columns = ["topic_id", "label", "origin", "res1305_item", "year", "source", "items", "item_ids"]
    return _finish(
        table[columns],
        {"year": "Int64", "source": pd.CategoricalDtype(["consultation", "document"])},
    )


def measure_uptake(
    consultations: pd.DataFrame,
    consultation_topics: pd.DataFrame,
    meetings: pd.DataFrame,
    paragraphs: pd.DataFrame,
    topics: pd.DataFrame,
) -> pd.DataFrame:
    """Measure whether each consultation's topic shows up in the next meeting's discussion.

    One row per consultation, in time order. The next meeting is the one the consultation
    was reported to, else the first meeting with an exact date that started after it closed
    (null when none is known). Its report's
    paragraphs are tagged with the topics' keywords (``cwg_analysis.topics``); the
    consultation is taken up when a paragraph carries one of the consultation's own topics.
    Columns: consultation_id, topic, topic_ids, next_meeting, has_full_report,
    paragraphs_on_topic, para_ids, is_taken_up (null when the next meeting has no full
    report, or the consultation has no topic tag: unknown, not "no").
    """
    from cwg_analysis.topics import TopicMatcher

    closed = _consultation_dates(consultations)
    starts = pd.to_datetime(meetings["start_date"])
    dated = meetings.assign(start=starts).dropna(subset=["start"]).sort_values("start")
    matcher = TopicMatcher.from_topics(topics)
    tags = consultation_topics.groupby("consultation_id")["topic_id"].agg(lambda ids: sorted(ids))
    full = set(meetings.loc[meetings["has_full_report"].fillna(False).astype(bool), "meeting"])
    rows = []
    for consultation_id, topic, reported, when in zip(
        consultations["consultation_id"],
        consultations["topic"],
        consultations["reported_to_meeting"],
        closed,
        strict=True,
    ):
        meeting = _next_meeting(dated, reported, when)
        own = tags.get(consultation_id, [])
        has_report = pd.notna(meeting) and meeting in full
        hits = []
        if has_report:
            discussed = paragraphs[paragraphs["meeting"] == meeting]
            hits = [
                para_id
                for para_id, text in zip(discussed["para_id"], discussed["text"], strict=True)
                if set(matcher.find(str(text))) & set(own)
            ]
        rows.append(
            {
                "consultation_id": consultation_id,
                "topic": topic,
                "topic_ids": ", ".join(own) or pd.NA,
                "next_meeting": meeting,
                "has_full_report": has_report,
                "paragraphs_on_topic": len(hits) if has_report else pd.NA,
                "para_ids": ", ".join(hits) if hits else pd.NA,
                "is_taken_up": bool(hits) if has_report and own else pd.NA,
            }
        )
    table = pd.DataFrame(rows).iloc[closed.argsort(kind="stable")]
    return _finish(
        table,
        {
            "topic_ids": "string",
            "next_meeting": "Int64",
            "paragraphs_on_topic": "Int64",
            "para_ids": "string",
            "is_taken_up": "boolean",
        },
    )


def _next_meeting(dated: pd.DataFrame, reported: object, when: pd.Timestamp) -> object:
    """Return the meeting a consultation fed: the one reported to, else the next dated one."""
    if pd.notna(reported):
        return int(reported)
    later = dated.loc[dated["start"] > when, "meeting"] if pd.notna(when) else dated.iloc[:0]
    return int(later.iloc[0]) if len(later) else pd.NA


def find_meeting_consultation(consultations: pd.DataFrame, meeting: int) -> pd.DataFrame:
    """Return the consultation(s) reported to a meeting (the one it discussed), maybe none.

    Rows of ``consultations`` whose ``reported_to_meeting`` is ``meeting``, with columns
    consultation_id, topic, online_period_text, physical_meeting_date, questions,
    responses_total, summary_symbol, compilation_symbol.
    """
    columns = [
        "consultation_id",
        "topic",
        "online_period_text",
        "physical_meeting_date",
        "questions",
        "responses_total",
        "summary_symbol",
        "compilation_symbol",
    ]
    return _finish(consultations.loc[consultations["reported_to_meeting"] == meeting, columns])


# --- one meeting ---------------------------------------------------------------------------


def select_meeting(meetings: pd.DataFrame, meeting: int) -> pd.DataFrame:
    """Return the one-row frame of a meeting, or fail naming the meetings on record.

    Raises UnknownMeetingError when ``meeting`` is not a meeting number of ``meetings``
    (e.g. a typo in the brief's parameter).
    """
    known = meetings["meeting"].dropna().astype(int)
    if isinstance(meeting, bool) or not isinstance(meeting, Integral) or meeting not in set(known):
        raise UnknownMeetingError(
            f"meetings:meeting={meeting!r}: no such meeting: {meeting!r} "
            f"(the meetings on record are {known.min()}-{known.max()})"
        )
    return _finish(meetings[meetings["meeting"] == meeting])


def list_full_reports(meetings: pd.DataFrame) -> pd.DataFrame:
    """List the meetings whose full report is in the collection (what every count rests on).

    One row per such meeting, in order. Columns: meeting, start_date, end_date, venue,
    report_symbol, report_file.
    """
    full = meetings["has_full_report"].fillna(False).astype(bool)
    columns = ["meeting", "start_date", "end_date", "venue", "report_symbol", "report_file"]
    return _finish(meetings.loc[full, columns])


def describe_report_coverage(meeting: pd.DataFrame) -> str:
    """Say in one sentence whether the collection holds the meeting's full report.

    ``meeting`` is ``select_meeting`` output.
    """
    row = meeting.iloc[0]
    if row["has_full_report"]:
        symbol = f" ({row['report_symbol']})" if pd.notna(row["report_symbol"]) else ""
        return (
            f"This brief rests on the full report of meeting {row['meeting']}{symbol}, "
            f"read from {row['report_file']}."
        )
    return (
        f"The collection holds no full report of meeting {row['meeting']}, so its documents, "
        "positions and decisions cannot be shown; what follows is what the curated meeting "
        "and consultation tables record. Add the report to data/raw/reports/ to complete it."
    )


def format_dates(start: object, end: object, text: object = None) -> object:
    """Write a meeting's dates as a reader expects: "25-26 January 2018".

    Falls back to the source's words (``text``) when no exact date is known, else null.

    Examples
    --------
    >>> format_dates(pd.Timestamp("2018-01-25"), pd.Timestamp("2018-01-26"))
    '25-26 January 2018'
    >>> format_dates(pd.NaT, pd.NaT, "February 2019")
    'February 2019'
    """
    if pd.isna(start):
        return text if pd.notna(text) else pd.NA
    if pd.isna(end) or end == start:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} - {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} - {end.day} {end:%B %Y}"


def describe_meeting(meeting: pd.DataFrame) -> pd.DataFrame:
    """Lay out what the record says about one meeting as a two-column fact table.

    ``meeting`` is ``select_meeting`` output. One row per fact (dates, venue, report,
    chair, acting chair, full report in the collection, note); unknown facts read "not
    recorded" rather than being left out, so a reader sees what is missing (an empty
    acting chair means none is recorded).
    """
    row = meeting.iloc[0]
    facts = {
        "Meeting": str(row["meeting"]),
        "Dates": format_dates(row["start_date"], row["end_date"], row["date_text"]),
        "Venue": row["venue"],
        "Report": row["report_symbol"],
        "Chair": row["chair"],
        "Acting chair": row["acting_chair"],
        "Full report in this collection": "yes" if row["has_full_report"] else "no",
        "Some facts uncertain": "yes" if row["is_uncertain"] else "no",
        "Note": row["note"],
    }
    table = pd.DataFrame({"fact": list(facts), "value": list(facts.values())})
    return _finish(table.fillna({"value": "not recorded"}))
