"""Split paragraphs into attributed statements: actor, quantifier, stance and target.

The reports mostly anonymise speakers ("Some other Member States cautioned that ...").
A statement is one actor doing one thing in one clause; the rules are data in
``stance_cues.yaml`` (read that file first), this module only applies them:

1. A paragraph is split into sentences; a sentence into clauses, one per speaking actor.
2. The actor of a clause is its subject: at the start of the sentence or after its opening
   phrase, or any mention followed by a cue; later actors start a clause after a connector
   ("..., while some other Member States did not support ..."). "X, supported by several
   Member States, proposed ..." gives X a statement and the supporters another.
3. The stance is the highest-priority cue found in the clause after the actor; passive cues
   count only with a named agent ("was approved by the CWG").
4. The target is the first document named in the clause, else in the sentence, else (for
   "he/they") the antecedent's target, else the document the section discusses.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cwg_analysis.extraction import resolve_country_list
from cwg_analysis.patterns import alternation, literal_starts, trie
from cwg_analysis.symbols import find_symbols

if TYPE_CHECKING:
    from cwg_analysis.frames import Columns, DtypeSpec
    from cwg_analysis.reading.text import Paragraph

__all__ = [
    "ACTOR_KINDS",
    "CUES_PATH",
    "QUANTIFIERS",
    "STANCES",
    "STATEMENT_DTYPES",
    "CueVocabulary",
    "Statement",
    "extract_statements",
    "find_statements",
    "load_cues",
    "split_sentences",
]

CUES_PATH = Path(__file__).with_name("stance_cues.yaml")
STANCES = ("support", "oppose", "caution", "propose", "note", "inform", "thank", "decide")
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
_OTHER_KINDS = ("official", "chair", "group", "secretariat", "proponents")

STATEMENT_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "para_id": "string",
    "statement_no": "Int64",
    "sentence": "string",
    "actor_kind": ACTOR_KINDS,
    "actor_label": "string",
    "country_code": "string",
    "quantifier": QUANTIFIERS,
    "count_min": "Int64",
    "count_max": "Int64",
    "is_other_group": "boolean",
    "stance": STANCES,
    "target_symbol": "string",
    "cue": "string",
}

SUMMARY_REASON = "contribution summary: the document's content, not a statement at the meeting"


class Statement(NamedTuple):
    """One attributed statement found in a sentence."""

    sentence: str
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


class _Actor(NamedTuple):
    """An actor mention in a sentence."""

    start: int
    end: int
    kind: str  # an actor kind, or "pronoun"
    label: str
    quantifier: str | None = None
    count_min: int | None = None
    count_max: int | None = None
    is_other_group: bool = False
    country_code: str | None = None
    is_supporter: bool = False
    support_start: int = -1  # where "supported by" begins, for a supporter


class _CueEntry(NamedTuple):
    priority: int
    stance: str
    actors: frozenset[str] | None


@dataclass(frozen=True)
class CueVocabulary:
    """The compiled cue vocabulary of ``stance_cues.yaml`` (``raw`` is the file as read)."""

    raw: Mapping[str, Any]
    cues: re.Pattern[str]
    cue_rules: tuple[tuple[re.Pattern[str], _CueEntry], ...]
    actors: re.Pattern[str]
    actor_starts: re.Pattern[str]  # where an actor can start: where ``actors`` is tried
    quantifiers: Mapping[str, tuple[str | None, int | None, int | None]]
    plural_counts: tuple[int | None, int | None]
    after_actor: re.Pattern[str]
    patient: re.Pattern[str]
    passive_before: re.Pattern[str]
    blocker_before: re.Pattern[str]
    connector_before: re.Pattern[str]
    connector_points: re.Pattern[str]
    supporting_before: re.Pattern[str]
    named_prefix: re.Pattern[str]
    agent: re.Pattern[str]
    participle_by: re.Pattern[str]
    summary_sections: re.Pattern[str]


def _escaped(words: Sequence[str]) -> list[str]:
    """Return plain words escaped for a regex and phrases as they are."""
    return [re.escape(word) if word.isalpha() else word for word in words]


def _words(words: Sequence[str]) -> str:
    """Return an alternation of plain words (escaped) and phrases."""
    return alternation(_escaped(words))


def _starts(phrases: Sequence[str], path: Path) -> re.Pattern[str]:
    """Return a zero-width pattern that matches where one of the phrases can match.

    It holds the literal text each phrase starts with, as a trie: "(the )?vice[- ]?chair"
    gives "the vice" and "vice". A phrase that is all literal must end there (actors end at a
    word boundary): "they" does not match "theyre".
    """
    sequences = []
    for phrase in phrases:
        for tokens, whole in literal_starts(phrase.replace(" ", r"\s+")):
            if not tokens:
                raise ValueError(f"{path.name}: a phrase must start with a word: {phrase!r}")
            sequences.append([*tokens, r"(?![\w-])"] if whole else tokens)
    return re.compile(rf"(?<![\w-])(?={trie(sequences)})")


def _lowered(pattern: str, path: Path) -> str:
    """Return an actor phrase in lower case (actors are matched on lower-cased text)."""
    if re.search(r"\\[A-Z]", pattern):
        raise ValueError(
            f"{path.name}: actor phrase uses an upper-case escape (write [^\\s] for \\S): "
            f"{pattern!r}"
        )
    return pattern.lower()


def _check_strings(raw: Any, path: Path, where: str = "") -> None:
    """Raise on a non-string in a list of the vocabulary (YAML reads `on`, `no` as booleans)."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            _check_strings(value, path, f"{where}.{key}" if where else str(key))
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, (dict, list)):
                _check_strings(item, path, where)
            elif not isinstance(item, str):
                raise ValueError(
                    f"{path.name}: {where}: not a string: {item!r} (quote it in the YAML)"
                )


