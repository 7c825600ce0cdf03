"""Present the figures and tables of the reports in one house style.

Every ``plot_<x>(data, *, ..., ax=None) -> Axes`` helper draws on ``ax`` (or a new figure
when ``ax`` is None), never shows or saves, titles the figure with the finding it shows and
records an alt text for it. ``alt_text(ax)`` returns that text and ``display_figure(ax)``
shows the figure in a notebook as a PNG whose output metadata carries it
(``{"image/png": {"alt": ...}}``), which the HTML template writes into the ``alt`` attribute.

``display_table(frame)`` shows a frame as an HTML table with readable column headings, every
value escaped (data strings never become markup) and a sentence instead of an empty table.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies) and are
defined once here: stances and stakeholder groups.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

from cwg_analysis.errors import CwgAnalysisError

__all__ = [
    "COLUMN_LABELS",
    "HOUSE_STYLE",
    "STAKEHOLDER_COLOURS",
    "STANCE_COLOURS",
    "alt_text",
    "display_figure",
    "display_note",
    "display_table",
    "figure_png",
    "plot_consultation_timing",
    "plot_contributions",
    "plot_cosubmission_network",
    "plot_positions",
    "plot_responses_by_group",
    "plot_timeline",
    "plot_topics_over_time",
    "title_of",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protanopia,
# deuteranopia and tritanopia, and in greyscale print by lightness.
_ORANGE, _SKY_BLUE, _GREEN, _YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
_BLUE, _VERMILLION, _PURPLE, _GREY = "#0072B2", "#D55E00", "#CC79A7", "#999999"

STANCE_COLOURS: dict[str, str] = {
    "support": _GREEN,
    "propose": _SKY_BLUE,
    "caution": _ORANGE,
    "oppose": _VERMILLION,
    "note": _GREY,
    "inform": "#C8C8C8",
    "thank": _YELLOW,
    "decide": _BLUE,
}
# Harmonised stakeholder groups (schemas.STAKEHOLDER_GROUPS): the same colour in every chart.
STAKEHOLDER_COLOURS: dict[str, str] = {
    "government": _BLUE,
    "private_sector": _VERMILLION,
    "technical_community": "#000000",
    "civil_society": _PURPLE,
    "academia": _SKY_BLUE,
    "intergovernmental": _YELLOW,
    "individual": _GREY,
    "private_sector_and_technical_community": _ORANGE,
    "civil_society_and_technical_community": _GREEN,
}
_CYCLE = [_BLUE, _ORANGE, _GREEN, _PURPLE, _SKY_BLUE, _VERMILLION, _YELLOW, _GREY]

HOUSE_STYLE: dict[str, Any] = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
}
_PNG_DPI = 150  # sharp on screen and in print; shown at 100 dpi size
_PNG_COMPRESSION = 3  # zlib level: a third less time than the default 6, files 3% larger
_TITLE_WIDTH = 72  # characters per title line at the default figure width

_ALT_TEXTS: weakref.WeakKeyDictionary[Axes, str] = weakref.WeakKeyDictionary()


@contextmanager
def _house_style() -> Iterator[None]:
    """Apply the house style while a helper draws (leaves global settings untouched)."""
    with mpl.rc_context({**HOUSE_STYLE, "axes.prop_cycle": cycler(color=_CYCLE)}):
        yield


def _axes(ax: Axes | None, *, height: float | None = None) -> Axes:
    """Return ``ax``, or the axes of a new house-style figure (taller when ``height`` says)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    width, default_height = HOUSE_STYLE["figure.figsize"]
    _, new_ax = plt.subplots(figsize=(width, height or default_height), layout="constrained")
    return new_ax


def _wrap(text: str, width: int) -> str:
    """Wrap a title to lines of ``width`` characters, never inside a document symbol."""
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False)


