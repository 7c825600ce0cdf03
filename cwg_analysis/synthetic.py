"""Generate synthetic meeting reports, with the ground truth of every statement they contain.

The reports follow the register of the real CWG-Internet reports (numbered sections, a summary
and a discussion of each contribution, submitters named as ITU writes them, discussion bullets,
converter artefacts such as ``[bookmark: _Hlk504716038]``). Every statement is built from the
cue vocabulary of the stance model (``stance_cues.yaml``) and every country from the curated
country table, so the generator grows with them. Generation is deterministic: report ``i`` of a
seed is the same whatever the number of reports asked for.

Synthetic reports are test and benchmark inputs, never data: each text says so in its first
line, and :func:`write_reports` refuses to write under the project's ``data/`` folder.

Examples
--------
>>> report = generate_report(0, seed=1)
>>> report.text.splitlines()[0].startswith("SYNTHETIC REPORT")
True
>>> report.text == generate_report(0, seed=1).text
True
"""

from __future__ import annotations

import csv
import functools
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cwg_analysis import config
from cwg_analysis.errors import CwgAnalysisError
from cwg_analysis.reading.header import ORDINAL_WORDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GENERATOR_VERSION",
    "SyntheticCorpus",
    "SyntheticReport",
    "SyntheticStatement",
    "generate_report",
    "generate_reports",
    "write_reports",
]

# Bump whenever the same (seed, index) would give a different text: caches key on it.
GENERATOR_VERSION = 1

MARKER = "SYNTHETIC REPORT"
_CUES_PATH = Path(__file__).with_name("stance_cues.yaml")

# ------------------------------------------------------------------------------------------
# Ground truth


@dataclass(frozen=True, slots=True)
class SyntheticStatement:
    """One statement the generator wrote, as the stance model should read it."""

    meeting: int
    para_id: str
    actor_kind: str
    actor_label: str
    country_code: str | None
    quantifier: str | None
    count_min: int | None
    count_max: int | None
    is_other_group: bool
    stance: str
    target_symbol: str | None
    cue: str
    sentence: str


@dataclass(frozen=True, slots=True)
class SyntheticSubmitter:
    """One submitter of a contribution, in the order the report lists them."""

    doc_symbol: str
    position: int
    country_code: str
    name: str


@dataclass(frozen=True)
class SyntheticReport:
    """One generated report: its file stem, meeting number, text and ground truth."""

    name: str
    seed: int
    index: int
    meeting: int
    text: str
    statements: tuple[SyntheticStatement, ...]
    submitters: tuple[SyntheticSubmitter, ...]

    def write_docx(self, path: str | Path) -> Path:
        """Write the report as a Word document (bullets as Word bullets, no artefacts)."""
        import docx

        document = docx.Document()
        for line in self.text.splitlines():
            line = _ARTEFACT.sub("", line)
            if not line.strip():
                continue
            bullet = _BULLET_LINE.match(line)
            if bullet:
                document.add_paragraph(line[bullet.end() :], style="List Bullet")
            else:
                document.add_paragraph(line)
        path = Path(path)
        document.save(path)
        return path


_ARTEFACT = re.compile(r"\[bookmark: [^\]]*\]")
_BULLET_LINE = re.compile(r"^· ")

# ------------------------------------------------------------------------------------------
# The register: topics, titles and neutral sentences (no actor, no cue: checked by the tests)