@functools.cache
def load_cues(path: Path = CUES_PATH) -> CueVocabulary:
    """Read and compile the cue vocabulary (cached; pass another path to try a variant)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's is 5x faster
    with path.open(encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=loader)
    _check_strings(raw, path)
    entries: list[tuple[str, _CueEntry]] = []
    for priority, group in enumerate(raw["stances"]):
        if group["stance"] not in STANCES:
            raise ValueError(f"{path.name}: stances: unknown stance: {group['stance']!r}")
        actors = frozenset(group["actors"]) if group.get("actors") else None
        entries += [(cue, _CueEntry(priority, group["stance"], actors)) for cue in group["cues"]]
    bounded = r"(?<![\w-])(?:{})(?![\w-])"
    cue_rules = tuple(
        (re.compile(cue.replace(" ", r"\s+")), entry)
        for cue, entry in sorted(entries, key=lambda item: -len(item[0]))
    )
    quantifiers: dict[str, tuple[str | None, int | None, int | None]] = {}
    for rule in raw["quantifiers"]:
        for word in rule["words"]:
            quantifiers[_lowered(word, path)] = (
                rule["quantifier"],
                rule["count_min"],
                rule["count_max"],
            )
    nouns = {
        key: [_lowered(noun, path) for noun in values]
        for key, values in raw["member_state_nouns"].items()
    }
    # "(?:x|)" matches as "(?:x)?" does, without the regex engine's repeat bookkeeping: these
    # optional words are tried at every word of every sentence
    member_states = (
        rf"(?:(?P<q>{_words([*quantifiers, 'the'])})\s+|)(?:(?P<other>other\s+)|)"
        rf"(?:(?:{_words(nouns['adjectives'])})\s+|)"
        rf"(?:(?P<plural>{alternation(nouns['plural'])}|(?P<other_noun>{alternation(nouns['other'])}))"
        rf"|(?(q)(?P<singular>{alternation(nouns['singular'])})|(?!)))"
    )
    kinds = "|".join(
        f"(?P<{kind}>{alternation([_lowered(p, path) for p in raw['actors'][kind]])})"
        for kind in _OTHER_KINDS
    )
    pronouns = [_lowered(word, path) for word in raw["pronouns"]]
    actors = re.compile(  # matched on the lower-cased sentence (faster than IGNORECASE)
        bounded.format(
            rf"(?P<member_states>{member_states})|{kinds}|(?P<pronoun>{_words(pronouns)})"
        )
    )
    # Member States: a quantifier or "the", "other", an adjective, a noun (each may be left
    # out but the noun); their first two words are enough to try the full pattern only where
    # it can match ("the proposal" is not tried, "the Member States" is).
    any_noun = [*nouns["plural"], *nouns["other"], *nouns["singular"]]
    after_other = [*nouns["adjectives"], *any_noun]
    member_starts = [
        *(f"{q} {word}" for q in [*quantifiers, "the"] for word in ["other", *after_other]),
        *(f"other {word}" for word in after_other),
        *(f"{adjective} {noun}" for adjective in nouns["adjectives"] for noun in any_noun),
        *nouns["plural"],
        *nouns["other"],
    ]
    other_starts = [_lowered(p, path) for kind in _OTHER_KINDS for p in raw["actors"][kind]]
    starts = [*member_starts, *other_starts, *pronouns]
    adverbs = _words(raw["adverbs"])
    cue_alternation = alternation([cue for cue, _ in entries])
    auxiliaries = _words(raw["passive_auxiliaries"])
    plural = raw["unquantified_plural"]
    words = [word for word in raw["connectors"] if word.isalpha()]
    connectors = _words(words)
    joining = [*_escaped([*words, *raw["member_examples"]]), *raw["supporting_phrases"]]
    capital_ahead = r"(?=(?:[Tt]he\s+)?[A-Z])"
    space_capital = rf"\s+{capital_ahead}"
    return CueVocabulary(
        raw=raw,
        cues=re.compile(bounded.format(cue_alternation)),
        cue_rules=cue_rules,
        actors=actors,
        actor_starts=_starts(starts, path),
        quantifiers=quantifiers,
        plural_counts=(plural["count_min"], plural["count_max"]),
        after_actor=re.compile(rf"[\s,]*(?:(?:{adverbs})[\s,]+)*(?:{cue_alternation})(?![\w-])"),
        patient=re.compile(
            rf"\s+(?:{auxiliaries}|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
            rf"(?:{_words(raw['patient_verbs'])})(?![\w-])",
            re.IGNORECASE,
        ),
        passive_before=re.compile(
            rf"(?<![\w-])(?:{auxiliaries})\s+(?:\w+ly\s+)?(?:\w+ed\s*(?:,|and|or)\s+)?"
            rf"(?:\w+ly\s+)?$",
            re.IGNORECASE,
        ),
        blocker_before=re.compile(
            rf"(?<![\w-])(?:{_words(raw['prepositions'] + raw['member_examples'])})\s+$",
            re.IGNORECASE,
        ),
        connector_before=re.compile(rf"(?:[,;]\s*|(?<![\w-])(?:{connectors})\s+)$", re.IGNORECASE),
        connector_points=re.compile(  # each branch starts with a letter: see _alternation
            rf"(?:;\s*{capital_ahead}|,\s*{capital_ahead}|"
            rf"{alternation(joining, word_start=True, suffix=space_capital)})"
        ),
        participle_by=re.compile(r"\s+by\s"),
        supporting_before=re.compile(
            rf",?\s*(?<![\w-])(?:{alternation(raw['supporting_phrases'])})\s+$", re.IGNORECASE
        ),
        named_prefix=re.compile(
            rf"(?:{alternation(raw['named_state_prefixes'])})\s+", re.IGNORECASE
        ),
        agent=re.compile(r"\s+by\s+"),
        summary_sections=re.compile(
            rf"\b(?:{alternation(raw['summary_sections'])})\b", re.IGNORECASE
        ),
    )


@functools.lru_cache(maxsize=2048)
def _cue_entries(text: str) -> tuple[_CueEntry, ...]:
    """Return every stance entry whose cue phrase matches exactly this text."""
    return tuple(entry for rule, entry in load_cues().cue_rules if rule.fullmatch(text))


# --- sentences -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(]?[A-Z])")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]$")
_ABBREVIATIONS = frozenset(
    (  # noqa: SIM905 (a word list reads best as words)
        "mr ms mrs dr prof res rev no nos doc docs e.g i.e etc st vol para paras art fig sect cf "
        "vs op approx jan feb mar apr jun jul aug sep sept oct nov dec p pp corr add "
        "dem rep fed isl plurinat"  # ITU names: "Dem. People's Rep. of Korea"
    ).split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) span of each sentence; abbreviations and initials do not end one.

    >>> text = "Mr. V. Erokhin spoke. Some Member States (Res. 101) agreed."
    >>> [text[start:end] for start, end in split_sentences(text)]
    ['Mr. V. Erokhin spoke.', 'Some Member States (Res. 101) agreed.']
    """
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = _LAST_WORD.search(text, max(start, match.start() - 30), match.start() + 1)
        token = word.group(1).lower() if word else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or "." in token:
            continue  # "Mr.", "V. Erokhin", "D.R. Congo", "U.S.": not the end of a sentence
        spans.append((start, match.start() + len(match.group().rstrip())))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# --- actors ----------------------------------------------------------------------------------

