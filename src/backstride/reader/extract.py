"""The two small extractors: how long the pain has lasted and how old the person is.

Their patterns and tables live in rules/extractors.yaml. This module fills the placeholders of
the patterns and turns a matched phrase into a range (days, or years of age), then a range into
yes/no answers. Pure functions: the date is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from backstride.reader.rules import expand, extractor_tables, proxy_rules, whole_words, word_lists

INF = float("inf")


@dataclass(frozen=True)
class ExtractorPattern:
    """One duration or age pattern, ready for a medspaCy regex TargetRule."""

    label: str
    kind: str
    regex: str


def _alternation(words: Any) -> str:
    return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])


@cache
def _placeholders() -> dict[str, str]:
    d = extractor_tables()["duration"]
    num = rf"\d+(?:[.,]5)?|{_alternation(d['numbers'])}"
    quals = [q for words in d["qualifiers"].values() for q in words]
    qual = rf"(?:(?P<qual>{_alternation(quals)})\s+)?"
    unit = _alternation(d["units"])
    qty = (
        rf"{qual}(?P<n1>{num})(?:\s*(?:-|to|or|/)\s*(?P<n2>{num}))?"
        rf"(?P<half1>\s+and\s+a\s+half)?\s*-?\s*(?P<unit>{unit})(?P<half2>\s+and\s+a\s+half)?"
    )
    return {
        "QTY": qty,
        "REL": rf"(?P<rel>{_alternation(d['relative'])})",
        "WEEKDAY": rf"(?P<weekday>{_alternation(d['weekdays'])})",
        "WEEKDAY_BARE": rf"(?P<weekday>{_alternation(d['weekdays_bare'])})",
        "MONTH": rf"(?P<month>{_alternation(d['months'])})",
        "SEASON": rf"(?P<season>{_alternation(d['seasons'])})",
        "HOLIDAY": rf"(?P<holiday>{_alternation(d['holidays'])})",
    }


@cache
def duration_patterns() -> tuple[ExtractorPattern, ...]:
    """The duration patterns with their placeholders filled."""
    fill = _placeholders()
    out = []
    for i, raw in enumerate(extractor_tables()["duration"]["patterns"]):
        regex = raw["pattern"]
        for name, value in fill.items():
            regex = regex.replace("{" + name + "}", value)
        out.append(ExtractorPattern(f"x_duration_{i}", raw["kind"], regex))
    return tuple(out)


@cache
def age_patterns() -> tuple[ExtractorPattern, ...]:
    """The age patterns ({RELATIVE}: any relative word of the proxy rules)."""
    words = sorted(map(str, proxy_rules()["relatives"]), key=len, reverse=True)
    relative = "(?:" + "|".join(map(re.escape, words)) + ")"
    return tuple(
        ExtractorPattern(f"x_age_{i}", raw["kind"], raw["pattern"].replace("{RELATIVE}", relative))
        for i, raw in enumerate(extractor_tables()["age"]["patterns"])
    )


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(whole_words(regex), re.IGNORECASE)


def _norm(word: str) -> str:
    return re.sub(r"\s+", " ", word.lower())


def _number(word: str) -> tuple[float, float]:
    numbers = extractor_tables()["duration"]["numbers"]
    word = _norm(word)
    if word in numbers:
        low, high = numbers[word]
        return float(low), float(high)
    value = float(word.replace(",", "."))
    return value, value


def _months_back(today: date, month: int, year: int | None) -> tuple[date, date]:
    """First and last day of the most recent `month` not after today (or of the given year)."""
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    first = date(year, month, 1)
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, nxt - timedelta(days=1)


def _days_since(today: date, first: date, last: date) -> tuple[float, float]:
    return float(max(0, (today - last).days)), float(max(0, (today - first).days))


def _match(regex: str, text: str, start: int, end: int) -> re.Match[str] | None:
    """The pattern's match at a span of the whole text (so look-arounds see the context)."""
    m = _compiled(regex).search(text, start)
    return m if m is not None and m.start() < end else None