TOPICS: tuple[tuple[str, str], ...] = (
    ("Bridging the Digital Gender Divide", "the digital gender divide"),
    ("Public Policy considerations for OTTs", "over-the-top services"),
    ("Expanding Internet connectivity", "Internet connectivity"),
    (
        "International Internet connectivity and Internet exchange points",
        "Internet exchange points",
    ),
    (
        "Security, safety, continuity and robustness of the Internet",
        "the robustness of the Internet",
    ),
    ("Child online protection", "child online protection"),
    ("Multilingualisation of the Internet", "internationalized domain names"),
    ("Protection of privacy and personal data", "personal data protection"),
    (
        "Enhanced cooperation on international Internet-related public policy issues",
        "enhanced cooperation",
    ),
    ("Capacity building for Internet governance", "capacity building"),
    ("Combating spam", "spam"),
    ("Affordability and quality of Internet access", "affordable Internet access"),
    ("Emerging technologies and the Internet of Things", "the Internet of Things"),
    ("Accessibility of the Internet for persons with disabilities", "accessibility"),
    (
        "Management of Internet resources, including domain names and addresses",
        "Internet resources",
    ),
    ("Transition from IPv4 to IPv6", "the transition to IPv6"),
)
TITLE_FORMS = (
    "Proposals on {title}",
    "{title}",
    "Contribution on {title}",
    "Views on {title}",
    "Proposals for further work on {title}",
    "National experience: {title}",
)
FILLER: tuple[str, ...] = (
    "The document reviews national and regional initiatives on {topic} and the lessons drawn "
    "from them.",
    "It describes the regulatory framework in force and the measures planned for the coming "
    "period.",
    "The contribution refers to the relevant Resolutions of the Plenipotentiary Conference and "
    "to the outcomes of the World Summit on the Information Society.",
    "Particular attention is given to the developing world, where access to broadband networks "
    "remains limited and costly.",
    "Figures collected by the national regulator show steady growth in the number of Internet "
    "users over the last five years.",
    "The text outlines programmes for digital literacy in schools, libraries and small "
    "enterprises.",
    "Annex 1 to the document lists the relevant national legislation and the bodies "
    "responsible for its implementation.",
    "A draft revision of the Resolution is annexed for information, in the run up to the next "
    "Plenipotentiary Conference.",
    "The work of the ITU Sectors on {topic} is summarised, including the relevant Questions of "
    "the Study Groups for the current study period.",
    "The document sets out the main challenges: the cost of devices and services, the lack of "
    "digital skills and the limited availability of local content.",
    "Public and private investment in infrastructure is described as essential to close the "
    "remaining gaps.",
    "The programmes described are financed by a universal service fund and by partnerships "
    "with industry and academia.",
    "Regional cooperation is described as an effective way of sharing good practice on {topic}.",
    "The text gives examples of multistakeholder initiatives that bring together government, "
    "industry, civil society and the technical community.",
    "Detailed information on each programme is available on the website of the ministry "
    "responsible.",
    "Further activities on {topic} are planned for the next two years, subject to the "
    "availability of resources.",
    "The measures aim to ensure that no one is left behind in the digital economy.",
    "Statistics on {topic} are collected every year and published in a national yearbook.",
    "The text places {topic} in the context of the 2030 Agenda for Sustainable Development and "
    "the WSIS Action Lines.",
    "The document also covers cooperation with other international organizations in this field.",
    "The legal and regulatory aspects of {topic} are examined in Section 3 of the document.",
    "Sections 4 and 5 of the document describe training activities and the related course "
    "material.",
    "A pilot project carried out in rural areas has reached more than ten thousand households.",
    "Lessons from the pilot phase have shaped the design of the national strategy on {topic}.",
    "Responsibility for the implementation of the strategy is shared between ministries and "
    "agencies.",
    "Consultation with the public took place online over a period of three months.",
    "Indicators for monitoring progress on {topic} are listed in the annex.",
    "The document gives an account of the situation before and after the reform of the sector.",
    "Women and girls, older persons and persons with disabilities are the main beneficiaries "
    "of the programmes described.",
    "Costs fell by a third after the licensing of a second operator in the wholesale market.",
)
DASH_ITEMS: tuple[str, ...] = (
    "to supplement Section {n} of the Report with more detailed information on {topic};",
    "to add to Section {n} a subsection on {topic};",
    "to include in the title of the Report the Resolution on {topic};",
    "to provide links to the relevant webpages instead of long descriptions;",
    "to give figures for each region where they exist;",
)
CONSULTATION_GROUPS = (
    "Government entities",
    "Civil Society and Technical Community entities",
    "Private Sector entities and Industry Associations",
    "Intergovernmental Organizations",
)
SECRETARIAT_SUMMARY = (
    "This report summarizes ITU's activities related to Plenipotentiary Conference (PP) "
    "Resolution 101 (Rev. Dubai, 2018), \u201cInternet Protocol-based networks\u201d; Resolution "
    "102 (Rev. Dubai, 2018); Resolution 133 (Rev. Dubai, 2018); and Resolution 180 (Rev. Dubai, "
    "2018), \u201cFacilitating the transition from IPv4 to IPv6\u201d."
)
OTHER_BODIES: tuple[tuple[str, str], ...] = (
    ("CWG-FHR", "Status report on the misuse of telecommunication numbering resources"),
    ("CWG-COP", "Update on the guidelines for child online protection"),
    ("CWG-WSIS&SDG", "Progress report on the implementation of the WSIS outcomes"),
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MAX_MEETING = 49
# The reader's own ordinal words, so every generated meeting number reads back.
_MEETING_ORDINALS = {number: word for word, number in ORDINAL_WORDS.items() if " " not in word}


def ordinal_words(number: int) -> str:
    """Return the ordinal of a meeting number: in words up to 49 ("eleventh"), else "123rd"."""
    if number < 1:
        raise ValueError(f"meeting number: not a positive number: {number}")
    if number > MAX_MEETING:
        suffix = (
            "th"
            if number % 100 in (11, 12, 13)
            else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        )
        return f"{number}{suffix}"
    return _MEETING_ORDINALS[number]


# ------------------------------------------------------------------------------------------
# Statement grammar: how each cue of the vocabulary is completed into a clause.
# Each rule: a pattern on the concrete cue words and the completion that follows them:
#   noun   -> " the proposal" (about the target)     that   -> " that <clause>"
#   should -> " that <noun> be <done>"                risk   -> " that <clause with a risk>"
#   to     -> " to <verb phrase>"                     verb   -> " <verb phrase>"
#   obj    -> " ITU to <verb phrase>"                 end    -> nothing more
#   thank  -> " the proponents for <noun>"            congratulate -> " the proponents on <noun>"
#   risk_of -> " of duplication of work in <noun>"    "prep:X" -> " X <noun>"
# Content cues of caution (a risk stated without a verb of caution) go inside a that-clause:
# see RISKS. A cue no rule covers is not generated; ``Vocabulary.unusable`` lists them.
COMPLETIONS: tuple[tuple[str, str], ...] = (
    (r"(was|were) of the (view|opinion)", "that"),
    (r"expressed (the|their|its) (view|opinion)", "that"),
    (r"shared the view", "that"),
    (r"(was|were) (not )?(in favou?r|supportive)", "prep:of"),
    (r"(was|were) (concerned|hesitant|cautious)", "prep:about"),
    (r"(was|were) not convinced", "prep:of"),
    (r"(was|were) against", "noun"),
    (r"expressed (their|its) support", "prep:for"),
    (r"expressed (their|its) opposition", "prep:to"),
    (r"expressed (their |its |some )?(reservations|concerns?|doubts)", "prep:about"),
    (r"(had|raised) (some )?(reservations|concerns|doubts)", "prep:about"),
    (r"expressed (their|its) (intent|intention|wish)", "to"),
    (r"expressed (their|its) interest", "prep:in"),
    (r"expressed (their|its|his|her) (thanks|gratitude|appreciation)", "prep:for"),
    (r"gave (a|an) (update|overview|presentation|briefing|report)", "prep:on"),
    (r"provided (information|an update|an overview)", "prep:on"),
    (r"sought (further )?(clarity|clarification)", "prep:on"),
    (r"welcomed (views|comments|inputs|feedback)", "prep:on"),
    (r"welcomed (the|this) (proposal|contribution|initiative|document|effort)", "end"),
    (r"welcomed (the|these) (proposals|contributions|initiatives|documents|efforts)", "end"),
    (r"welcomed the (participants|delegates|members)", "end"),
    (r"shared (their|its) (own )?(national |regional )?experiences?", "prep:on"),
    (r"(noted|stressed|highlighted|pointed out) the risks?", "risk_of"),
    (r".* the need", "to"),
    (r"sought to", "verb"),
    (r"(did|could) not agree|disagreed|concurred", "prep:with"),
    (r"did not object", "prep:to"),
    (r"called upon|urged|asked|invited|requested|encouraged|instructed", "obj"),
    (r".* (to|with|for|of|about|on)", "noun"),
    (r"cautioned|warned", "risk"),
    (r"thanked", "thank"),
    (r"congratulated", "congratulate"),
    (r"suggested|proposed|recommended|would like to propose", "should"),
    (r"agreed|concluded", "that"),
    (r"decided|resolved", "to"),
    (r"informed|reported", "that"),
    (
        r"stated|noted|highlighted|emphasi[sz]ed|stressed|underlined|underscored|reiterated"
        r"|recalled|remarked|observed|mentioned|pointed out|indicated|explained|clarified"
        r"|considered|believed|recogni[sz]ed|acknowledged|said|added",
        "that",
    ),
    (
        r"supported|opposed|rejected|endorsed|backed|seconded|favou?red|approved|adopted"
        r"|appreciated|commended|presented|introduced|questioned|put forward"
        r"|(did|could|would) not (support|accept)",
        "noun",
    ),
)
# Stated risks: content cues of caution, completed into a that-clause.
RISKS: tuple[tuple[str, str], ...] = (
    (r"(could|would|might|may) result in(to)?", "{gerund} {cue} {outcome}"),
    (r"(would|could) be (hard|difficult) to", "a longer report {cue} read"),
    (r"(a|the) risk of", "{gerund} carries {cue} duplication of work"),
    (r"at the risk of", "the text extends the scope {cue} duplication of work"),
    (r"(would|could) (lead|amount) to duplication", "{gerund} {cue} of work"),
)
# Which actor kinds a cue suits (a courtesy welcome is the chair's; experiences are states').
KIND_LIMITS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"welcomed the (participants|delegates|members)", frozenset({"chair", "official"})),
    (r".*experiences?", frozenset({"member_states", "member_state"})),
    (r"welcomed (views|comments|inputs|feedback)", frozenset({"proponents", "member_state"})),
)
GERUNDS = (
    "expanding the scope of the report",
    "adding new sections to the report",
    "creating a new mechanism",
    "extending the mandate",
    "revising the Resolution at this stage",
)
OUTCOMES = ("a very large document", "duplication of work", "additional costs", "delays")
CLAUSES = (
    "{noun} raises important issues for future work",
    "{noun} deserves further study",
    "{noun} is timely in view of the preparations for the next Plenipotentiary Conference",
    "{noun} reflects the discussions held at the regional level",
    "the issues raised in {noun} fall within the mandate of ITU",
    "{noun} gives a useful overview of {topic}",
)
SHOULD_CLAUSES = (
    "{noun} be taken into account in future reports on Internet activities",
    "{noun} be considered further in the preparations for the next Plenipotentiary Conference",
    "the work on {topic} continue on the basis of {noun}",
    "{noun} be examined again once more information is available",
)
RISK_CLAUSES = (
    "{noun} goes beyond the mandate of ITU",
    "{noun} overlaps with work carried out elsewhere",
)
VERB_PHRASES = (
    "take {noun} into account in the work on {topic}",
    "continue the work on {topic} in the light of {noun}",
    "keep {noun} under review",
)
TAILS = (
    "",
    "",
    "",
    ", in view of the preparations for the next Plenipotentiary Conference",
    ", taking into account the limited resources available",
    ", in particular for the developing world",
    ", as in previous years",
    ", bearing in mind the discussions held in the regional preparatory meetings",
)
OPENERS = ("On {noun}, ", "Concerning {noun}, ", "Regarding the first proposal in {noun}, ")
CONNECTORS = ("while", "whereas")
# Noun phrases for the document a section discusses, by its kind; singular first.
DOC_NOUNS = {
    "contribution": (
        ("the contribution", "the proposal", "the document"),
        ("the proposals in the contribution", "various parts of the contribution"),
    ),
    "agenda": (("the agenda", "the draft agenda"), ()),
    "secretariat_report": (("the report", "the report on Internet activities"), ()),
    "consultation_summary": (("the summary", "the brief summary"), ()),
    "other": (("the status report", "the document"), ()),
}
NAMED_NOUNS = ("document {doc}", "contribution {doc}")
UNDOCUMENTED_NOUNS = ("the matter", "this initiative", "the update")
_POSSESSIVES = frozenset({"their", "its", "his", "her"})