_NAME_TOKEN = re.compile(r"\s*(\([^()]{1,40}\)|,|[^\s,()]+)")
_NAME_JOINERS = frozenset({"of", "and", "the", "de", "da", "du", "del", "des"})


def _name_run(text: str, position: int) -> tuple[int, int] | None:
    """Return the span of a run of capitalised words starting at position (a candidate name)."""
    end = pos = position
    for count in range(16):  # the longest ITU country name has fewer words
        match = _NAME_TOKEN.match(text, pos)
        if match is None:
            break
        token = match.group(1)
        if token[:1].isupper() or token[:2] in ("d'", "d’") or (token[0] == "(" and count):
            if not (count == 0 and token == "The"):
                end = match.end()
        elif not (token in _NAME_JOINERS or token == ","):
            break
        pos = match.end()
    return (position, end) if end > position else None


@functools.lru_cache(maxsize=8192)
def _resolve_names(text: str) -> tuple[tuple[str, str], ...]:
    """Return the states a run of capitalised words names, or () when it names none."""
    if not text or text.endswith(("'s", "’s")):
        return ()
    return tuple(resolve_country_list(text, strict=False))


def _named_states(sentence: str, position: int, cues: CueVocabulary) -> list[_Actor]:
    """Return the named states whose names start at position ("Brazil and India", "India")."""
    prefix = cues.named_prefix.match(sentence, position)
    start = prefix.end() if prefix else position
    run = _name_run(sentence, start)
    if run is None:
        return []
    text = sentence[run[0] : run[1]].rstrip(".,;:")
    names = _resolve_names(text)
    if not names:
        return []
    end = start + len(text)
    return [
        _Actor(
            position,
            end,
            "member_state",
            sentence[position:end] if len(names) == 1 else name,
            "named",
            1,
            1,
            False,
            code,
        )
        for name, code in names
    ]


