"""The reader's data files (rules/*.yaml), loaded once and checked.

Target rules, ConText rules and the extractor tables are data, not code: this module only reads
them, validates them against the finding ids, and compiles the regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from backstride.data_files import read_yaml
from backstride.errors import KnowledgeBaseError

RULES_DIR = Path(__file__).parent / "rules"

_AFFIRMED = ("yes", "uncertain", "ignore")
_CONTEXT_KINDS = ("negated", "uncertain", "hypothetical", "historical", "family", "someone_else")


def whole_words(pattern: str) -> str:
    """Wrap a regular expression so a word character at either edge must be a whole word."""
    return rf"(?:(?<!\w)|(?!\w))(?:{pattern})(?:(?!\w)|(?<!\w))"


LOWER_ASCII = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_END_GUARD = r"(?:(?!\w)|(?<!\w))"


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class FastPattern:
    """A rules-file pattern compiled for speed: case-sensitive on lower-cased text (so the regex
    engine can skip ahead to possible first characters), whole words only, with the
    start-of-word check done in Python rather than as a leading look-behind (which would keep
    the engine from skipping ahead)."""

    def __init__(self, pattern: str) -> None:
        self.on_original = "(?-i:" in pattern  # a case-sensitive part ("AS"): needs the real case
        flags = re.IGNORECASE if self.on_original else 0
        self.rx = re.compile(f"(?:{pattern}){_END_GUARD}", flags)

    def spans(self, text: str, lowered: str) -> list[tuple[int, int]]:
        subject = text if self.on_original else lowered
        out, pos = [], 0
        while (m := self.rx.search(subject, pos)) is not None:
            start, end = m.span()
            if (
                start > 0
                and _is_word(subject[start - 1])
                and start < end
                and _is_word(subject[start])
            ):
                pos = start + 1  # starts inside a word: try again just after
                continue
            if end > start:
                out.append((start, end))
            pos = end if end > start else start + 1
        return out


@dataclass(frozen=True)
class TargetGroup:
    """One group of target rules (see the header of rules/targets.yaml)."""

    key: str
    ids: tuple[str, ...]
    value: bool
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]
    needs: str | None
    exclude: tuple[FastPattern, ...]
    affirmed: str
    denied: str
    ignore: frozenset[str]
    implies: tuple[tuple[str, bool], ...]
    family_id: str | None


@dataclass(frozen=True)
class ContextRuleData:
    """One ConText modifier rule, as written in rules/context.yaml."""

    literal: str
    category: str
    direction: str
    pattern: str | None
    max_scope: int | None
    stop: str | None
    terminated_by: tuple[str, ...]
    applies_to: tuple[str, ...]


@dataclass(frozen=True)
class FindingInfo:
    """What the reader needs to know about the findings: category, red flags, past-tense ones."""

    categories: Mapping[str, str]
    red_flags: frozenset[str]
    history: frozenset[str]

    @property
    def ids(self) -> frozenset[str]:
        """Every finding id the reader may produce."""
        return frozenset(self.categories)


def _load(name: str) -> Any:
    # Parsed once per process (data_files caches it), however many sections read it.
    return read_yaml(RULES_DIR / name, f"reader/rules/{name}")


def _compile(file: str, entry: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(whole_words(pattern), re.IGNORECASE)
    except re.error as exc:
        raise KnowledgeBaseError(file, entry, "pattern", f"{pattern!r}: {exc}") from None


_UPPER = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]")


@cache
def fast_pattern(pattern: str) -> FastPattern:
    """The FastPattern of one rules-file pattern, compiled once per process: the rules' checks
    and the pipeline's matcher share it (hundreds of patterns, each costly to compile)."""
    return FastPattern(pattern)


def _fast(file: str, entry: str, pattern: str) -> FastPattern:
    """Check a pattern and compile it for matching on lower-cased text."""
    try:
        compiled = fast_pattern(pattern)
    except re.error as exc:
        raise KnowledgeBaseError(file, entry, "pattern", f"{pattern!r}: {exc}") from None
    if "(?-i:" not in pattern and _UPPER.search(pattern):
        raise KnowledgeBaseError(
            file,
            entry,
            "pattern",
            f"{pattern!r}: write patterns in lower case, or mark a "
            "case-sensitive part with (?-i:...)",
        )
    return compiled


