"""The plot helpers draw in one house style, title each figure with its finding, carry alt text,
and the display helpers show figures and tables safely in a notebook."""

from __future__ import annotations

import base64
import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from matplotlib.figure import Figure
from PIL import Image

from cwg_analysis import plotting
from cwg_analysis.errors import CwgAnalysisError

OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def shell() -> InteractiveShell:
    """An IPython shell, so that display() publishes rich outputs that can be captured."""
    return InteractiveShell.instance()


def _positions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_symbol": ["CWG-Internet-11/6", "CWG-Internet-11/8", "CWG-Internet-11/3"],
            "title": [None, "Bridging the Digital Gender Divide", "Proposals on OTTs"],
            "submitted_by": ["India", "Brazil", "Russian Federation, Armenia"],
            "support": [4, 1, 0],
            "propose": [0, 0, 0],
            "caution": [1, 0, 0],
            "oppose": [1, 0, 0],
            "note": [1, 1, 2],
            "is_contested": [True, False, False],
        }
    ).astype({"title": "string", "is_contested": "boolean"})


def test_stance_colours_are_defined_once_distinct_and_colour_blind_safe():
    positional = [plotting.STANCE_COLOURS[s] for s in ("support", "propose", "caution", "oppose")]
    assert len(set(positional)) == 4
    assert set(positional) <= OKABE_ITO
    assert set(plotting.STAKEHOLDER_COLOURS.values()) <= OKABE_ITO | {"#000000"}


def test_the_positions_chart_titles_its_finding_and_describes_every_bar():
    ax = plotting.plot_positions(_positions())
    title = plotting.title_of(ax)
    assert title.startswith("1 of 3 documents discussed drew support or proposals")
    assert title.endswith(": CWG-Internet-11/6")
    alt = plotting.alt_text(ax)
    assert "CWG-Internet-11/6 (contested): support 4, propose 0, caution 1, oppose 1" in alt
    assert "CWG-Internet-11/3: support 0" in alt
    bars = [bar for container in ax.containers for bar in container if bar.get_width() != 0]
    assert sorted(round(bar.get_width()) for bar in bars) == [-1, -1, 1, 4]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[-1] == "CWG-Internet-11/6\nfrom India"
    assert [tick.get_fontweight() for tick in ax.get_yticklabels()][-1] == "bold"


def test_an_empty_positions_table_draws_a_chart_that_says_so():
    ax = plotting.plot_positions(_positions().iloc[:0])
    assert plotting.title_of(ax) == "No position on a document is recorded"


def test_a_helper_draws_into_a_given_axes_without_making_a_figure():
    figure, (_, right) = plt.subplots(1, 2)
    before = plt.get_fignums()
    returned = plotting.plot_positions(_positions(), ax=right)
    assert returned is right and plt.get_fignums() == before
    assert right.get_title(loc="left").startswith("1 of 3 documents")
    assert figure.get_suptitle() == ""
    assert plotting.alt_text(figure) == plotting.alt_text(right)


def test_the_house_style_does_not_leak_into_global_settings():
    size = plt.rcParams["font.size"]
    plotting.plot_positions(_positions())
    assert plt.rcParams["font.size"] == size


def test_contributions_chart_names_the_top_state_and_the_joint_only_ones():
    contributions = pd.DataFrame(
        {
            "country_code": ["RUS", "ARM", "USA"],
            "country_name": ["Russian Federation", "Armenia", "United States"],
            "contributions": [3, 2, 1],
            "sole_contributions": [1, 0, 1],
            "joint_contributions": [2, 2, 0],
        }
    )
    ax = plotting.plot_contributions(contributions)
    assert plotting.title_of(ax) == (
        "Russian Federation brought the most contributions (3); 1 of 3 states submitted only "
        "jointly"
    )
    assert "Armenia: 2 (0 alone, 2 jointly)" in plotting.alt_text(ax)


