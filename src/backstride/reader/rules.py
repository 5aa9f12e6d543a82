"""The reader's data files (rules/*.yaml), loaded once and checked.

Target rules, ConText rules and the extractor tables are data, not code: this module only reads
them, validates them against the finding ids, and compiles the regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
    the engine from skipping ahead).

    Compiled on first use, and skipped without compiling when the text holds none of its
    `keywords` (words every match must contain, found once and kept in the rules cache, see
    `checked_rules`): most patterns never meet a text they could match, so a start compiles
    only the few a story needs."""

    def __init__(self, pattern: str, keywords: tuple[str, ...] | None = None) -> None:
        self.pattern = pattern
        self.on_original = "(?-i:" in pattern  # a case-sensitive part ("AS"): needs the real case
        self.keywords = None if self.on_original else keywords
        self._rx: re.Pattern[str] | None = None

    @property
    def rx(self) -> re.Pattern[str]:
        """The compiled expression (compiled on first use; re.error if the pattern is bad)."""
        if self._rx is None:
            flags = re.IGNORECASE if self.on_original else 0
            self._rx = re.compile(f"(?:{self.pattern}){_END_GUARD}", flags)
        return self._rx

    def spans(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """(start, end) of every whole-word match, in order."""
        keywords = self.keywords
        if keywords is not None and not any(k in lowered for k in keywords):
            return []
        subject = text if self.on_original else lowered
        rx = self.rx
        out, pos = [], 0
        while (m := rx.search(subject, pos)) is not None:
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
    # a safety-net group (targets.yaml, `safety_net`): its mentions are only ever asked
    net: bool = False


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


_PATTERNS: dict[str, FastPattern] = {}


def fast_pattern(pattern: str) -> FastPattern:
    """The FastPattern of one rules-file pattern, made once per process: the rules' checks
    and the pipeline's matcher share it (hundreds of patterns, each costly to compile)."""
    found = _PATTERNS.get(pattern)
    if found is None:
        checked = checked_rules()
        found = FastPattern(pattern, checked.get(pattern) if checked is not None else None)
        _PATTERNS[pattern] = found
    return found


def _fast(file: str, entry: str, pattern: str) -> FastPattern:
    """Check a pattern and make it ready for matching on lower-cased text. A pattern the
    rules cache lists was compiled when these same rules were last checked: not again."""
    fast = fast_pattern(pattern)
    checked = checked_rules()
    if checked is None or pattern not in checked:
        try:
            fast.rx  # noqa: B018  (compiles it now, so a bad pattern stops here)
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
    return fast


# ------------------------------------------------------------------ the rules cache
# Compiling about 1,300 patterns took about 0.4 s at every start. The first start with a given
# set of rules files compiles (so checks) them all and writes, in the user's cache folder, the
# keywords of each pattern; later starts with the same files (same hash) trust that check and
# compile only the patterns a story's words could match. Delete the folder at any time.
_CACHE_VERSION = "1"


def _rules_hash() -> str:
    import hashlib
    import sys

    # Each file's name, size and modification time (not its bytes: the files are opened only
    # to be parsed, once): an edited rules file gets a new cache.
    digest = hashlib.sha256(f"{_CACHE_VERSION} {sys.version_info[:2]} {RULES_DIR}".encode())
    for path in sorted(RULES_DIR.glob("*.yaml")):
        stat = path.stat()
        digest.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def _cache_file() -> Path:
    from backstride.paths import cache_home

    return cache_home() / f"reader-rules-{_rules_hash()}.json"


@cache
def checked_rules() -> dict[str, tuple[str, ...] | None] | None:
    """Pattern -> keywords (None: no prefilter) from the cache of these exact rules files, or
    None when there is no usable cache (the rules are then compiled and checked as loaded)."""
    import json

    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        return {str(k): (tuple(v) if v is not None else None) for k, v in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def save_checked_rules() -> None:
    """Write the rules cache after every pattern of these rules was compiled (checked); keep
    going quietly if the cache folder cannot be written."""
    import json
    import os

    if checked_rules() is not None:
        return
    data = {p: (list(k) if (k := required_words(p)) else None) for p in _PATTERNS}
    for pattern, fast in _PATTERNS.items():
        fast.keywords = None if fast.on_original else (tuple(data[pattern] or ()) or None)
    try:
        path = _cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def required_words(pattern: str) -> tuple[str, ...] | None:
    """Strings of which every match of the pattern contains at least one (a cheap test before
    the regular expression runs), or None when no such set of at least 2-character strings
    is found (lookarounds, character classes and optional parts require nothing)."""
    try:
        import re._constants as c
        import re._parser as parser
    except ImportError:  # pragma: no cover - Python < 3.11
        return None
    if "(?-i:" in pattern:
        return None

    def need(items: Any) -> set[str] | None:
        options: list[set[str]] = []
        run: list[str] = []
        for op, arg in items:
            if op is c.LITERAL:
                if chr(arg).isspace():  # each word of a run is required on its own
                    options += [{w} for w in "".join(run).split()]
                    run = []
                else:
                    run.append(chr(arg))
                continue
            if run:
                options.append({"".join(run)})
                run = []
            found: set[str] | None = None
            if op is c.SUBPATTERN:
                found = need(arg[-1])
            elif op is c.BRANCH:
                parts = [need(b) for b in arg[1]]
                if all(p is not None for p in parts):
                    found = set().union(*[p for p in parts if p is not None])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
                found = need(arg[2])
            if found:
                options.append(found)
        if run:
            options.append({"".join(run)})
        options = [o for o in options if o and min(len(x) for x in o) >= 2]
        # the set whose shortest word is longest, then the smallest set: fewer, longer words
        # are rarer in a story, so the test skips more often
        return max(options, key=lambda o: (min(len(x) for x in o), -len(o))) if options else None

    try:
        found = need(parser.parse(pattern))
    except (re.error, RecursionError):
        return None
    return tuple(sorted(found)) if found else None


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
    out: dict[str, str] = {}
    for name, raw in (_load("lexicon.yaml").get("classes") or {}).items():
        if not raw.get("source"):
            raise KnowledgeBaseError(file, name, "source", "every word class names its source")
        # a regex class may name a class written above it ({NUMB})
        terms = [
            _PLACEHOLDER.sub(lambda m: out.get(m.group(1), m.group(0)), str(t)).lower()
            for t in raw.get("terms") or ()
        ]
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
    """Every target group of rules/targets.yaml, validated: the rules (`targets`), then the
    safety net (`safety_net`, warning signs only, always asked and never answered)."""
    data = _load("targets.yaml")
    groups = [_target_group(raw, f"t{n:03d}") for n, raw in enumerate(data["targets"])]
    red = findings().red_flags
    for n, raw in enumerate(data.get("safety_net") or ()):
        entry = str(raw.get("id"))
        for key in ("affirmed", "denied", "implies", "family_id", "value"):
            if key in raw:
                raise KnowledgeBaseError(
                    "reader/rules/targets.yaml", entry, key, "a safety-net rule only asks"
                )
        group = _target_group({**raw, "affirmed": "uncertain", "denied": "ignore"}, f"n{n:03d}")
        if not set(group.ids) <= red:
            raise KnowledgeBaseError(
                "reader/rules/targets.yaml", entry, "id", "the safety net is for warning signs"
            )
        groups.append(replace(group, net=True))
    return tuple(groups)


def _target_group(raw: Mapping[str, Any], key: str) -> TargetGroup:
    """One target group as written in rules/targets.yaml, checked."""
    file = "reader/rules/targets.yaml"
    known = findings().ids
    lists = word_lists()
    raw_ids = raw.get("id")
    ids = tuple(raw_ids) if isinstance(raw_ids, list) else (() if raw_ids is None else (raw_ids,))
    entry = ",".join(ids) or str(raw.get("family_id"))
    family_id = raw.get("family_id")
    for fid in (*ids, *([family_id] if family_id else [])):
        if fid not in known:
            raise KnowledgeBaseError(file, entry, "id", f"'{fid}' is not a finding")
    if not ids and not family_id:
        raise KnowledgeBaseError(file, f"group {key}", "id", "give an id or a family_id")
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
    return TargetGroup(
        key=key,
        ids=ids,
        value=bool(raw.get("value", True)),
        phrases=tuple(str(p) for p in raw.get("phrases", ())),
        patterns=patterns,
        needs=needs,
        exclude=tuple(_fast(file, entry, expand(file, entry, p)) for p in raw.get("exclude", ())),
        affirmed=affirmed,
        denied=denied,
        ignore=ignore,
        implies=implies,
        family_id=family_id,
    )


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
        if stop not in (None, "clause", "list", "items"):
            raise KnowledgeBaseError(file, raw["literal"], "stop", "must be clause, list or items")
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
    for key in ("their_pain", "own_pain", "for_them", "introduced"):
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