def _lower(text: str) -> str:
    """Return the text lower-cased, keeping every character at its index."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _actor_from_match(match: re.Match[str], sentence: str, cues: CueVocabulary) -> _Actor:
    """Return the actor a match of the actor pattern (on the lower-cased sentence) stands for."""
    start, end = match.span()
    label = sentence[start:end]
    kind = match.lastgroup  # the kind's group encloses the others, so it closes last
    if kind != "member_states":
        return _Actor(start, end, kind, label)  # "pronoun" or one of _OTHER_KINDS
    word = " ".join((match["q"] or "").split())
    if word in ("", "the"):
        quantifier, low, high = (
            ("one", 1, 1) if match["singular"] is not None else (None, *cues.plural_counts)
        )
    else:
        quantifier, low, high = cues.quantifiers[word]
    return _Actor(
        start,
        end,
        "member_states",
        label,
        quantifier,
        low,
        high,
        match["other"] is not None or match["other_noun"] is not None,
    )


def _scan(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Yield the matches ``pattern.finditer(text)`` gives, trying the pattern only where
    ``starts`` says a match can start: for the actors, a scan for their first two words saves
    trying the whole pattern at every "the" (the actor scan takes 14% less time).
    """
    end = 0
    for start in starts.finditer(text):  # zero-width: every place is tried
        if start.start() >= end:
            match = pattern.match(text, start.start())
            if match:
                yield match
                end = match.end()