def test_network_chart_counts_blocs_and_lone_submitters_and_names_them_in_alt_text():
    graph = nx.Graph()
    graph.add_node("BRA", contributions=1)
    for code in ("ARM", "RUS"):
        graph.add_node(code, contributions=2)
    graph.add_edge("ARM", "RUS", weight=2, doc_symbols=["X/3", "X/4"])
    countries = pd.DataFrame(
        {"country_code": ["ARM", "BRA", "RUS"], "name": ["Armenia", "Brazil", "Russia"]}
    )
    ax = plotting.plot_cosubmission_network(graph, countries=countries)
    assert plotting.title_of(ax) == (
        "2 states submitted contributions together (1 bloc); 1 state submitted alone"
    )
    assert "Together: Armenia (ARM), Russia (RUS). Alone: Brazil (BRA)." in plotting.alt_text(ax)


def test_timeline_chart_states_coverage_and_lists_undated_meetings():
    timeline = pd.DataFrame(
        {
            "event_kind": ["meeting", "meeting", "online_consultation", "meeting"],
            "label": ["Meeting 10", "Meeting 11", "Gender", "Meeting 1"],
            "meeting": pd.array([10, 11, None, 1], dtype="Int64"),
            "consultation_id": [None, None, "2017-10", None],
            "start_date": pd.to_datetime(["2017-09-20", "2018-01-25", "2017-10-01", None]),
            "end_date": pd.to_datetime(["2017-09-22", "2018-01-26", "2017-12-23", None]),
            "is_approximate": [False, False, True, False],
            "has_full_report": pd.array([False, True, None, False], dtype="boolean"),
        }
    )
    ax = plotting.plot_timeline(timeline)
    assert plotting.title_of(ax) == (
        "3 meetings and 1 consultation are on record; only meeting 11 has a full report here"
    )
    assert "without a known date (not drawn): 1." in plotting.alt_text(ax)


def test_responses_chart_keeps_combined_groups_whole_and_says_who_led():
    responses = pd.DataFrame(
        {
            "consultation_id": ["2017-10"] * 3,
            "topic": ["Bridging the digital gender divide"] * 3,
            "stakeholder_group": [
                "civil_society_and_technical_community",
                "government",
                "private_sector",
            ],
            "source_label": ["Civil Society and Technical Community", "Government", "Private"],
            "responses": [22, 21, 7],
        }
    )
    ax = plotting.plot_responses_by_group(responses)
    assert plotting.title_of(ax) == (
        "Governments sent the most responses in 0 of 1 consultation with a breakdown; in "
        "2017-10 the largest group was civil society and technical community (counted together)"
    )
    hatched = {
        bar.get_hatch() for container in ax.containers for bar in container if bar.get_width() == 22
    }
    assert hatched == {"//"}
    assert "Civil Society and Technical Community 22" in plotting.alt_text(ax)


def test_every_figure_must_carry_alt_text():
    figure, ax = plt.subplots()
    ax.plot([1, 2])
    with pytest.raises(CwgAnalysisError, match="figure: no alt text recorded"):
        plotting.alt_text(figure)