def expand_pattern(pattern: str) -> list[str]:
    """Return every text a cue pattern matches, for patterns of words, groups and ``?``.

    Patterns using anything else (``\\w``, ``*``, look-arounds, ranges) expand to nothing.

    Examples
    --------
    >>> expand_pattern("expressed (their|its) support")
    ['expressed their support', 'expressed its support']
    >>> expand_pattern("objected( to)?")
    ['objected to', 'objected']
    >>> expand_pattern(r"(?!the)\\w+")
    []
    """
    try:
        options, end = _expand_alternatives(pattern, 0)
    except ValueError:
        return []
    if end != len(pattern):
        return []
    texts = [" ".join(text.split()) for text in options]
    return [text for text in dict.fromkeys(texts) if re.fullmatch(pattern, text, re.IGNORECASE)]


def _expand_alternatives(pattern: str, i: int) -> tuple[list[str], int]:
    """Expand ``a|b|c`` from position i up to a closing parenthesis or the end."""
    alternatives: list[str] = []
    while True:
        options, i = _expand_sequence(pattern, i)
        alternatives.extend(options)
        if i < len(pattern) and pattern[i] == "|":
            i += 1
            continue
        return alternatives, i


def _expand_sequence(pattern: str, i: int) -> tuple[list[str], int]:
    """Expand a run of literals, groups and classes (each optionally followed by ``?``)."""
    texts = [""]
    while i < len(pattern) and pattern[i] not in "|)":
        char = pattern[i]
        if char == "(":
            if pattern.startswith("(?:", i):
                i += 3
            elif pattern.startswith("(?", i):
                raise ValueError("look-around")
            else:
                i += 1
            atom, i = _expand_alternatives(pattern, i)
            if i >= len(pattern) or pattern[i] != ")":
                raise ValueError("unbalanced")
            i += 1
        elif char == "[":
            close = pattern.index("]", i)
            atom = list(pattern[i + 1 : close])
            if "-" in atom or "^" in atom or "\\" in atom:
                raise ValueError("class")
            i = close + 1
        elif char in "\\.*+{}^$":
            raise ValueError("unsupported")
        else:
            atom = [char]
            i += 1
        if i < len(pattern) and pattern[i] == "?":
            atom = [*atom, ""]
            i += 1
        texts = [text + option for text in texts for option in atom]
    return texts, i


@dataclass(frozen=True)
class _Cue:
    """A concrete cue text, its stance, its completion and the actor kinds it suits."""

    stance: str
    text: str
    completion: str
    kinds: frozenset[str] | None  # None: every kind


@dataclass(frozen=True)
class _Quantifier:
    """A quantifier of anonymous Member States and the count its words allow."""

    quantifier: str
    words: tuple[str, ...]
    count_min: int | None
    count_max: int | None


@dataclass(frozen=True)
class Vocabulary:
    """What the generator draws on: cues by stance, stated risks, quantifiers, countries."""

    cues: dict[str, tuple[_Cue, ...]]
    risks: tuple[tuple[str, str], ...]  # (cue text, clause template)
    quantifiers: tuple[_Quantifier, ...]
    singular_nouns: tuple[str, ...]
    plural_nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    countries: tuple[tuple[str, str], ...]  # (name as a sentence writes it, ISO3)
    unusable: tuple[str, ...] = field(default=())  # finite cue forms no rule completes
    choices: dict[tuple, list[_Cue]] = field(default_factory=dict, compare=False, repr=False)