def _candidate_actors(sentence: str, cues: CueVocabulary) -> list[_Actor]:
    """Return every actor mention of a sentence: phrases, pronouns and named states."""
    found = [
        _actor_from_match(match, sentence, cues)
        for match in _scan(cues.actors, cues.actor_starts, _lower(sentence))
    ]
    phrase_starts = {actor.start for actor in found}
    points = {0}
    comma = sentence.find(", ")
    if 0 < comma < 200:
        points.add(comma + 2)
    points.update(match.end() for match in cues.connector_points.finditer(sentence))
    named: list[_Actor] = []
    for point in sorted(points):
        if named and point < named[-1].end:
            continue  # inside a list already read ("Brazil and India")
        if point >= len(sentence) or not (
            sentence[point].isupper() or sentence.startswith("the ", point)
        ):
            continue
        if point in phrase_starts and not cues.named_prefix.match(sentence, point):
            continue  # "Some Member States", "The Chairman": not a country's name
        named += _named_states(sentence, point, cues)
    if named:  # "The delegation of Brazil" is Brazil, not "The delegation"
        found = [
            actor
            for actor in found
            if not any(state.start <= actor.start < state.end for state in named)
        ]
    return sorted(found + named, key=lambda actor: actor.start)


def _is_at_opening(sentence: str, actor: _Actor) -> bool:
    """Return whether the actor stands at the start of the sentence or after its opening phrase."""
    if actor.start == 0:
        return True
    comma = sentence.find(", ")
    return 0 < comma < 200 and actor.start == comma + 2


def _select_subjects(sentence: str, cues: CueVocabulary) -> list[_Actor]:
    """Return the actors that speak in the sentence, in order (supporters flagged)."""
    subjects: list[_Actor] = []
    for actor in _candidate_actors(sentence, cues):
        if subjects and actor.start < subjects[-1].end:
            if actor.start == subjects[-1].start and actor.kind == "member_state":
                subjects.append(
                    actor._replace(  # "Brazil and India": one clause, two states
                        is_supporter=subjects[-1].is_supporter,
                        support_start=subjects[-1].support_start,
                    )
                )
            continue
        tail = sentence[max(0, actor.start - 40) : actor.start]
        following = sentence[actor.end : actor.end + 3]
        if following.startswith(("'s", "’s")) or cues.patient.match(sentence, actor.end):
            continue
        supporting = cues.supporting_before.search(tail)
        if supporting and subjects:
            start = actor.start - len(tail) + supporting.start()
            subjects.append(actor._replace(is_supporter=True, support_start=start))
            continue
        has_cue = cues.after_actor.match(sentence, actor.end) is not None
        if not subjects:
            is_subject = _is_at_opening(sentence, actor) or (
                has_cue and not cues.blocker_before.search(tail)
            )
        else:
            is_subject = (
                has_cue
                and bool(cues.connector_before.search(tail))
                and not cues.blocker_before.search(tail)
            )
        if is_subject:
            subjects.append(actor)
    return subjects


# --- stances ---------------------------------------------------------------------------------


class _Stance(NamedTuple):
    stance: str
    cue: str