def parse_duration(
    label: str, text: str, start: int, end: int, today: date
) -> tuple[float, float] | None:
    """How many days ago the pain began, as [low, high], from what one pattern matched at
    text[start:end]."""
    pattern = next(p for p in duration_patterns() if p.label == label)
    m = _match(pattern.regex, text, start, end)
    if m is None:
        return None
    tables = extractor_tables()["duration"]
    g = {k: v for k, v in m.groupdict().items() if v}
    if "unit" in g:
        unit_days = float(tables["units"][_norm(g["unit"])])
        n_low, n_high = _number(g["n1"])
        if "n2" in g:
            n_high = max(n_high, _number(g["n2"])[1])
        if "half1" in g or "half2" in g:
            n_low, n_high = n_low + 0.5, n_high + 0.5
        low, high = n_low * unit_days, n_high * unit_days
        qual = _norm(g.get("qual", ""))
        quals = tables["qualifiers"]
        if qual in quals["less"]:
            return 0.0, max(0.0, low - 1)
        if qual in quals["nearly"]:
            return low * 0.8, max(0.0, low - 1)
        if qual in quals["more"]:
            return low + 1, INF
        if qual in quals["slightly_more"]:
            return low, high * 1.25
        return low, high
    unitonly = next((v for k, v in g.items() if k.startswith("unitonly")), None)
    if unitonly is not None:
        days = float(tables["units"][_norm(unitonly)])
        return days, days
    if "many" in g:
        word = _norm(g["many"])
        if word == "ages":
            return 14.0, INF
        return 2 * float(tables["units"][word]), INF
    if "hoursago" in g:
        return 0.0, 1.0
    if "rel" in g:
        low, high = tables["relative"][_norm(g["rel"])]
        return float(low), float(high)
    if "weekday" in g:
        return 0.0, 7.0
    if "month" in g:
        month = int(tables["months"][_norm(g["month"])])
        year = int(g["year"]) if "year" in g else None
        first, last = _months_back(today, month, year)
        day = g.get("day") or g.get("day2")
        if day is not None and 1 <= int(day) <= last.day:
            when = first.replace(day=int(day))
            if when > today:  # a date still to come ("on the 20th of December") dates nothing
                return None
            return _days_since(today, when, when)
        # "early October", "the start of October": the first third; "mid": the middle; "late",
        # "the end of": the last third (a month is too wide for a 6-week threshold otherwise)
        part = _norm(g.get("part", "")).strip().removeprefix("the ").removesuffix(" of").rstrip("-")
        if part in ("early", "start", "beginning") or part.startswith("first"):
            last = first + timedelta(days=9)
        elif part.startswith("second"):
            first, last = first + timedelta(days=7), first + timedelta(days=13)
        elif part in ("mid", "middle"):
            first, last = first + timedelta(days=9), first + timedelta(days=20)
        elif part in ("late", "end") or part.startswith("last"):
            first = first + timedelta(days=20)
        return _days_since(today, first, last)
    if "sincedecade" in g:  # since a decade of life: years
        return 365.0, INF
    if "sinceyear" in g:
        year = int(g["sinceyear"])
        return _days_since(today, date(year, 1, 1), date(year, 12, 31))
    if "season" in g:
        start, end = tables["seasons"][_norm(g["season"])]
        first, _ = _months_back(today, int(start), None)
        if int(end) < int(start):  # winter runs over the new year
            _, last = _months_back(today, int(end), None)
            if last < first:
                first = date(first.year - 1, first.month, 1)
        else:
            _, last = _months_back(today, int(end), first.year)
        if "lastseason" in g and first <= today <= last:
            first, last = date(first.year - 1, first.month, 1), date(last.year - 1, last.month, 28)
        if last > today:
            last = today
        return _days_since(today, first, last)
    if "holiday" in g:
        month, day = tables["holidays"][_norm(g["holiday"])]
        when = date(today.year, int(month), int(day))
        if when > today:
            when = date(today.year - 1, int(month), int(day))
        return _days_since(today, when, when)
    return None


@cache
def _amount_unit() -> re.Pattern[str]:
    """A unit of time from the duration table (or hours): the words that make an amount."""
    units = _alternation(extractor_tables()["duration"]["units"])
    return re.compile(rf"\b(?:{units}|hours?|hrs?)\b", re.IGNORECASE)


def duration_excluded(before: str, after: str, *, weak: bool = False, text: str = "") -> bool:
    """True when the words around a duration (`text`) show it is about something other than
    the pain. A weak one followed by "after" is time since something else ("two weeks after a
    biopsy"), unless it is the day the pain came on ("on Sunday after a trail race") or follows
    the pain's own words ("back pain 3 days after gardening")."""
    tables = extractor_tables()["duration"]
    return bool(
        re.search(tables["exclude_before"], before, re.IGNORECASE)
        or re.match(tables["exclude_after"], after, re.IGNORECASE)
        or (weak and re.match(tables["exclude_after_weak"], after, re.IGNORECASE))
        or (
            weak
            # an amount ("two weeks after a biopsy"), not a date ("from early August after I
            # added speed work", which is when the pain began)
            and _amount_unit().search(text) is not None
            and re.match(tables["exclude_after_amount"], after, re.IGNORECASE)
            and not after_means_onset(text)
            # "back pain 3 days after gardening": the pain's time since the gardening
            and not word_lists()["pain"].search(before[-20:])
        )
    )


def duration_anchored(sentence: str) -> bool:
    """True when a sentence names a symptom or an onset, so a bare time in it is the pain's."""
    return bool(re.search(extractor_tables()["duration"]["anchor"], sentence, re.IGNORECASE))


def duration_of_other_topic(sentence: str) -> bool:
    """True when a sentence names no symptom but another topic (blood pressure, weight, tablets
    and the drug classes of rules/lexicon.yaml), so a duration in it is that topic's."""
    return not duration_anchored(sentence) and bool(_other_topic().search(sentence))


@cache
def _other_topic() -> re.Pattern[str]:
    regex = extractor_tables()["duration"]["other_topic"]
    return re.compile(expand("reader/rules/extractors.yaml", "other_topic", regex), re.IGNORECASE)


def worsened(clause: str) -> bool:
    """True when a clause dates a worsening ("got much worse three days ago"), not an onset."""
    return bool(_duration_rx("worsened").search(clause))