@functools.cache
def load_vocabulary(cues_path: Path = _CUES_PATH, countries_path: Path | None = None) -> Vocabulary:
    """Read the cue vocabulary and the country table into what the generator draws on."""
    import yaml

    countries_path = countries_path or config.REFERENCE_DIR / "countries.csv"
    try:
        data = yaml.safe_load(cues_path.read_text(encoding="utf-8"))
        with countries_path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, yaml.YAMLError) as exc:
        raise CwgAnalysisError(f"synthetic: cannot read the vocabulary: {exc}") from exc
    cues: dict[str, list[_Cue]] = {}
    risks: list[tuple[str, str]] = []
    unusable: list[str] = []
    for group in data["stances"]:
        stance = group["stance"]
        group_kinds = frozenset(group["actors"]) if group.get("actors") else None
        for pattern in group["cues"]:
            for text in expand_pattern(pattern):
                if not _is_finite_past(text):
                    continue
                if _WRONG_ARTICLE.search(text):
                    unusable.append(text)
                    continue
                risk = _match_rule(RISKS, text)
                completion = _match_rule(COMPLETIONS, text)
                if stance == "caution" and risk is not None:
                    risks.append((text, risk))
                elif completion is None:
                    unusable.append(text)
                else:
                    kinds = _match_rule(KIND_LIMITS, text) or group_kinds
                    cues.setdefault(stance, []).append(_Cue(stance, text, completion, kinds))
    nouns = data["member_state_nouns"]
    countries = [
        (_with_article(name), row["country_code"])
        for row in rows
        for name in [row["name"], *filter(None, row["aliases"].split(";"))]
    ]
    return Vocabulary(
        cues={stance: tuple(found) for stance, found in cues.items()},
        risks=tuple(risks),
        quantifiers=tuple(
            _Quantifier(q["quantifier"], tuple(q["words"]), q["count_min"], q["count_max"])
            for q in data["quantifiers"]
        ),
        singular_nouns=tuple(t for p in nouns["singular"] for t in expand_pattern(p)),
        plural_nouns=tuple(t for p in nouns["plural"] for t in expand_pattern(p)),
        adjectives=tuple(nouns.get("adjectives") or ()),
        countries=tuple(countries),
        unusable=tuple(unusable),
    )


_WRONG_ARTICLE = re.compile(r"\ba [aeiou]|\ban [^aeiou]", re.IGNORECASE)


def _is_finite_past(text: str) -> bool:
    """Tell a cue form a report's past-tense narrative uses ("supported", "did not support").

    Present forms ("supports", "does not"), -ing phrases and fragments ("by commending") are
    for other registers; the generated reports do not use them.
    """
    first = text.split()[0].lower()
    if first in {"do", "does", "can", "cannot", "have", "has", "is", "are", "by", "not"}:
        return False
    return not (first.endswith("ing") or (first.endswith("s") and first != "was"))


def _match_rule(rules: Sequence[tuple[str, object]], text: str):
    """Return the value of the first rule whose pattern matches the whole text, else None."""
    for pattern, value in rules:
        if re.fullmatch(pattern, text, re.IGNORECASE):
            return value
    return None


_ARTICLE_WORDS = frozenset(
    {"Federation", "United", "Republic", "Kingdom", "Islands", "Emirates", "States"}
)
_ARTICLE_NAMES = frozenset(
    {"Netherlands", "Philippines", "Bahamas", "Gambia", "Comoros", "Maldives", "Holy See"}
)


def _with_article(name: str) -> str:
    """Return a country name as a sentence writes it: "the Russian Federation", "India"."""
    if "(" in name or name.lower().startswith("the "):
        return name
    if name in _ARTICLE_NAMES or _ARTICLE_WORDS.intersection(name.split()):
        return f"the {name}"
    return name


# ------------------------------------------------------------------------------------------
# Writing one report


@dataclass(frozen=True)
class _Doc:
    """A document the generated meeting discusses."""

    symbol: str  # canonical: CWG-Internet-12/3
    written: str  # as the text writes it: WG-Internet 12/3
    kind: str  # a key of DOC_NOUNS
    title: str
    topic: str  # a noun phrase: "the digital gender divide"
    submitters: tuple[tuple[str, str], ...] = ()  # (name as written, ISO3)


@dataclass(frozen=True)
class _Actor:
    """Who speaks, with what the stance model should read from the words."""

    kind: str
    label: str
    country_code: str | None = None
    quantifier: str | None = None
    count_min: int | None = None
    count_max: int | None = None
    is_other_group: bool = False
    is_plural: bool = False

    @property
    def possessives(self) -> frozenset[str]:
        """Return the possessive pronouns that agree with the actor."""
        if self.is_plural:
            return frozenset({"their"})
        if self.kind in ("chair", "official"):
            return frozenset({"his", "her"})
        return frozenset({"its"})


_Found = tuple[_Actor, str, str | None, str, str]  # actor, stance, target, cue, sentence

# Which stances each kind of actor takes in the generated reports, and how often it speaks.
STANCES_BY_KIND = {
    "member_states": ("support", "oppose", "caution", "propose", "note", "thank", "inform"),
    "member_state": ("support", "oppose", "caution", "propose", "note", "inform"),
    "proponents": ("note", "inform", "propose"),
    "chair": ("propose", "note", "thank"),
    "group": ("decide", "thank"),
    "secretariat": ("inform", "note"),
    "official": ("inform", "note"),
}
ACTOR_WEIGHTS = {
    "member_states": 12,
    "member_state": 3,
    "proponents": 1,
    "chair": 1,
    "group": 1,
    "secretariat": 1,
    "official": 1,
}
OTHER_LABELS = {
    "proponents": ("the proponents", "the proponent"),
    "chair": ("the Chairman", "the Chair"),
    "group": ("the Group", "the CWG"),
    "secretariat": ("the Secretariat", "the ITU Secretariat"),
    "official": ("the ITU Secretary-General", "the TSB Director"),
}
PRONOUNS = {"member_states": "They", "chair": "He", "official": "He"}