class _Cue(NamedTuple):
    """A cue found in a sentence, with what decides whether it counts."""

    start: int
    text: str
    entries: tuple[_CueEntry, ...]
    is_passive: bool
    agent: _Actor | None  # the named agent of a passive ("approved by the CWG")
    is_participle: bool  # ", supported by X," describes someone else's act


def _find_cues(sentence: str, cues: CueVocabulary) -> list[_Cue]:
    """Return every cue of a sentence, in order."""
    found = []
    for match in cues.cues.finditer(sentence):
        text = match.group()
        before = sentence[max(0, match.start() - 40) : match.start()]
        is_passive = cues.passive_before.search(before) is not None
        agent = _agent(sentence, match.end(), cues) if is_passive else None
        is_participle = not is_passive and cues.participle_by.match(sentence, match.end())
        found.append(
            _Cue(match.start(), text, _cue_entries(text), is_passive, agent, bool(is_participle))
        )
    return found


def _find_stance(
    found: Sequence[_Cue], segments: Sequence[tuple[int, int]], kind: str
) -> tuple[_Stance | None, str | None]:
    """Return the winning stance of a clause and, if none, a passive cue that was skipped."""
    best: tuple[int, int, str, str] | None = None  # priority, position, stance, cue
    skipped_passive = None
    for cue in found:
        if not any(start <= cue.start < end for start, end in segments):
            continue
        if cue.is_participle:
            continue
        if cue.is_passive and (cue.agent is None or cue.agent.kind != kind):
            skipped_passive = skipped_passive or cue.text
            continue
        for entry in cue.entries:
            if entry.actors is not None and kind not in entry.actors:
                continue
            candidate = (entry.priority, cue.start, entry.stance, cue.text)
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return None, skipped_passive
    return _Stance(best[2], best[3]), None


def _agent(sentence: str, position: int, cues: CueVocabulary) -> _Actor | None:
    """Return the agent of a passive cue ending at position ("... approved by the CWG")."""
    by = cues.agent.match(sentence, position)
    if by is None:
        return None
    match = cues.actors.match(_lower(sentence), by.end())
    return _actor_from_match(match, sentence, cues) if match else None


def _passive_agent_statement(found: Sequence[_Cue]) -> tuple[_Actor, _Stance] | None:
    """Return the agent and stance of a sentence without a subject ("was approved by the CWG")."""
    for cue in found:
        if cue.agent is None or cue.agent.kind == "pronoun":
            continue
        for entry in cue.entries:
            if entry.actors is None or cue.agent.kind in entry.actors:
                return cue.agent, _Stance(entry.stance, cue.text)
    return None


# --- statements ------------------------------------------------------------------------------


@dataclass
class _ParagraphState:
    """What the sentences of one paragraph found so far (for pronouns and the reason)."""

    previous: Statement | None = None
    actor_without_cue: str | None = None
    passive_cue: str | None = None
    cue_without_actor: str | None = None
    orphan_pronoun: str | None = None

    def reason(self) -> str:
        """Return why the paragraph yielded no statement."""
        if self.actor_without_cue:
            return f"no statement: actor without a stance cue: {self.actor_without_cue!r}"
        if self.passive_cue:
            return f"no statement: passive voice without an agent: {self.passive_cue!r}"
        if self.orphan_pronoun:
            return f"no statement: pronoun without an antecedent: {self.orphan_pronoun!r}"
        if self.cue_without_actor:
            return f"no statement: stance cue without an actor: {self.cue_without_actor!r}"
        return "no statement: no actor and no stance cue"