def test_display_figure_publishes_a_png_with_its_alt_text_and_closes_the_figure(shell):
    ax = plotting.plot_positions(_positions())
    number = ax.figure.number
    with capture_output() as captured:
        plotting.display_figure(ax)
    (output,) = captured.outputs
    assert output.metadata["image/png"]["alt"] == output.data["text/plain"]
    assert output.data["text/plain"].startswith("Diverging bar chart")
    assert output.metadata["image/png"]["width"] == 800
    assert base64.b64decode(output.data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert number not in plt.get_fignums()


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _savefig_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


# A figure is drawn once: a second draw may lay it out slightly differently, so every
# comparison below draws two figures made the same way.


def test_figure_png_has_the_pixels_savefig_writes_without_the_alpha_of_an_opaque_figure():
    figure = plotting.plot_positions(_positions()).figure
    png = plotting.figure_png(figure)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB"
    assert image.size == (1200, round(figure.get_figheight() * 150))
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored per metre
    assert figure.dpi == 100
    expected = _savefig_png(plotting.plot_positions(_positions()).figure)
    assert np.array_equal(_pixels(png), _pixels(expected))


def test_figure_png_keeps_the_transparency_of_a_see_through_figure():
    figures = [plotting.plot_positions(_positions()).figure for _ in range(2)]
    for figure in figures:
        figure.patch.set_alpha(0.0)
    png = plotting.figure_png(figures[0])
    assert Image.open(io.BytesIO(png)).mode == "RGBA"
    pixels = _pixels(png)
    assert pixels[..., 3].min() == 0
    assert np.array_equal(pixels, _pixels(_savefig_png(figures[1])))


def test_importing_the_plot_helpers_leaves_networkx_to_the_network_chart():
    code = "import sys, cwg_analysis.plotting; print('networkx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_display_table_escapes_data_and_reads_as_words(shell):
    frame = pd.DataFrame(
        {
            "doc_symbol": ["<script>alert(1)</script>", "CWG-Internet-11/8"],
            "is_contested": pd.array([True, None], dtype="boolean"),
            "actor_kind": pd.Categorical(["member_states", "chair"]),
            "share": [0.4231, None],
            "start_date": pd.to_datetime(["2018-01-05", None]),
        }
    )
    with capture_output() as captured:
        plotting.display_table(frame, caption="<b>caption</b>")
    html = captured.outputs[0].data["text/html"]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<caption>&lt;b&gt;caption&lt;/b&gt;</caption>" in html
    for text in ("<th>document</th>", "<td>yes</td>", "<td>member states</td>", "<td>42%</td>"):
        assert text in html
    assert "<td>5 January 2018</td>" in html
    assert html.count("<td>–</td>") == 3
    assert "NA" not in html.replace("&", "")


def test_an_empty_table_is_replaced_by_its_sentence(shell):
    with capture_output() as captured:
        plotting.display_table(pd.DataFrame({"a": []}), empty="No <decision> is recorded.")
    assert captured.outputs[0].data["text/html"] == "<p>No &lt;decision&gt; is recorded.</p>"


def test_timing_chart_gives_the_range_of_days_to_the_physical_meeting():
    summary = pd.DataFrame(
        {
            "consultation_id": ["2016-10", "2017-10", "2013-11"],
            "topic": ["Developmental aspects", "Gender divide", None],
            "days_open": pd.array([102, 83, None], dtype="Int64"),
            "is_days_open_approximate": [True, True, False],
            "days_to_physical_meeting": pd.array([23, 30, None], dtype="Int64"),
        }
    )
    ax = plotting.plot_consultation_timing(summary)
    assert plotting.title_of(ax) == (
        "The physical meeting followed the closing date by 23-30 days (median 26)"
    )
    alt = plotting.alt_text(ax)
    assert "2016-10: open about 102 days, then 23 days to the physical meeting" in alt
    assert alt.endswith("Not drawn (no dates known): 2013-11.")


def test_topics_chart_counts_consultation_topics_and_resolution_1305_issues():
    counts = pd.DataFrame(
        {
            "topic_id": ["spam", "spam", "otts"],
            "label": ["Dealing effectively with spam", "Dealing effectively with spam", "OTTs"],
            "origin": ["res1305", "res1305", "later"],
            "res1305_item": ["vi", "vi", None],
            "year": [2013, 2018, 2017],
            "source": ["consultation", "document", "consultation"],
            "items": [1, 2, 1],
        }
    )
    ax = plotting.plot_topics_over_time(counts)
    assert plotting.title_of(ax) == (
        "Consultations touched 2 topics, 1 of them Resolution 1305 issues; the documents of the "
        "full reports touch 1 topic"
    )
    assert "Dealing effectively with spam (vi): 2013 1 consultation, 2018 2 documents" in (
        plotting.alt_text(ax)
    )