class _Writer:
    """Write the lines of one report, tracking the paragraph ids the reader will give them."""

    def __init__(self, rng: random.Random, meeting: int, vocabulary: Vocabulary) -> None:
        self.rng = rng
        self.meeting = meeting
        self.vocabulary = vocabulary
        self.lines: list[str] = []
        self.statements: list[SyntheticStatement] = []
        self.parent = "0"
        self.bullets: dict[str, int] = {}
        self.follow_ons: dict[str, int] = {}
        self.bookmark = 504716038 + rng.randrange(10**6)

    # -- units -----------------------------------------------------------------------------
    def _artefact(self, probability: float) -> str:
        """Return a converter bookmark to glue before a line, now and then."""
        if self.rng.random() >= probability:
            return ""
        self.bookmark += self.rng.randrange(1, 500)
        return f"[bookmark: _Hlk{self.bookmark}]"

    def header(self, text: str) -> None:
        """Write a line of the header block (before the first numbered paragraph)."""
        self.lines.append(text)

    def numbered(self, number: str, text: str) -> str:
        """Write a numbered paragraph or heading ("5.1<TAB>..."); return its para_id."""
        separator = self.rng.choice((".\t", "\t", "\t", ". ")) if "." in number else ".\t"
        self.lines.append(f"{self._artefact(0.08)}{number}{separator}{text}")
        self.parent = number
        return number

    def bullet(self, text: str) -> str:
        """Write a bullet under the last numbered paragraph; return its para_id ("5.1.2")."""
        count = self.bullets[self.parent] = self.bullets.get(self.parent, 0) + 1
        self.lines.append(f"{self._artefact(0.03)}\u00b7 {text}")
        return f"{self.parent}.{count}"

    def text(self, text: str) -> str:
        """Write an unnumbered follow-on paragraph; return its para_id ("5.1+2")."""
        count = self.follow_ons[self.parent] = self.follow_ons.get(self.parent, 0) + 1
        self.lines.append(f"{self._artefact(0.03)}{text}")
        return f"{self.parent}+{count}"

    def blank(self) -> None:
        """Write an empty line."""
        self.lines.append("")

    # -- statements ------------------------------------------------------------------------
    def record(self, para_id: str, found: Sequence[_Found]) -> None:
        """Record the ground truth of the statements written in one paragraph."""
        for actor, stance, target, cue, sentence in found:
            self.statements.append(
                SyntheticStatement(
                    meeting=self.meeting,
                    para_id=para_id,
                    actor_kind=actor.kind,
                    actor_label=actor.label,
                    country_code=actor.country_code,
                    quantifier=actor.quantifier,
                    count_min=actor.count_min,
                    count_max=actor.count_max,
                    is_other_group=actor.is_other_group,
                    stance=stance,
                    target_symbol=target,
                    cue=cue,
                    sentence=sentence,
                )
            )

    def numbered_statements(self, number: str, speaker: _Speaker, doc: _Doc | None) -> None:
        """Write a numbered paragraph of statements about ``doc``."""
        text, found = speaker.paragraph(doc)
        self.record(self.numbered(number, text), found)

    def bullet_statements(self, speaker: _Speaker, doc: _Doc | None) -> None:
        """Write a bullet of statements about ``doc``."""
        text, found = speaker.paragraph(doc)
        self.record(self.bullet(text), found)


def generate_report(
    index: int,
    seed: int = 0,
    *,
    first_meeting: int | None = None,
    vocabulary: Vocabulary | None = None,
) -> SyntheticReport:
    """Generate report ``index`` of a seed: its text and the ground truth it holds.

    Parameters
    ----------
    index, seed
        Which report: the same pair always gives the same text.
    first_meeting
        Number report ``index`` as meeting ``first_meeting + index`` (every report its own
        meeting, as a corpus needs); by default a meeting between 2 and 49 is drawn.
    vocabulary
        The cue and country vocabulary (default: :func:`load_vocabulary`).
    """
    vocabulary = vocabulary or load_vocabulary()
    rng = random.Random(f"cwg-synthetic:{GENERATOR_VERSION}:{seed}:{index}")
    meeting = rng.randint(2, MAX_MEETING)
    if first_meeting is not None:
        meeting = first_meeting + index
    writer = _Writer(rng, meeting, vocabulary)
    writer.header(
        f"{MARKER} generated by cwg_analysis.synthetic (seed {seed}, report {index}): "
        "not a record of any real meeting."
    )
    if rng.random() < 0.8:
        day = rng.randint(1, 25)
        writer.header(
            "Council Working Group on International Internet-related Public Policy Issues"
        )
        writer.header(
            f"{ordinal_words(meeting).capitalize()} meeting \u2013 Geneva, "
            f"{day}-{day + 1} {rng.choice(MONTHS)} {2010 + meeting % 20}"
        )
        writer.header(f"Document WG-Internet {meeting}/{rng.randint(12, 20)}-E")
    contributions = _draw_contributions(rng, meeting, vocabulary)
    speaker = _Speaker(rng, vocabulary, contributions)
    agenda = _Doc(f"CWG-Internet-{meeting}/1", _written(rng, meeting, 1), "agenda", "Agenda", "")
    report = _Doc(
        f"CWG-Internet-{meeting}/2",
        _written(rng, meeting, 2),
        "secretariat_report",
        "Secretariat report on ITU Internet Activities",
        "Internet resources",
    )
    number = len(contributions) + 3
    title, topic = rng.choice(TOPICS)
    consultation = _Doc(
        f"CWG-Internet-{meeting}/{number}",
        _written(rng, meeting, number),
        "consultation_summary",
        title,
        topic,
    )
    sections = iter(range(1, 100))

    def section(title: str) -> str:
        number = str(next(sections))
        writer.numbered(number, title)
        return number

    n = section("Introduction")
    writer.numbered(
        f"{n}.1",
        f"The ITU Secretary-General welcomed the participants to the {ordinal_words(meeting)} "
        "meeting of CWG-Internet.",
    )
    official = _Actor("official", "The ITU Secretary-General")
    writer.record(
        f"{n}.1", [(official, "thank", None, "welcomed the participants", writer.lines[-1])]
    )
    writer.numbered(f"{n}.2", _filler(rng, consultation.topic, 2))

    n = section(f"{agenda.written}: Agenda of the meeting")
    for i in range(1, rng.randint(2, 3) + 1):
        writer.numbered_statements(f"{n}.{i}", speaker, agenda)

    n = section(
        f"{report.written}: Secretariat report on ITU Internet Activities: Resolutions 101, "
        "102, 133, and 180"
    )
    writer.numbered(f"{n}.1", "Summary of the Report")
    writer.text(f"{SECRETARIAT_SUMMARY} {_filler(rng, report.topic, rng.randint(2, 5))}")
    writer.numbered(f"{n}.2", "Discussion on the Report")
    for _ in range(rng.randint(3, 7)):
        writer.bullet_statements(speaker, report)
    writer.blank()

    n = section(
        f"{consultation.written}: Brief Summary of the Online Open Consultation and Physical "
        "Open Consultation Meeting"
    )
    writer.numbered(f"{n}.1", _consultation_paragraph(rng, consultation.title))
    for i in range(2, rng.randint(2, 4) + 1):
        writer.numbered_statements(f"{n}.{i}", speaker, consultation)

    n = section("Summary of Contributions")
    writer.text(
        "The contributions, as submitted by the authors of the documents, are summarized as "
        "follows:"
    )
    for i, doc in enumerate(contributions, start=1):
        writer.numbered(f"{n}.{i}", _contribution_heading(doc))
        if rng.random() < 0.3:
            for j in range(1, rng.randint(2, 4) + 1):
                writer.numbered(f"{n}.{i}.{j}", _filler(rng, doc.topic, rng.randint(4, 8)))
        else:
            for _ in range(rng.randint(2, 5)):
                writer.text(_filler(rng, doc.topic, rng.randint(4, 9)))
            if rng.random() < 0.3:
                for _ in range(rng.randint(2, 3)):
                    item = rng.choice(DASH_ITEMS).format(n=rng.randint(2, 6), topic=doc.topic)
                    writer.text(f"- {item}")
    writer.blank()

    n = section("Discussions")
    writer.text("The CWG examined the various contributions.")
    for i, doc in enumerate(contributions, start=1):
        writer.numbered(f"{n}.{i}", _contribution_heading(doc))
        if rng.random() < 0.5:
            writer.bullet(
                "This document was presented and discussed following the presentation of "
                f"{report.written}."
            )
        for _ in range(rng.randint(2, 7)):
            writer.bullet_statements(speaker, doc)

    n = section("Any other business")
    for i in range(1, rng.randint(1, 3) + 1):
        if rng.random() < 0.5:
            body, title = rng.choice(OTHER_BODIES)
            a, b = rng.randint(1, 20), rng.randint(1, 40)
            other = _Doc(f"{body}-{a}/{b}", f"{body} {a}/{b}", "other", title, "")
            writer.numbered(
                f"{n}.{i}", f"Discussion on document {other.written} \u201c{title}\u201d"
            )
        else:
            other = None
            name = rng.choice(vocabulary.countries)[0]
            writer.numbered(f"{n}.{i}", f"Update by {name} on {rng.choice(TOPICS)[0]}")
        for _ in range(rng.randint(2, 4)):
            writer.bullet_statements(speaker, other)
    writer.blank()

    n = section("Summary of the Meeting")
    writer.numbered(
        f"{n}.1",
        f"The report of the {ordinal_words(meeting)} meeting of the Council Working Group on "
        "International Internet-related Public Policy Issues was approved by the CWG.",
    )
    group = _Actor("group", "the CWG")
    writer.record(f"{n}.1", [(group, "decide", None, "approved", writer.lines[-1])])
    writer.lines.append("[bookmark: _GoBack]")
    writer.lines.append("Chairman, CWG-Internet (synthetic)")
    return SyntheticReport(
        name=f"synthetic-{seed}-{index:06d}",
        seed=seed,
        index=index,
        meeting=meeting,
        text="\n".join(writer.lines) + "\n",
        statements=tuple(writer.statements),
        submitters=tuple(
            SyntheticSubmitter(doc.symbol, position, code, name)
            for doc in contributions
            for position, (name, code) in enumerate(doc.submitters, start=1)
        ),
    )