def _sentence_statements(
    sentence: str,
    cue_list: list[_Cue],
    context: str | None,
    state: _ParagraphState,
    cues: CueVocabulary,
    submitter_counts: Mapping[str, int],
) -> list[Statement]:
    """Return the statements of one sentence (its cues found), updating the paragraph state."""
    subjects = _select_subjects(sentence, cues)
    speakers = [subject for subject in subjects if not subject.is_supporter]
    symbols = find_symbols(sentence) if "/" in sentence else []
    sentence_target = symbols[0].symbol if symbols else None
    if not speakers:
        found = _passive_agent_statement(cue_list)
        if found is None:
            stance, passive = _find_stance(cue_list, [(0, len(sentence))], "")
            state.passive_cue = state.passive_cue or passive
            if stance is not None:
                state.cue_without_actor = state.cue_without_actor or stance.cue
            return []
        agent, stance = found
        statement = _statement(
            sentence, agent, stance, sentence_target or context, submitter_counts
        )
        state.previous = statement
        return [statement]
    statements: list[Statement] = []
    cue_starts = [cue.start for cue in cue_list]
    symbol_starts = [found.start for found in symbols]
    for subject, supporters, end in _clauses(subjects, len(sentence)):
        segments, start = [], subject.end
        for supporter in supporters:
            segments.append((start, supporter.support_start))
            start = supporter.end
        segments.append((start, end))
        clause_cues = cue_list[bisect_left(cue_starts, subject.end) : bisect_left(cue_starts, end)]
        clause_symbols = symbols[
            bisect_left(symbol_starts, subject.end) : bisect_left(symbol_starts, end)
        ]
        actor = subject
        if subject.kind == "pronoun":
            antecedent = state.previous
            if antecedent is None:
                state.orphan_pronoun = state.orphan_pronoun or subject.label
                continue
            actor = _Actor(
                subject.start,
                subject.end,
                antecedent.actor_kind,
                subject.label,
                antecedent.quantifier,
                antecedent.count_min,
                antecedent.count_max,
                antecedent.is_other_group,
                antecedent.country_code,
            )
        stance, passive = _find_stance(clause_cues, segments, actor.kind)
        if stance is None:
            state.actor_without_cue = state.actor_without_cue or subject.label
            state.passive_cue = state.passive_cue or passive
            continue
        target = (
            next(
                (
                    found.symbol
                    for found in clause_symbols
                    if any(a <= found.start < b for a, b in segments)
                ),
                None,
            )
            or sentence_target
            or (
                state.previous.target_symbol
                if subject.kind == "pronoun" and state.previous
                else None
            )
            or context
        )
        own = _statement(sentence, actor, stance, target, submitter_counts)
        statements.append(own)
        statements += [
            _statement(sentence, supporter, _Stance("support", supporter_cue), target, {})
            for supporter in supporters
            for supporter_cue in [sentence[supporter.support_start : supporter.start].strip(" ,")]
        ]
        state.previous = own
    return statements


def _clauses(subjects: Sequence[_Actor], length: int) -> list[tuple[_Actor, list[_Actor], int]]:
    """Return each speaker with its supporters and where its clause ends (linear in subjects).

    A clause ends where the next speaker starts; states named together ("Brazil and India")
    share one start and so one clause.
    """
    clauses: list[tuple[_Actor, list[_Actor]]] = []
    for subject in subjects:
        if not subject.is_supporter:
            clauses.append((subject, []))
        elif clauses:
            clauses[-1][1].append(subject)
    ends = [length] * len(clauses)
    after = length
    index = len(clauses) - 1
    while index >= 0:
        first = index
        while first > 0 and clauses[first - 1][0].start == clauses[index][0].start:
            first -= 1
        for member in range(first, index + 1):
            ends[member] = after
        after = clauses[index][0].start
        index = first - 1
    return [
        (subject, supporters, end) for (subject, supporters), end in zip(clauses, ends, strict=True)
    ]


def _statement(
    sentence: str,
    actor: _Actor,
    stance: _Stance,
    target: str | None,
    submitter_counts: Mapping[str, int],
) -> Statement:
    """Return the statement of one actor."""
    low, high = actor.count_min, actor.count_max
    if actor.kind == "proponents" and target in submitter_counts:
        low = high = submitter_counts[target]
    return Statement(
        sentence=sentence,
        actor_kind=actor.kind,
        actor_label=actor.label,
        country_code=actor.country_code,
        quantifier=actor.quantifier,
        count_min=low,
        count_max=high,
        is_other_group=actor.is_other_group,
        stance=stance.stance,
        target_symbol=target,
        cue=stance.cue,
    )