@cache
def findings() -> FindingInfo:
    """Finding id -> category, and the red flags, from rules/findings.yaml: the reader's copy of
    the knowledge base's `Finding.category` and `Finding.red_flag`. The reader does not load the
    knowledge base for them (that took about 1 s at every start of `backstride read`);
    tests/reader/test_rules_data.py checks that the copy agrees with it."""
    data = _load("findings.yaml")
    categories = {fid: cat for cat, ids in data["categories"].items() for fid in ids}
    red = frozenset(data["red_flags"])
    history = frozenset(_load("targets.yaml").get("history_findings", ()))
    unknown = (red | history) - categories.keys()
    if unknown:
        raise KnowledgeBaseError("reader/rules", None, None, f"unknown findings {sorted(unknown)}")
    return FindingInfo(categories, red, history)


def fallback_findings() -> FindingInfo:
    """The reader's own copy (rules/findings.yaml), for checking it against the knowledge base."""
    data = _load("findings.yaml")
    categories = {fid: cat for cat, ids in data["categories"].items() for fid in ids}
    return FindingInfo(categories, frozenset(data["red_flags"]), frozenset())


@cache
def word_lists() -> dict[str, re.Pattern[str]]:
    """The named word lists that `needs:` refers to."""
    raw = _load("targets.yaml")["word_lists"]
    return {name: re.compile(pattern, re.IGNORECASE) for name, pattern in raw.items()}


_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]*)\}")


@cache
def lexicons() -> dict[str, str]:
    """Each word class of rules/lexicon.yaml as one regular-expression alternation."""
    file = "reader/rules/lexicon.yaml"
    out = {}
    for name, raw in (_load("lexicon.yaml").get("classes") or {}).items():
        if not raw.get("source"):
            raise KnowledgeBaseError(file, name, "source", "every word class names its source")
        terms = [str(t).lower() for t in raw.get("terms") or ()]
        if not terms:
            raise KnowledgeBaseError(file, name, "terms", "missing")
        if not raw.get("regex"):
            terms = [re.escape(t).replace(r"\ ", r"\s+") for t in terms]
        for t in terms:
            _compile(file, name, t)
        out[name] = "(?:" + "|".join(sorted(terms, key=len, reverse=True)) + ")"
    return out


def expand(file: str, entry: str, pattern: str) -> str:
    """A rules pattern with each {CLASS} of rules/lexicon.yaml put in."""
    classes = lexicons()

    def fill(m: re.Match[str]) -> str:
        if m.group(1) not in classes:
            raise KnowledgeBaseError(file, entry, "pattern", f"no word class {{{m.group(1)}}}")
        return classes[m.group(1)]

    return _PLACEHOLDER.sub(fill, pattern)


@cache
def target_groups() -> tuple[TargetGroup, ...]:
    """Every target group of rules/targets.yaml, validated."""
    file = "reader/rules/targets.yaml"
    known = findings().ids
    lists = word_lists()
    groups: list[TargetGroup] = []
    for n, raw in enumerate(_load("targets.yaml")["targets"]):
        raw_ids = raw.get("id")
        ids = (
            tuple(raw_ids) if isinstance(raw_ids, list) else (() if raw_ids is None else (raw_ids,))
        )
        entry = ",".join(ids) or str(raw.get("family_id"))
        family_id = raw.get("family_id")
        for fid in (*ids, *([family_id] if family_id else [])):
            if fid not in known:
                raise KnowledgeBaseError(file, entry, "id", f"'{fid}' is not a finding")
        if not ids and not family_id:
            raise KnowledgeBaseError(file, f"group {n}", "id", "give an id or a family_id")
        affirmed = raw.get("affirmed", "yes")
        if affirmed not in _AFFIRMED:
            raise KnowledgeBaseError(file, entry, "affirmed", f"must be one of {_AFFIRMED}")
        denied = raw.get("denied", "no")
        if denied not in ("no", "ignore"):
            raise KnowledgeBaseError(file, entry, "denied", "must be no or ignore")
        needs = raw.get("needs")
        if needs is not None and needs not in lists:
            raise KnowledgeBaseError(file, entry, "needs", f"no word list '{needs}'")
        ignore = frozenset(raw.get("ignore", ()))
        if not ignore <= set(_CONTEXT_KINDS):
            raise KnowledgeBaseError(file, entry, "ignore", f"must be among {_CONTEXT_KINDS}")
        implies = tuple((k, bool(v)) for k, v in (raw.get("implies") or {}).items())
        for fid, _ in implies:
            if fid not in known:
                raise KnowledgeBaseError(file, entry, "implies", f"'{fid}' is not a finding")
        patterns = tuple(expand(file, entry, p) for p in raw.get("patterns", ()))
        for p in patterns:
            _fast(file, entry, p)
        groups.append(
            TargetGroup(
                key=f"t{n:03d}",
                ids=ids,
                value=bool(raw.get("value", True)),
                phrases=tuple(str(p) for p in raw.get("phrases", ())),
                patterns=patterns,
                needs=needs,
                exclude=tuple(
                    _fast(file, entry, expand(file, entry, p)) for p in raw.get("exclude", ())
                ),
                affirmed=affirmed,
                denied=denied,
                ignore=ignore,
                implies=implies,
                family_id=family_id,
            )
        )
    return tuple(groups)