def _written(rng: random.Random, meeting: int, number: int) -> str:
    """Write a CWG-Internet symbol the ways reports vary it."""
    form = rng.choice(("WG-Internet {m}/{n}", "WG-Internet-{m}/{n}", "CWG-Internet-{m}/{n}"))
    return form.format(m=meeting, n=number)


def _draw_contributions(
    rng: random.Random, meeting: int, vocabulary: Vocabulary
) -> tuple[_Doc, ...]:
    """Draw the contributions of a meeting: symbols, titles, topics and submitters."""
    documents = []
    for number in range(3, 3 + rng.randint(4, 9)):
        doc_meeting = meeting - 1 if rng.random() < 0.1 else meeting
        title, topic = rng.choice(TOPICS)
        submitters: dict[str, str] = {}  # ISO3 -> name: a name and its alias never both
        for name, code in rng.sample(vocabulary.countries, rng.choice((1, 1, 1, 2, 3, 5))):
            submitters.setdefault(code, name)
        documents.append(
            _Doc(
                f"CWG-Internet-{doc_meeting}/{number}",
                _written(rng, doc_meeting, number),
                "contribution",
                rng.choice(TITLE_FORMS).format(title=title),
                topic,
                tuple((name, code) for code, name in submitters.items()),
            )
        )
    return tuple(documents)


def _contribution_heading(doc: _Doc) -> str:
    """Return "Contribution WG-Internet 12/3 from A, B and C: “Title”"."""
    names = [name for name, _ in doc.submitters]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Contribution {doc.written} from {listed}: \u201c{doc.title}\u201d"


def _filler(rng: random.Random, topic: str, count: int) -> str:
    """Return ``count`` neutral sentences (no actor, no cue) about a topic."""
    return " ".join(sentence.format(topic=topic) for sentence in rng.sample(FILLER, count))


def _consultation_paragraph(rng: random.Random, title: str) -> str:
    """Return the paragraph giving the consultation's responses by stakeholder group."""
    counts = [rng.randint(1, 25) for _ in CONSULTATION_GROUPS]
    parts = [f"{count} {label}" for count, label in zip(counts, CONSULTATION_GROUPS, strict=True)]
    return (
        f"The Online Open Consultation was conducted on the topic of \u201c{title}\u201d. "
        f"During this consultation {sum(counts)} responses were received from a variety of "
        f"stakeholders and regions ({', '.join(parts[:-1])} and {parts[-1]})."
    )


# ------------------------------------------------------------------------------------------
# Statements