def _finish_axes(ax: Axes, title: str, alt: str) -> Axes:
    """Title the figure with its finding and record the axes' alt text.

    A figure of one axes gets the title across its full width (wrapped), left-aligned above
    the tick labels; an axes drawn into a larger figure gets its own title.
    """
    if len(ax.figure.axes) == 1:
        ax.figure.suptitle(
            _wrap(title, _TITLE_WIDTH),
            x=0.01,
            ha="left",
            fontsize=HOUSE_STYLE["axes.titlesize"],
            fontweight="bold",
        )
    else:
        ax.set_title(_wrap(title, _TITLE_WIDTH * 2 // 3), loc="left")
    _ALT_TEXTS[ax] = alt
    return ax


def title_of(ax: Axes) -> str:
    """Return the finding a helper wrote as the title of ``ax`` (on one line)."""
    own = ax.get_title(loc="left")
    text = own or (ax.figure.get_suptitle() if len(ax.figure.axes) == 1 else "")
    return " ".join(text.split())


def _legend_on_top(ax: Axes, *, ncol: int, **kwargs: Any) -> None:
    """Put the legend in a row between the title and the plot, where it hides no data."""
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=ncol, fontsize=9, **kwargs)


def alt_text(ax: Axes | Figure) -> str:
    """Return the alt text recorded for an axes, or for every axes of a figure in order.

    Raises CwgAnalysisError when no helper of this module drew the figure, so that no
    figure reaches a report without a text alternative.
    """
    axes = ax.axes if isinstance(ax, Figure) else [ax]
    texts = [_ALT_TEXTS[one] for one in axes if one in _ALT_TEXTS]
    if not texts:
        raise CwgAnalysisError(
            "figure: no alt text recorded: draw it with a cwg_analysis.plotting helper"
        )
    return " ".join(texts)


def display_figure(ax: Axes | Figure) -> None:
    """Show a figure in the notebook as a PNG carrying its alt text, then close it.

    The output is ``image/png`` with metadata ``{"image/png": {"alt": ..., "width": ...}}``
    and the alt text as its ``text/plain`` fallback.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    figure = ax if isinstance(ax, Figure) else ax.figure
    description = alt_text(figure)
    png = figure_png(figure)
    plt.close(figure)
    width = round(figure.get_figwidth() * HOUSE_STYLE["figure.dpi"])
    display(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": description},
        raw=True,
        metadata={"image/png": {"alt": description, "width": width}},
    )


def figure_png(figure: Figure) -> bytes:
    """Return the figure as a PNG at ``_PNG_DPI``: the pixels ``savefig`` would write.

    Cheaper than ``savefig``: the figure is drawn once (``savefig`` lays out a figure with a
    layout engine in an extra draw first), and an opaque figure is stored without its alpha
    channel, which makes the file smaller and faster to compress.
    """
    canvas = FigureCanvasAgg(figure)
    shown_dpi = figure.dpi
    figure.dpi = _PNG_DPI
    try:
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        image = Image.fromarray(pixels[..., :3] if (pixels[..., 3] == 255).all() else pixels)
    finally:
        figure.dpi = shown_dpi
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(_PNG_DPI, _PNG_DPI), compress_level=_PNG_COMPRESSION)
    return buffer.getvalue()


# Column headings of the tables shown in the reports; other columns are humanised.
COLUMN_LABELS: dict[str, str] = {
    "doc_symbol": "document",
    "doc_symbols": "documents",
    "doc_type": "type",
    "country_code": "country code",
    "country_codes": "country codes",
    "itu_region": "ITU region",
    "para_id": "paragraph",
    "para_ids": "paragraphs",
    "target_symbol": "document discussed",
    "actor_kind": "speaker kind",
    "actor_label": "speaker",
    "is_other_group": "other set of states",
    "is_contested": "contested",
    "consultation_id": "consultation",
    "has_full_report": "full report here",
    "has_breakdown": "breakdown by group",
    "is_uncertain": "uncertain",
    "is_approximate": "approximate",
    "is_taken_up": "taken up",
    "topic_ids": "topics",
    "is_days_open_approximate": "approximate",
    "source_label": "label in the source",
}


def _heading(column: str) -> str:
    """Return the heading of a column: its label, else its name as words."""
    return COLUMN_LABELS.get(column, column.replace("_", " "))


def display_note(text: str) -> None:
    """Show a sentence in the notebook as an escaped HTML paragraph."""
    from IPython.display import HTML, display

    display(HTML(f"<p>{html.escape(text)}</p>"))


def display_table(
    frame: pd.DataFrame, *, empty: str = "No rows.", caption: str | None = None
) -> None:
    """Show a frame in the notebook as an escaped HTML table (or ``empty`` when it has no rows).

    Headings come from ``COLUMN_LABELS``; booleans read "yes"/"no", dates "25 January 2018",
    a ``share`` column percentages, vocabulary values words ("member states"), nulls "–".
    Every value, heading and the caption is HTML-escaped, so a data string can never become
    markup in a report.
    """
    from IPython.display import HTML, display

    if frame.empty:
        display_note(empty)
        return
    table = _readable(frame).to_html(index=False, escape=True, border=0, classes="cwg-table")
    if caption:
        table = table.replace(">", f"><caption>{html.escape(caption)}</caption>", 1)
    display(HTML(table))


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame as text a reader expects, with readable headings."""
    shown = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            text = column.astype("string").str.replace("_", " ")
        elif pd.api.types.is_bool_dtype(column.dtype):
            text = column.map({True: "yes", False: "no"})
        elif pd.api.types.is_datetime64_any_dtype(column.dtype):
            text = column.dt.strftime("%d %B %Y").str.lstrip("0")
        elif name == "share":
            text = column.map(lambda value: f"{value:.0%}", na_action="ignore")
        else:
            text = column.astype(object)
        shown[_heading(str(name))] = text.astype(object).where(column.notna(), "–")
    return pd.DataFrame(shown)


def _numbers(frame: pd.DataFrame) -> str:
    """Return the meeting numbers of a frame as "2, 3, 11"."""
    return ", ".join(str(number) for number in frame["meeting"])


def _counted(n: int, noun: str, plural: str | None = None) -> str:
    """Return "1 contribution" / "3 contributions"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# --- participation -------------------------------------------------------------------------


def plot_contributions(
    contributions: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw each state's contributions as bars split into sole and joint submissions.

    ``contributions`` is ``analysis.count_contributions`` output (country_name is used for
    the labels when present).
    """
    table = contributions.iloc[::-1]
    labels = (
        table["country_name"].fillna(table["country_code"])
        if "country_name" in table
        else table["country_code"]
    ).astype(str)
    with _house_style():
        ax = _axes(ax, height=1.2 + 0.35 * len(table))
        sole = table["sole_contributions"].to_numpy(dtype=int)
        joint = table["joint_contributions"].to_numpy(dtype=int)
        ax.barh(labels, sole, color=_BLUE, label="alone")
        ax.barh(labels, joint, left=sole, color=_ORANGE, label="jointly", hatch="//")
        ax.set_xlabel("contributions")
        ax.xaxis.get_major_locator().set_params(integer=True)
        _legend_on_top(ax, ncol=2)
        only_joint = int(
            ((table["sole_contributions"] == 0) & (table["joint_contributions"] > 0)).sum()
        )
        top = contributions.iloc[0]
        top_label = labels.iloc[-1]
        finding = (
            f"{top_label} brought the most contributions ({top['contributions']}); "
            f"{only_joint} of {_counted(len(table), 'state')} submitted only jointly"
        )
        lines = [
            f"{label}: {int(s + j)} ({int(s)} alone, {int(j)} jointly)"
            for label, s, j in zip(labels[::-1], sole[::-1], joint[::-1], strict=True)
        ]
        alt = (
            f"Horizontal bar chart of contributions by state. {finding}. " + "; ".join(lines) + "."
        )
        return _finish_axes(ax, title or finding, alt)


def plot_cosubmission_network(
    graph: Any,
    *,
    countries: pd.DataFrame | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the co-submission network: node size is contributions, edge width joint ones.

    ``graph`` is ``analysis.build_cosubmission_graph`` output; with ``countries``
    (``load_countries``) the alt text names the states (the nodes show ISO codes). Each
    bloc is drawn as a ring, states that submitted alone as a column beside them, so the
    layout is the same on every render.
    """
    import networkx as nx

    names = {} if countries is None else countries.set_index("country_code")["name"].to_dict()
    labels = {node: node for node in graph.nodes}
    described = {node: f"{names.get(node, node)} ({node})" for node in graph.nodes}
    blocs = sorted(
        (sorted(c) for c in nx.connected_components(graph) if len(c) > 1),
        key=lambda bloc: (-len(bloc), bloc),
    )
    alone = sorted(node for node in graph.nodes if graph.degree(node) == 0)
    with _house_style():
        ax = _axes(ax, height=5.0)
        layout: dict[str, tuple[float, float]] = {}
        for offset, bloc in enumerate(blocs):
            ring = nx.circular_layout(graph.subgraph(bloc), center=(2.6 * offset, 0.0))
            layout.update({node: tuple(xy) for node, xy in ring.items()})
        column = 2.6 * len(blocs) - (0.6 if blocs else 0.0)
        step = 2.0 / max(len(alone) - 1, 1)
        layout.update({node: (column, 1.0 - step * i) for i, node in enumerate(alone)})
        sizes = [300 + 250 * graph.nodes[node]["contributions"] for node in graph.nodes]
        colours = [_ORANGE if graph.degree(node) else _SKY_BLUE for node in graph.nodes]
        widths = [1.5 * weight for *_, weight in graph.edges(data="weight")]
        nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color=_GREY)
        nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=sizes, node_color=colours)
        nx.draw_networkx_labels(graph, layout, ax=ax, labels=labels, font_size=9)
        ax.set_axis_off()
        ax.margins(0.15)
        _legend_on_top(
            ax,
            ncol=3,
            handles=[
                Line2D([], [], marker="o", color=_ORANGE, linestyle="", markersize=10),
                Line2D([], [], marker="o", color=_SKY_BLUE, linestyle="", markersize=10),
                Line2D([], [], color=_GREY, linewidth=3),
            ],
            labels=[
                "submitted with others",
                "submitted alone",
                "joint contribution (thicker: more)",
            ],
        )
        together = "; ".join(", ".join(described[n] for n in bloc) for bloc in blocs)
        finding = (
            f"{_counted(sum(map(len, blocs)), 'state')} submitted contributions together "
            f"({_counted(len(blocs), 'bloc')}); {_counted(len(alone), 'state')} submitted alone"
        )
        alt = (
            f"Network diagram of co-submissions. {finding}. "
            f"Together: {together or 'none'}. Alone: "
            f"{', '.join(described[n] for n in alone) or 'none'}."
        )
        return _finish_axes(ax, title or finding, alt)


# --- trends and consultations --------------------------------------------------------------


def plot_timeline(
    timeline: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw meetings and consultations on a time axis, marking meetings with a full report.

    ``timeline`` is ``analysis.build_timeline`` output. Meetings are dots on the top lane
    (a filled star for a meeting whose full report is in the collection, a hollow dot for
    an approximate date), online consultations bars on the lower lane (hatched when their
    dates are approximate) and physical consultation meetings diamonds. Undated events are
    listed in the alt text.
    """
    dated = timeline[timeline["start_date"].notna() | timeline["end_date"].notna()]
    meetings = dated[dated["event_kind"] == "meeting"]
    online = dated[dated["event_kind"] == "online_consultation"]
    physical = dated[dated["event_kind"] == "physical_consultation"]
    full = meetings[meetings["has_full_report"].fillna(False).astype(bool)]
    approximate = meetings["is_approximate"].fillna(False).astype(bool)
    with _house_style():
        ax = _axes(ax, height=3.8)
        exact = meetings[~approximate & ~meetings.index.isin(full.index)]
        ax.scatter(exact["start_date"], [1.0] * len(exact), s=60, color=_BLUE, zorder=3)
        rough = meetings[approximate]
        middle = rough["start_date"] + (rough["end_date"] - rough["start_date"]) / 2
        ax.scatter(middle, [1.0] * len(rough), s=60, facecolors="white", edgecolors=_BLUE, zorder=3)
        ax.scatter(
            full["start_date"], [1.0] * len(full), s=260, marker="*", color=_VERMILLION, zorder=4
        )
        for _, row in meetings.iterrows():
            when = row["start_date"] if pd.notna(row["start_date"]) else row["end_date"]
            ax.annotate(
                str(row["meeting"]),
                (mdates.date2num(when), 1.0),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=8,
            )
        for _, row in online.iterrows():
            if pd.notna(row["start_date"]) and pd.notna(row["end_date"]):
                start = mdates.date2num(row["start_date"])
                width = mdates.date2num(row["end_date"]) - start
                ax.barh(
                    0.0,
                    width,
                    left=start,
                    height=0.35,
                    color=_SKY_BLUE,
                    hatch="//" if row["is_approximate"] else None,
                    edgecolor="white",
                )
            else:
                ax.scatter(row["end_date"], 0.0, marker="|", s=300, color=_SKY_BLUE, linewidths=2)
        ax.scatter(
            physical["start_date"], [0.0] * len(physical), marker="D", s=40, color=_ORANGE, zorder=3
        )
        ax.set_yticks([0.0, 1.0], ["Consultations", "Meetings"])
        ax.set_ylim(-0.6, 1.6)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.tick_params(axis="x", labelrotation=0)
        ax.spines["left"].set_visible(False)
        ax.legend(
            handles=[
                Line2D(
                    [],
                    [],
                    marker="*",
                    color=_VERMILLION,
                    linestyle="",
                    markersize=12,
                    label="meeting with full report",
                ),
                Line2D([], [], marker="o", color=_BLUE, linestyle="", label="meeting"),
                Line2D(
                    [],
                    [],
                    marker="o",
                    markerfacecolor="white",
                    color=_BLUE,
                    linestyle="",
                    label="meeting, month only",
                ),
                Patch(facecolor=_SKY_BLUE, label="online consultation"),
                Patch(
                    facecolor=_SKY_BLUE, hatch="//", edgecolor="white", label="approximate period"
                ),
                Line2D(
                    [],
                    [],
                    marker="D",
                    color=_ORANGE,
                    linestyle="",
                    label="physical consultation meeting",
                ),
                Line2D(
                    [],
                    [],
                    marker="|",
                    color=_SKY_BLUE,
                    linestyle="",
                    markersize=12,
                    markeredgewidth=2,
                    label="consultation, closing date only",
                ),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=3,
            fontsize=9,
        )
        all_meetings = timeline[timeline["event_kind"] == "meeting"]
        undated = all_meetings[all_meetings["start_date"].isna() & all_meetings["end_date"].isna()]
        consultations = timeline[timeline["event_kind"] == "online_consultation"]
        finding = (
            f"{_counted(len(all_meetings), 'meeting')} and "
            f"{_counted(len(consultations), 'consultation')} are on record; "
            f"only meeting {_numbers(full) or 'none'} has a full report here"
        )
        alt = (
            f"Timeline from {dated['start_date'].min():%Y} to {dated['end_date'].max():%Y}. "
            f"{finding}. Meetings with exact dates: "
            f"{_numbers(meetings[~approximate].sort_values('meeting')) or 'none'}; "
            f"known only to the month: {_numbers(rough.sort_values('meeting')) or 'none'}; "
            f"without a known date (not drawn): {_numbers(undated) or 'none'}. "
            f"{_counted(len(online), 'online consultation')} and "
            f"{_counted(len(physical), 'physical consultation meeting')} are drawn."
        )
        return _finish_axes(ax, title or finding, alt)


def _text_colour(background: str) -> str:
    """Return black or white, whichever reads better on the background colour."""
    red, green, blue = mpl.colors.to_rgb(background)
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.4 else "white"


def _humanise(name: str) -> str:
    """Return a vocabulary value as words: "civil_society_and_technical_community" -> text."""
    return name.replace("_", " ").capitalize()


def plot_responses_by_group(
    responses: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw each consultation's responses as one bar stacked by stakeholder group.

    ``responses`` is ``analysis.count_responses_by_group`` output. Groups the source counted
    together (e.g. "civil society and technical community") keep their own hatched segment:
    they are never split.
    """
    totals = responses.groupby("stakeholder_group", observed=True)["responses"].sum()
    groups = sorted(totals.index, key=lambda group: (group != "government", -totals[group], group))
    colours = {group: STAKEHOLDER_COLOURS.get(group, _GREY) for group in groups}
    order = list(dict.fromkeys(responses["consultation_id"]))
    topics = responses.drop_duplicates("consultation_id").set_index("consultation_id")["topic"]
    labels = [_consultation_label(topics[c], c) for c in order]
    row = {consultation: i for i, consultation in enumerate(order)}
    with _house_style():
        ax = _axes(ax, height=1.8 + 0.9 * len(order))
        left = dict.fromkeys(order, 0)
        for group in groups:
            part = responses[responses["stakeholder_group"] == group]
            ax.barh(
                [row[c] for c in part["consultation_id"]],
                part["responses"].astype(int),
                left=[left[c] for c in part["consultation_id"]],
                color=colours[group],
                hatch="//" if "_and_" in group else None,
                edgecolor="white",
                label=_humanise(group),
            )
            for consultation, n in zip(part["consultation_id"], part["responses"], strict=True):
                if n >= 3:
                    ax.text(
                        left[consultation] + n / 2,
                        row[consultation],
                        str(n),
                        ha="center",
                        va="center",
                        fontsize=10,
                        color=_text_colour(colours[group]),
                        fontweight="bold",
                    )
                left[consultation] += int(n)
        ax.set_yticks(range(len(order)), labels)
        ax.invert_yaxis()
        ax.set_xlabel("responses")
        _legend_on_top(ax, ncol=2)
        leaders = responses.loc[
            responses.groupby("consultation_id", sort=False)["responses"].idxmax()
        ]
        others = leaders[leaders["stakeholder_group"] != "government"]
        finding = (
            f"Governments sent the most responses in {len(leaders) - len(others)} of "
            f"{_counted(len(order), 'consultation')} with a breakdown"
        ) + "".join(
            f"; in {row.consultation_id} the largest group was "
            f"{_humanise(row.stakeholder_group).lower()}"
            + (" (counted together)" if "_and_" in row.stakeholder_group else "")
            for row in others.itertuples()
        )
        lines = [
            f"{consultation} ({topics[consultation]}): "
            + ", ".join(
                f"{row.source_label} {row.responses}"
                for row in responses[responses["consultation_id"] == consultation].itertuples()
            )
            for consultation in order
        ]
        alt = (
            f"Stacked bar chart of responses by stakeholder group. {finding}. "
            + "; ".join(lines)
            + "."
        )
        return _finish_axes(ax, title or finding, alt)


def plot_consultation_timing(
    summary: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw how long each consultation was open and how soon the physical meeting followed.

    ``summary`` is ``analysis.summarise_consultations`` output; consultations with neither
    measure are left out (and named in the alt text). Approximate durations are hatched.
    """
    known = summary[summary["days_open"].notna() | summary["days_to_physical_meeting"].notna()]
    known = known.reset_index(drop=True)
    left_out = summary.loc[
        summary["days_open"].isna() & summary["days_to_physical_meeting"].isna(),
        "consultation_id",
    ]
    labels = [
        _consultation_label(topic, consultation)
        for topic, consultation in zip(known["topic"], known["consultation_id"], strict=True)
    ]
    with _house_style():
        ax = _axes(ax, height=1.8 + 0.7 * len(known))
        rows = pd.Series(range(len(known)))
        open_days = known["days_open"].fillna(0).astype(int)
        rough = known["is_days_open_approximate"].fillna(False).astype(bool)
        ax.barh(rows[~rough], open_days[~rough], color=_SKY_BLUE, label="online, days open")
        ax.barh(
            rows[rough],
            open_days[rough],
            color=_SKY_BLUE,
            hatch="//",
            edgecolor="white",
            label="online, approximate",
        )
        gap = known["days_to_physical_meeting"].fillna(0).astype(int)
        ax.barh(rows, gap, left=open_days, color=_ORANGE, label="closing to physical meeting")
        ax.set_yticks(list(rows), labels)
        ax.invert_yaxis()
        ax.set_xlabel("days")
        _legend_on_top(ax, ncol=2)
        gaps = known["days_to_physical_meeting"].dropna().astype(int)
        finding = (
            f"The physical meeting followed the closing date by {gaps.min()}-{gaps.max()} days "
            f"(median {int(gaps.median())})"
            if len(gaps)
            else "No consultation has both a closing date and a physical meeting date"
        )
        lines = [
            f"{row.consultation_id}: open "
            + _days(row.days_open, approximate=bool(row.is_days_open_approximate))
            + ", then "
            + _days(row.days_to_physical_meeting)
            + " to the physical meeting"
            for row in known.itertuples()
        ]
        alt = (
            f"Bar chart of consultation timing. {finding}. "
            + "; ".join(lines)
            + f". Not drawn (no dates known): {', '.join(left_out) or 'none'}."
        )
        return _finish_axes(ax, title or finding, alt)


def _consultation_label(topic: object, consultation_id: str) -> str:
    """Return a two- or three-line axis label: the topic (shortened) and the identifier."""
    words = "topic not recorded" if pd.isna(topic) else textwrap.shorten(str(topic), 50)
    return f"{textwrap.fill(words, 30)}\n({consultation_id})"


def _days(value: object, *, approximate: bool = False) -> str:
    """Return "about 88 days", "31 days" or "unknown"."""
    if pd.isna(value):
        return "unknown"
    return f"{'about ' if approximate else ''}{value} days"


def plot_topics_over_time(
    topic_counts: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw which topics came up in which year: consultations as circles, documents squares.

    ``topic_counts`` is ``analysis.count_topics_over_time`` output. Rows are topics (the
    Resolution 1305 issues first, labelled with their item number), columns years; marker
    size grows with the number of items.
    """
    order = list(dict.fromkeys(topic_counts["topic_id"]))
    about = topic_counts.drop_duplicates("topic_id").set_index("topic_id")
    labels = [
        textwrap.fill(textwrap.shorten(str(about.loc[t, "label"]), 60), 36)
        + (f" ({about.loc[t, 'res1305_item']})" if pd.notna(about.loc[t, "res1305_item"]) else "")
        for t in order
    ]
    row = {topic: i for i, topic in enumerate(order)}
    with _house_style():
        ax = _axes(ax, height=1.8 + 0.45 * max(len(order), 1))
        for source, marker, colour, shift in (
            ("consultation", "o", _BLUE, -0.15),
            ("document", "s", _ORANGE, 0.15),
        ):
            part = topic_counts[topic_counts["source"] == source]
            ax.scatter(
                part["year"].astype(float) + shift,
                [row[t] for t in part["topic_id"]],
                s=40 + 35 * part["items"].astype(float),
                marker=marker,
                color=colour,
                label=f"{source}s on the topic",
                zorder=3,
            )
        ax.set_yticks(range(len(order)), labels, fontsize=9, linespacing=0.95)
        issues_drawn = int(about.loc[order, "res1305_item"].notna().sum())
        if 0 < issues_drawn < len(order):
            ax.axhline(issues_drawn - 0.5, color=_GREY, linestyle="--", linewidth=1)
            ax.text(
                1.0,
                issues_drawn - 0.5,
                "Res. 1305 issues above, later topics below ",
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="bottom",
                fontsize=8,
                color="#555555",
            )
        ax.invert_yaxis()
        years = topic_counts["year"].dropna().astype(int)
        if len(years):
            ax.set_xticks(range(years.min(), years.max() + 1))
            ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
        ax.tick_params(axis="x", labelrotation=45)
        ax.grid(axis="y", color="#e5e5e5", zorder=0)
        _legend_on_top(ax, ncol=2)
        consulted = topic_counts[topic_counts["source"] == "consultation"]
        issues = consulted.loc[consulted["origin"] == "res1305", "topic_id"].nunique()
        discussed = topic_counts.loc[topic_counts["source"] == "document", "topic_id"].nunique()
        finding = (
            f"Consultations touched {_counted(consulted['topic_id'].nunique(), 'topic')}, "
            f"{issues} of them Resolution 1305 issues; the documents of the full reports "
            f"touch {_counted(discussed, 'topic')}"
        )
        counts: dict[str, list[str]] = {}
        for r in topic_counts.itertuples():
            counts.setdefault(r.topic_id, []).append(
                f"{r.year} {r.items} {r.source}{'s' if r.items != 1 else ''}"
            )
        lines = [
            f"{label}: " + ", ".join(counts[topic])
            for topic, label in zip(order, labels, strict=True)
        ]
        alt = f"Dot chart of topics by year. {finding}. " + "; ".join(lines) + "."
        return _finish_axes(ax, title or finding, alt)


# --- positions -----------------------------------------------------------------------------


def plot_positions(
    positions: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw a diverging bar chart of positions: for to the right, against to the left.

    ``positions`` is ``analysis.tabulate_positions`` output. Support and proposals extend
    right of zero, caution and opposition left; contested documents are named in bold with a
    shaded band. Counts are statements, not states: the reports rarely say how many spoke.
    """
    table = positions.iloc[::-1].reset_index(drop=True)
    missing = pd.Series(pd.NA, index=table.index, dtype="string")
    about = table.get("title", missing).fillna("from " + table.get("submitted_by", missing))
    labels = [
        symbol if pd.isna(name) else f"{symbol}\n{textwrap.shorten(str(name), 34)}"
        for symbol, name in zip(table["target_symbol"], about, strict=True)
    ]
    contested = table["is_contested"].fillna(False).astype(bool)
    with _house_style():
        ax = _axes(ax, height=1.6 + 0.62 * max(len(table), 1))
        rows = range(len(table))
        for row in rows:
            if contested[row]:
                ax.axhspan(row - 0.45, row + 0.45, color=_YELLOW, alpha=0.25, linewidth=0)
        right = pd.Series(0, index=table.index)
        for stance in ("support", "propose"):
            counts = table[stance].fillna(0).astype(int)
            ax.barh(rows, counts, left=right, color=STANCE_COLOURS[stance], label=stance)
            right += counts
        left = pd.Series(0, index=table.index)
        for stance in ("caution", "oppose"):
            counts = table[stance].fillna(0).astype(int)
            ax.barh(rows, -counts, left=-left, color=STANCE_COLOURS[stance], label=stance)
            left += counts
        for row in rows:
            if right[row] + left[row] == 0:
                notes = int(table["note"].fillna(0).iloc[row]) if "note" in table else 0
                remark = f"no position taken ({_counted(notes, 'remark')})" if notes else ""
                ax.text(
                    0.1,
                    row,
                    remark or "no position taken",
                    va="center",
                    fontsize=9,
                    color="#555555",
                )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(list(rows), labels)
        for tick, is_contested in zip(ax.get_yticklabels(), contested, strict=True):
            tick.set_fontweight("bold" if is_contested else "normal")
        reach = max(int(right.max()) if len(table) else 1, int(left.max()) if len(table) else 1, 1)
        ax.set_xlim(-reach - 0.5, reach + 0.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda x, _: f"{abs(int(x))}"))
        ax.set_xlabel("statements: caution / oppose  ◀  0  ▶  support / propose")
        handles, names = ax.get_legend_handles_labels()
        handles.append(Patch(facecolor=_YELLOW, alpha=0.25, label="contested"))
        _legend_on_top(ax, ncol=5, handles=handles, labels=[*names, "contested"], columnspacing=1.0)
        if table.empty:
            ax.text(0.5, 0.5, "No positions recorded", transform=ax.transAxes, ha="center")
        named = positions.loc[positions["is_contested"].fillna(False).astype(bool), "target_symbol"]
        finding = (
            f"{len(named)} of {_counted(len(positions), 'document')} discussed drew support or "
            f"proposals from some states and caution or opposition from others"
            + (f": {', '.join(named)}" if len(named) else "")
            if len(positions)
            else "No position on a document is recorded"
        )
        lines = [
            f"{row.target_symbol}{' (contested)' if row.is_contested else ''}: "
            f"support {row.support}, propose {row.propose}, caution {row.caution}, "
            f"oppose {row.oppose}"
            for row in positions.itertuples()
        ]
        alt = (
            f"Diverging bar chart of statements by stance per document. {finding}. "
            + "; ".join(lines)
            + "."
        )
        return _finish_axes(ax, title or finding, alt)