@cache
def context_rules() -> tuple[ContextRuleData, ...]:
    """Every ConText rule of rules/context.yaml."""
    file = "reader/rules/context.yaml"
    rules = []
    for raw in _load("context.yaml")["context"]:
        pattern = raw.get("pattern")
        if pattern is not None:
            _fast(file, raw["literal"], pattern)
        unknown = set(raw.get("applies_to", ())) - findings().ids
        if unknown:
            raise KnowledgeBaseError(
                file, raw["literal"], "applies_to", f"unknown {sorted(unknown)}"
            )
        stop = raw.get("stop")
        if stop not in (None, "clause", "list"):
            raise KnowledgeBaseError(file, raw["literal"], "stop", "must be clause or list")
        rules.append(
            ContextRuleData(
                literal=str(raw["literal"]),
                category=str(raw["category"]).upper(),
                direction=str(raw["direction"]).upper(),
                pattern=pattern,
                max_scope=raw.get("max_scope"),
                stop=stop,
                terminated_by=tuple(raw.get("terminated_by", ())),
                applies_to=tuple(raw.get("applies_to", ())),
            )
        )
    return tuple(rules)


@cache
def extractor_tables() -> dict[str, Any]:
    """The raw duration and age tables of rules/extractors.yaml."""
    data: dict[str, Any] = _load("extractors.yaml")
    known = findings().ids
    for section in ("duration", "age"):
        for fid in data[section]["thresholds"]:
            if fid not in known:
                raise KnowledgeBaseError(
                    "reader/rules/extractors.yaml", section, "thresholds", f"'{fid}' unknown"
                )
    return data


@dataclass(frozen=True)
class BothLegsRule:
    """How leg symptoms on both sides, told apart, give one finding (targets.yaml, both_legs)."""

    finding: str
    sources: frozenset[str]
    words_only: frozenset[str]
    leg: re.Pattern[str]
    left: re.Pattern[str]
    right: re.Pattern[str]


@cache
def both_legs_rule() -> BothLegsRule:
    """The `both_legs` section of rules/targets.yaml, checked."""
    file = "reader/rules/targets.yaml"
    raw = _load("targets.yaml")["both_legs"]
    known = findings().ids
    ids = [raw["finding"], *raw["from"], *raw["from_words_only"]]
    for fid in ids:
        if fid not in known:
            raise KnowledgeBaseError(file, "both_legs", "id", f"'{fid}' is not a finding")
    compiled = {}
    for key in ("leg", "left", "right"):
        try:
            compiled[key] = re.compile(raw[key], re.IGNORECASE)
        except re.error as exc:
            raise KnowledgeBaseError(file, "both_legs", key, str(exc)) from None
    return BothLegsRule(
        raw["finding"],
        frozenset(raw["from"]),
        frozenset(raw["from_words_only"]),
        compiled["leg"],
        compiled["left"],
        compiled["right"],
    )


@cache
def proxy_rules() -> dict[str, Any]:
    """The `proxy` section of rules/context.yaml (stories typed for a relative), checked."""
    file = "reader/rules/context.yaml"
    data: dict[str, Any] = _load("context.yaml").get("proxy") or {}
    for key in ("relatives", "their_pain", "own_pain", "rewrite"):
        if not data.get(key):
            raise KnowledgeBaseError(file, "proxy", key, "missing")
    for word, sex in data["relatives"].items():
        if sex not in ("male", "female", None):
            raise KnowledgeBaseError(file, f"proxy.relatives.{word}", "sex", "male, female or null")
    for key in ("their_pain", "own_pain", "for_them"):
        for pattern in data.get(key, ()):
            filled = pattern.replace("{PAIN}", "pain").replace("{RELATIVE}", "dad")
            _fast(file, f"proxy.{key}", filled)
    for sex, pairs in data["rewrite"].items():
        for pair in pairs:
            _compile(file, f"proxy.rewrite.{sex}", pair[0])
    return data


@cache
def sentence_ends() -> list[str]:
    """Tokens after which a new sentence starts (spaCy's defaults plus line breaks)."""
    from spacy.pipeline.sentencizer import Sentencizer

    extra = [str(t) for t in _load("context.yaml").get("sentence_ends", ())]
    return [*Sentencizer.default_punct_chars, *extra]


@cache
def clause_openers() -> frozenset[str]:
    """Words that, after a comma, start a new clause rather than continue a list."""
    return frozenset(str(w).lower() for w in _load("context.yaml").get("clause_openers", ()))