class _Speaker:
    """Write the sentences of statement paragraphs and keep their ground truth."""

    def __init__(
        self, rng: random.Random, vocabulary: Vocabulary, contributions: Sequence[_Doc]
    ) -> None:
        self.rng = rng
        self.vocabulary = vocabulary
        self.contributions = contributions

    def paragraph(self, doc: _Doc | None) -> tuple[str, list[_Found]]:
        """Return a paragraph of one or two sentences about ``doc`` and its statements."""
        sentence, found = self._sentence(doc)
        sentences = [sentence]
        if self.rng.random() < 0.3:
            previous = found[0][0]
            if (
                len(found) == 1
                and previous.kind in PRONOUNS
                and (previous.kind != "member_states" or previous.is_plural)
                and not previous.is_other_group
            ):
                # "He also ..." continues the statement before, about what it named
                named = found[0][2]
                carried = next((c for c in self.contributions if c.symbol == named), doc)
                sentence, more = self._pronoun_sentence(previous, carried)
            elif previous.kind == "member_states" and len(found) == 1:
                sentence, more = self._simple_sentence(self._actor("member_states", True), doc)
            else:
                sentence, more = self._sentence(doc)
            sentences.append(sentence)
            found.extend(more)
        return " ".join(sentences), found

    def _sentence(self, doc: _Doc | None) -> tuple[str, list[_Found]]:
        """Return one sentence, in one of the forms the reports use, and its statements."""
        rng = self.rng
        kind = rng.choices(list(ACTOR_WEIGHTS), weights=list(ACTOR_WEIGHTS.values()))[0]
        actor = self._actor(kind)
        stance = rng.choice(STANCES_BY_KIND[kind])
        form = rng.random()
        if kind == "member_states" and stance in ("support", "propose") and form < 0.25:
            # "Some Member States supported ..., while some other Member States did not ..."
            other = self._actor("member_states", other=True)
            stance2 = rng.choice(("oppose", "caution"))
            clause1, cue1, target1 = self._clause(actor, stance, doc, may_name=False)
            clause2, cue2, target2 = self._clause(other, stance2, doc, may_name=False)
            connector = rng.choice(CONNECTORS)
            sentence = f"{_capital(actor.label)} {clause1}, {connector} {other.label} {clause2}."
            return sentence, [
                (actor, stance, target1, cue1, sentence),
                (other, stance2, target2, cue2, sentence),
            ]
        if kind in ("member_state", "proponents") and form < 0.15 and doc is not None:
            # "India, supported by several Member States, proposed ..."
            supporters = self._actor("member_states")
            clause, cue, target = self._clause(actor, stance, doc, may_name=False)
            sentence = f"{_capital(actor.label)}, supported by {supporters.label}, {clause}."
            return sentence, [
                (actor, stance, target, cue, sentence),
                (supporters, "support", target, "supported by", sentence),
            ]
        if kind == "member_states" and form < 0.35 and doc is not None:
            # "On the proposal, some Member States supported it."
            singular = DOC_NOUNS[doc.kind][0]
            opener = rng.choice(OPENERS).format(noun=rng.choice(singular))
            clause, cue, target = self._clause(actor, stance, doc, may_name=False)
            sentence = f"{opener}{actor.label} {clause}{rng.choice(TAILS)}."
            return sentence, [(actor, stance, target, cue, sentence)]
        return self._simple_sentence(actor, doc, stance)

    def _simple_sentence(
        self, actor: _Actor, doc: _Doc | None, stance: str | None = None
    ) -> tuple[str, list[_Found]]:
        """Return "<Actor> <clause><tail>." and its statement."""
        stance = stance or self.rng.choice(STANCES_BY_KIND[actor.kind])
        clause, cue, target = self._clause(actor, stance, doc, may_name=True)
        sentence = f"{_capital(actor.label)} {clause}{self.rng.choice(TAILS)}."
        return sentence, [(actor, stance, target, cue, sentence)]

    def _pronoun_sentence(self, actor: _Actor, doc: _Doc | None) -> tuple[str, list[_Found]]:
        """Return "They also <clause>." continuing the previous actor, and its statement."""
        stance = self.rng.choice(STANCES_BY_KIND[actor.kind])
        clause, cue, target = self._clause(actor, stance, doc, may_name=False)
        sentence = f"{PRONOUNS[actor.kind]} also {clause}."
        return sentence, [(actor, stance, target, cue, sentence)]

    def _actor(self, kind: str, other: bool = False) -> _Actor:
        """Draw an actor of a kind, with the words that name it (lower case mid-sentence)."""
        rng = self.rng
        vocabulary = self.vocabulary
        if kind == "member_states":
            choices = [q for q in vocabulary.quantifiers if q.quantifier != "all"]
            if other:
                choices = [q for q in choices if q.quantifier != "one"]
            quantifier = rng.choice(choices)
            word = rng.choice(quantifier.words)
            singular = quantifier.quantifier == "one"
            noun_singular = singular and not word.endswith(("of", "of the"))
            nouns = vocabulary.singular_nouns if noun_singular else vocabulary.plural_nouns
            noun = rng.choice(nouns) if rng.random() < 0.3 else nouns[0]
            if rng.random() < 0.1 and vocabulary.adjectives and "Member State" not in noun:
                noun = f"{rng.choice(vocabulary.adjectives)} {noun}"
            if word in ("a", "an"):
                word = "an" if noun[0].lower() in "aeiou" else "a"
            return _Actor(
                kind,
                f"{word} {'other ' if other else ''}{noun}",
                quantifier=quantifier.quantifier,
                count_min=quantifier.count_min,
                count_max=quantifier.count_max,
                is_other_group=other,
                is_plural=not singular,
            )
        if kind == "member_state":
            name, code = rng.choice(vocabulary.countries)
            if rng.random() < 0.2:
                name = f"the delegation of {name}"
            return _Actor(kind, name, code, "named", 1, 1)
        label = rng.choice(OTHER_LABELS[kind])
        return _Actor(kind, label, is_plural=label == "the proponents")

    def _clause(
        self, actor: _Actor, stance: str, doc: _Doc | None, *, may_name: bool
    ) -> tuple[str, str, str | None]:
        """Return the clause after the actor ("supported the proposal"), its cue and target.

        The target is a document the clause names, else the document the section discusses.
        """
        rng = self.rng
        target = doc.symbol if doc is not None else None
        if stance == "caution" and self.vocabulary.risks and rng.random() < 0.4:
            # a stated risk without a verb of caution: "reiterated that ... could result in ..."
            verb = self._cue("note", actor, completion="that")
            cue, template = rng.choice(self.vocabulary.risks)
            risk = template.format(
                gerund=rng.choice(GERUNDS), cue=cue, outcome=rng.choice(OUTCOMES)
            )
            return f"{verb.text} that {risk}", cue, target
        cue = self._cue(stance, actor)
        others = [c for c in self.contributions if doc is None or c.symbol != doc.symbol]
        if (
            cue.completion != "end"
            and others
            and may_name
            and rng.random() < (0.5 if doc is None else 0.1)
        ):
            named = rng.choice(others)
            target = named.symbol
            singular = plural = rng.choice(NAMED_NOUNS).format(doc=named.written)
        elif doc is None:
            singular = plural = rng.choice(UNDOCUMENTED_NOUNS)
        else:
            nouns = DOC_NOUNS[doc.kind]
            singular = rng.choice(nouns[0])
            plural = rng.choice(nouns[0] + nouns[1])
        topic = doc.topic if doc is not None and doc.topic else rng.choice(TOPICS)[1]
        completion = cue.completion
        if completion == "noun":
            tail = f" {plural}"
        elif completion.startswith("prep:"):
            tail = f" {completion.removeprefix('prep:')} {plural}"
        elif completion == "end":
            tail = ""
        elif completion in ("that", "should", "risk"):
            clauses = {"that": CLAUSES, "should": SHOULD_CLAUSES, "risk": RISK_CLAUSES}
            tail = " that " + rng.choice(clauses[completion]).format(noun=singular, topic=topic)
        elif completion == "risk_of":
            tail = f" of duplication of work in {plural}"
        elif completion in ("to", "verb", "obj"):
            lead = {"to": " to ", "verb": " ", "obj": " ITU to "}[completion]
            tail = lead + rng.choice(VERB_PHRASES).format(noun=singular, topic=topic)
        elif completion == "thank":
            tail = f" the proponents for {plural}"
        else:  # congratulate
            tail = f" the proponents on {plural}"
        return cue.text + tail, cue.text, target

    def _cue(self, stance: str, actor: _Actor, completion: str | None = None) -> _Cue:
        """Draw a cue of a stance that suits the actor's kind, number and possessives."""
        key = (stance, actor.kind, actor.possessives, completion)
        choices = self.vocabulary.choices.get(key)
        if choices is None:
            clash = _AGREE_SINGULAR if actor.is_plural else _AGREE_PLURAL
            clash = clash | (_POSSESSIVES - actor.possessives)
            choices = self.vocabulary.choices[key] = [
                cue
                for cue in self.vocabulary.cues.get(stance, ())
                if not clash.intersection(cue.text.lower().split())
                and (cue.kinds is None or actor.kind in cue.kinds)
                and (completion is None or cue.completion == completion)
            ]
        return self.rng.choice(choices)