def _duration_rx(name: str) -> re.Pattern[str]:
    return _compiled_plain(extractor_tables()["duration"][name])


@cache
def _compiled_plain(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def past_episode(clause: str) -> bool:
    """True when a clause says the episode it dates is over ("which cleared up with physio")."""
    return bool(_duration_rx("past_episode").search(clause))


def names_the_back(clause: str) -> bool:
    """True when a clause names the back or sciatica (a past episode of it is history)."""
    return bool(_duration_rx("past_back").search(clause))


def long_standing(clause: str) -> bool:
    """True when a clause tells a back complaint as recurring or long-standing trouble."""
    return bool(_duration_rx("long_standing").search(clause))


def tells_onset(text: str) -> bool:
    """True when the words say something began ("started", "came on", "since then")."""
    return bool(_duration_rx("onset").search(text))


def about_it(sentence: str) -> bool:
    """True when a sentence with no pain word still tells the pain's story ("Had it about 3
    weeks.", "Been going on about five months.")."""
    return bool(_duration_rx("pain_pronoun").search(sentence))


def after_means_onset(text: str) -> bool:
    """True when a point in time followed by "after" dates the onset ("on Sunday after a trail
    race"), unlike an amount ("two weeks after a biopsy")."""
    return bool(_duration_rx("after_point").match(text))


def continues_story(sentence: str, previous: str = "") -> bool:
    """True when a sentence opens by continuing the previous one ("Since then ..."), or opens
    with "now" after a sentence about an exertion ("15k long run this morn. now my back ...")."""
    if re.match(extractor_tables()["duration"]["continues"], sentence, re.IGNORECASE):
        return True
    return bool(
        _duration_rx("continues_after_exertion").match(sentence)
        and _duration_rx("exertion").search(previous)
    )


def threshold_answers(section: str, low: float, high: float) -> list[tuple[str, bool]]:
    """Yes/no answers implied by a range: yes when all of it passes, no when none of it does."""
    out: list[tuple[str, bool]] = []
    for fid, rule in extractor_tables()[section]["thresholds"].items():
        if isinstance(rule, dict) and "below" in rule:
            limit = float(rule["below"])
            if high < limit:
                out.append((fid, True))
            elif low >= limit:
                out.append((fid, False))
            continue
        limit = float(rule["at_least"] if isinstance(rule, dict) else rule)
        if low >= limit:
            out.append((fid, True))
        elif high < limit:
            out.append((fid, False))
    return out


def parse_age(label: str, text: str, start: int, end: int) -> tuple[float, float] | None:
    """An age range in years from what one age pattern matched at text[start:end]."""
    pattern = next(p for p in age_patterns() if p.label == label)
    m = _match(pattern.regex, text, start, end)
    if m is None:
        return None
    g = {k: v for k, v in m.groupdict().items() if v}
    tables = extractor_tables()["age"]
    if "nextn" in g:  # "50 next month": 49 now
        age = float(g["nextn"]) - 1
        lo, hi = tables["lone_number"]
        return (age, age) if lo <= age <= hi else None
    if "n" in g:
        age = float(g["n"])
        lo, hi = tables["lone_number"]
        return (age, age) if lo <= age <= hi else None
    if "tens" in g:  # "Sixty-three", "forty one"
        age = float(
            tables["tens"][_norm(g["tens"])] + tables["units"].get(_norm(g.get("unit", "")), 0)
        )
        return age, age
    if "decade" in g:
        word = _norm(g["decade"])
        first = float(g["dn"]) if "dn" in g else float(tables["decades"].get(word, -1))
        if first < 0:
            return None
        width = 6.0 if first == 13 else 9.0  # the teens are 13 to 19
        if "q" in g:
            a, b = tables["decade_parts"][_norm(g["q"])]
            return first + a, min(first + b, first + width)
        return first, first + width
    return None


def age_excluded(before: str, after: str) -> bool:
    """True when a number is someone else's age ("my son is 15") or not an age ("50m sprints")."""
    tables = extractor_tables()["age"]
    return bool(
        re.search(tables["exclude_before"], before, re.IGNORECASE)
        or re.match(tables["exclude_after"], after, re.IGNORECASE)
    )


def lone_age(text: str) -> tuple[float, int, int] | None:
    """A number standing alone as a terse sentence ("... Exercise helps. 29.") read as an age:
    (age, start, end), or None."""
    lo, hi = extractor_tables()["age"]["lone_number"]
    for m in re.finditer(r"(?:^|[.!?]\s+|\n\s*)(\d{2})\s*[.!]?\s*(?=$|\n)", text):
        n = float(m.group(1))
        if lo <= n <= hi:
            return n, m.start(1), m.end(1)
    # ... or inside a line, between two sentences ("... numb to touch. 36. About 6 weeks."); never
    # at the start of a line, where "10. Item" is a numbered list
    for m in re.finditer(r"(?<=[.!?] )(\d{2})\.(?= [A-Z]|\s*$)", text):
        n = float(m.group(1))
        if lo <= n <= hi:
            return n, m.start(1), m.end(1)
    return None