def find_statements(
    text: str,
    *,
    context: str | None = None,
    submitter_counts: Mapping[str, int] | None = None,
) -> list[Statement]:
    """Return the attributed statements of one paragraph's text, in order.

    ``context`` is the document the section discusses (the target when the text names none).

    >>> [(s.actor_label, s.stance) for s in find_statements(
    ...     "Some Member States supported the proposal while some other Member States "
    ...     "did not support the proposal.")]
    [('Some Member States', 'support'), ('some other Member States', 'oppose')]
    """
    return _paragraph_statements(text, context, load_cues(), submitter_counts or {})[0]


def _paragraph_statements(
    text: str, context: str | None, cues: CueVocabulary, submitter_counts: Mapping[str, int]
) -> tuple[list[Statement], _ParagraphState]:
    """Return the statements of a paragraph and what it found (the reason when it has none).

    A sentence without a cue yields no statement and leaves nothing a later sentence reads, so
    it is skipped; only a paragraph that yields nothing is read in full, for the reason.
    """
    sentences = [text[start:end] for start, end in split_sentences(text)]
    found = [(sentence, _find_cues(sentence, cues)) for sentence in sentences]
    with_cues = [(sentence, cue_list) for sentence, cue_list in found if cue_list]
    for part in (with_cues, found) if len(with_cues) < len(found) else (found,):
        state = _ParagraphState()
        statements: list[Statement] = []
        for sentence, cue_list in part:
            statements += _sentence_statements(
                sentence, cue_list, context, state, cues, submitter_counts
            )
        if statements:
            break
    return statements, state


@functools.lru_cache(maxsize=1024)  # every paragraph of a section asks again
def _is_summary_section(title: str) -> bool:
    """Return whether a section title announces a summary of contributions."""
    return load_cues().summary_sections.search(title) is not None


def extract_statements(
    records: Sequence[Paragraph],
    contexts: Sequence[str | None],
    meeting: int | None,
    *,
    submitter_counts: Mapping[str, int] | None = None,
) -> tuple[Columns, dict[str, str]]:
    """Return the statements of a report (as columns) and, per paragraph without one, why.

    One row per statement; key (para_id, statement_no). ``contexts`` gives, per paragraph,
    the document its section discusses (:func:`cwg_analysis.extraction.find_context_symbols`);
    ``submitter_counts`` the number of submitters per document (the count of "the proponents").
    Headings and the paragraphs of a contribution-summary section yield no statement.
    """
    cues = load_cues()
    counts = submitter_counts or {}
    para_ids: list[str] = []
    numbers: list[int] = []
    found: list[Statement] = []
    reasons: dict[str, str] = {}
    for record, context in zip(records, contexts, strict=True):
        if record.kind == "header":
            reasons[record.para_id] = "report header: read into the meeting table"
            continue
        if record.kind == "heading":
            reasons[record.para_id] = "heading: a title, not a statement"
            continue
        if record.section_title and _is_summary_section(record.section_title):
            reasons[record.para_id] = SUMMARY_REASON
            continue
        statements, state = _paragraph_statements(record.text, context, cues, counts)
        if not statements:
            reasons[record.para_id] = state.reason()
        para_ids += [record.para_id] * len(statements)
        numbers += range(1, len(statements) + 1)
        found += statements
    columns = list(zip(*found, strict=True)) or [()] * len(Statement._fields)
    rows: Columns = {
        "meeting": [meeting] * len(found),
        "para_id": para_ids,
        "statement_no": numbers,
    }
    rows.update(
        (name, list(values)) for name, values in zip(Statement._fields, columns, strict=True)
    )
    return rows, reasons