# Words that disagree with a plural subject, and with a singular one.
_AGREE_SINGULAR = frozenset({"was"})
_AGREE_PLURAL = frozenset({"were"})


def _capital(text: str) -> str:
    """Capitalise the first letter only ("some other Member States" -> "Some other ...")."""
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------------------------------
# Many reports


def generate_reports(
    n: int, seed: int = 0, *, start: int = 0, first_meeting: int | None = None
) -> Iterator[SyntheticReport]:
    """Yield reports ``start`` .. ``start + n - 1`` of a seed, one at a time."""
    vocabulary = load_vocabulary()
    for index in range(start, start + n):
        yield generate_report(index, seed, first_meeting=first_meeting, vocabulary=vocabulary)


@dataclass(frozen=True)
class SyntheticCorpus:
    """Reports written to a folder, with the ground truth of all of them."""

    directory: Path
    paths: tuple[Path, ...]
    total_bytes: int
    statements: pd.DataFrame
    submitters: pd.DataFrame


def write_reports(
    directory: str | Path,
    n: int,
    seed: int = 0,
    *,
    formats: Sequence[Literal["txt", "docx"]] = ("txt",),
    first_meeting: int | None = None,
    start: int = 0,
) -> SyntheticCorpus:
    """Write ``n`` synthetic reports into a folder and return them with their ground truth.

    ``start`` and ``first_meeting`` are passed to :func:`generate_reports`. Reports are
    generated and written one at a time, so memory holds one text whatever ``n``.
    The folder must lie outside the project's ``data/`` folder: synthetic reports are never
    data.

    Raises
    ------
    CwgAnalysisError
        The folder lies under the project's ``data/`` folder.
    """
    import pandas as pd

    directory = Path(directory).resolve()
    for data_dir in {config.DATA_DIR.resolve(), Path(__file__).resolve().parents[1] / "data"}:
        if directory == data_dir or data_dir in directory.parents:
            raise CwgAnalysisError(
                f"{directory}: synthetic reports are never written under the project's data "
                f"folder ({data_dir}); write them to a temporary folder or build/bench/"
            )
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    total = 0
    statements: list[SyntheticStatement] = []
    owners: list[str] = []
    submitters: list[tuple[str, SyntheticSubmitter]] = []
    for report in generate_reports(n, seed, start=start, first_meeting=first_meeting):
        if "txt" in formats:
            path = directory / f"{report.name}.txt"
            total += path.write_bytes(report.text.encode("utf-8"))
            paths.append(path)
        if "docx" in formats:
            path = report.write_docx(directory / f"{report.name}.docx")
            total += path.stat().st_size
            paths.append(path)
        statements.extend(report.statements)
        owners.extend([report.name] * len(report.statements))
        submitters.extend((report.name, submitter) for submitter in report.submitters)
    submitter_frame = pd.DataFrame(
        {
            "report": pd.array([name for name, _ in submitters], dtype="string"),
            "doc_symbol": pd.array([s.doc_symbol for _, s in submitters], dtype="string"),
            "position": pd.array([s.position for _, s in submitters], dtype="Int64"),
            "country_code": pd.array([s.country_code for _, s in submitters], dtype="string"),
        }
    )
    return SyntheticCorpus(
        directory, tuple(paths), total, statements_frame(statements, owners), submitter_frame
    )


def statements_frame(
    statements: Sequence[SyntheticStatement], reports: Sequence[str] | None = None
) -> pd.DataFrame:
    """Return ground-truth statements as a frame with the contract's column names and dtypes.

    ``reports`` names the report (file stem) of each statement when they come from several.
    """
    import pandas as pd

    def column(name: str, dtype: str) -> pd.api.extensions.ExtensionArray:
        return pd.array([getattr(s, name) for s in statements], dtype=dtype)

    return pd.DataFrame(
        {
            "report": pd.array(
                list(reports) if reports is not None else [None] * len(statements),
                dtype="string",
            ),
            "meeting": column("meeting", "Int64"),
            "para_id": column("para_id", "string"),
            "actor_kind": column("actor_kind", "string"),
            "actor_label": column("actor_label", "string"),
            "country_code": column("country_code", "string"),
            "quantifier": column("quantifier", "string"),
            "count_min": column("count_min", "Int64"),
            "count_max": column("count_max", "Int64"),
            "is_other_group": column("is_other_group", "boolean"),
            "stance": column("stance", "string"),
            "target_symbol": column("target_symbol", "string"),
            "cue": column("cue", "string"),
            "sentence": column("sentence", "string"),
        }
    )
