"""Build fast regular expressions from lists of phrases (cue vocabularies, topic keywords).

Python's regex engine tries an alternation branch by branch at every position; the helpers
here group phrases by their first letter so that a scan costs about the same whatever the
number of phrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["alternation", "expand_leading_groups", "literal_prefix", "literal_starts", "trie"]


def _leading_group(pattern: str) -> tuple[list[str], bool, str] | None:
    """Split "(a|b)?rest" into (["a", "b"], optional, "rest"); None if it does not start so."""
    if not pattern.startswith("(") or pattern.startswith("(?"):
        return None
    closing = pattern.find(")")
    inner, rest = pattern[1:closing], pattern[closing + 1 :]
    if closing < 0 or "(" in inner or rest[:1] in ("*", "+", "{"):  # left as they are
        return None
    optional = rest.startswith("?")
    return inner.split("|"), optional, rest[1:] if optional else rest


def expand_leading_groups(pattern: str, limit: int = 64) -> list[str]:
    """Return the phrase with its leading groups written out: "(a|b) c" -> ["a c", "b c"]."""
    done: list[str] = []
    todo = [pattern]
    while todo:
        current = todo.pop()
        group = _leading_group(current)
        if group is None or len(done) + len(todo) >= limit:
            done.append(current)
            continue
        alternatives, optional, rest = group
        todo += [alternative + rest for alternative in alternatives]
        if optional:
            todo.append(rest.lstrip())
    return done


def literal_starts(pattern: str, limit: int = 64) -> list[tuple[list[str], bool]]:
    """Return the literal beginnings of a regex phrase, as :func:`literal_prefix` gives them,
    its groups written out as far as the literal text goes.

    >>> [("".join(tokens), whole) for tokens, whole in literal_starts("(vice-)?chair(man)?")]
    [('chair', True), ('chairman', True), ('vice-chair', True), ('vice-chairman', True)]
    """
    done: list[tuple[list[str], bool]] = []
    todo = [pattern]
    while todo:
        current = todo.pop()
        tokens, whole = literal_prefix(current)
        head = "".join(tokens)
        group = (
            None if whole or not current.startswith(head) else _leading_group(current[len(head) :])
        )
        if group is None or len(done) + len(todo) >= limit:
            done.append((tokens, whole))
            continue
        alternatives, optional, rest = group
        todo += [head + alternative + rest for alternative in alternatives]
        if optional:
            todo.append(head + rest)
    return done


def _non_capturing(phrase: str) -> str:
    """Return a regex phrase with its plain groups made non-capturing: "(a|b)" -> "(?:a|b)".

    The vocabulary's groups only group (its phrases share one pattern, so a group number would
    mean nothing); the regex engine saves and restores every capturing group each time it
    tries an alternative, which made the actor scan about 30% slower.
    """
    out = []
    index = 0
    while index < len(phrase):
        char = phrase[index]
        if char == "\\":  # an escaped character, kept as it is
            out.append(phrase[index : index + 2])
            index += 2
            continue
        if char == "[":  # a character class, kept as it is ("[(]", "[]a]" and "[^]a]" too)
            end = index + 1
            end += phrase.startswith("^", end)
            end += phrase.startswith("]", end)  # a "]" first in a class is a character
            while end < len(phrase) and phrase[end] != "]":
                end += 2 if phrase[end] == "\\" else 1
            out.append(phrase[index : end + 1])
            index = end + 1
            continue
        out.append("(?:" if char == "(" and not phrase.startswith("?", index + 1) else char)
        index += 1
    return "".join(out)


def alternation(patterns: Sequence[str], *, word_start: bool = False, suffix: str = "") -> str:
    r"""Join regex phrases into one alternation, longest first (so specific phrases win).

    The phrases are grouped by their first letter ("s(?:upported|uggested)|c(?:autioned)"):
    the regex engine then tries one branch per letter instead of every phrase at every
    position, which makes the scan several times faster with the same matches. Leading
    groups are written out first ("(was|were) against" -> "was against", "were against"),
    the others made non-capturing. ``suffix`` follows every phrase.

    With ``word_start``, a phrase matches only where a word starts (not after a letter, digit,
    "_" or "-"). The check follows each branch's first letter ("s(?<![\w-]s)..."), so that a
    search skips to the positions holding a first letter in one quick scan: faster than a check
    in front of the alternation when few letters start the phrases (the connectors: 20 ms
    against 35 ms over 1.1 MB), slower when most letters do (the cues: 43 ms against 25 ms).
    """
    buckets: dict[str, list[str]] = {}
    others: list[str] = []
    for pattern in dict.fromkeys(patterns):
        for expanded in expand_leading_groups(pattern.replace(" ", r"\s+")):
            phrase = _non_capturing(expanded)
            if phrase[:1].isalpha() and phrase[1:2] not in ("?", "*", "+", "{"):
                buckets.setdefault(phrase[0], []).append(phrase[1:])
            elif phrase:
                others.append(phrase)

    def longest_first(phrases: list[str]) -> str:
        ordered = sorted(dict.fromkeys(phrases), key=lambda phrase: (-len(phrase), phrase))
        return "|".join(f"(?:{phrase})" for phrase in ordered)

    def after(first: str) -> str:
        return rf"(?<![\w-]{first})" if word_start else ""

    parts = [
        f"{re.escape(first)}{after(re.escape(first))}(?:{longest_first(rest)}){suffix}"
        for first, rest in sorted(buckets.items())
    ]
    if others:  # phrases that do not start with a plain letter (rare) are tried first
        parts.insert(0, f"{after('')}(?:{longest_first(others)}){suffix}")
    return "|".join(parts)


_LITERAL_TOKEN = re.compile(r"[\w'’-]|\\s\+")
_QUANTIFIERS = ("?", "*", "{")


def literal_prefix(phrase: str) -> tuple[list[str], bool]:
    """Return the tokens (characters and ``\\s+``) every match of a regex phrase starts with,
    and whether they are the whole phrase.

    >>> literal_prefix(r"the\\s+vice[-\\s+]?chair")
    (['t', 'h', 'e', '\\\\s+', 'v', 'i', 'c', 'e'], False)
    >>> literal_prefix(r"proponents?")[0][-1]
    't'
    """
    tokens, position = [], 0
    while (token := _LITERAL_TOKEN.match(phrase, position)) is not None:
        tokens.append(token.group())
        position = token.end()
    if phrase[position : position + 1] in _QUANTIFIERS and tokens:
        tokens.pop()  # "proponents?": the last character is optional
    return tokens, position == len(phrase)


def trie(sequences: Sequence[Sequence[str]]) -> str:
    """Return a regex matching any of the token sequences, their shared beginnings written once.

    ``th(?:e(?:\\s+(?:chair|group)|y))`` tries one branch per next character: the cost of a
    failed attempt hardly grows with the number of sequences. A sequence may end with a
    zero-width token (``(?![\\w-])``); an empty sequence matches the empty string.
    """
    root: dict = {}
    for sequence in sequences:
        node = root
        for token in sequence:
            node = node.setdefault(token, {})
        node[""] = {}  # the end of a sequence

    def emit(node: dict) -> str:
        if not node:
            return ""
        branches = [
            ("" if token == "" else (token if len(token) > 1 else re.escape(token))) + emit(child)
            for token, child in sorted(node.items())
        ]
        if len(branches) == 1:
            return branches[0]
        return f"(?:{'|'.join(branches)})"

    return emit(root)
