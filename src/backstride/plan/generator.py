"""Build a phased plan from an assessment and the person's situation (pure).

``build_plan(assessment, person)`` reads nothing but its arguments and the (cached) plan rules
and exercise library. The rules decide what goes where; this module applies them in a fixed
order and keeps the safety properties whatever the rules say:

- the level is re-checked: the engine recomputes it from the assessment's own findings and the
  higher of that and the saved level applies (a hand-edited or stale file cannot lower it);
- causes a warning sign points to come first, whatever their probability, so the plan never
  names a harmless cause above the one the triage is about;
- every phase carries its running advice, decided in one place (``plan.guidance``);
- at urgent or emergency triage (or when a serious cause is likely enough to demand it) there
  is no exercise plan, only a ``stop`` item and what to do now;
- while the warning-sign screen is incomplete the plan is its calm phase only, led by the
  instruction to finish the screen, with no ``run`` or ``ride`` item;
- when a bone stress cause is among the likely ones, no impact item appears in any phase
  before ``return_to_run`` and running stops until a clinician clears it;
- an exercise the library contraindicates for any cause under consideration, in that phase,
  is never prescribed: an allowed alternative or regression takes its place, or it is left out;
- an exercise that needs equipment the person lacks is swapped for one that does not;
- every item says why it is there and cites its sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from backstride.engine.assessment import Assessment, assess
from backstride.engine.triage import level_rank
from backstride.explain import cause_in_words, join_words, plain
from backstride.kb import KnowledgeBase, default_knowledge_base
from backstride.kb.schema import Condition, TriageLevel
from backstride.plan.exercises import (
    PHASES,
    Category,
    Exercise,
    ExerciseLibrary,
    PhaseId,
    load_exercise_library,
)
from backstride.plan.guidance import running_advice
from backstride.plan.model import (
    AssessmentInput,
    AthleteType,
    ConditionRef,
    ItemKind,
    PersonSettings,
    Phase,
    Plan,
    PlanItem,
    PlanPhaseId,
    RunningAdvice,
)
from backstride.plan.rules import GroupRule, ItemRef, Rules, load_rules

CLEARANCE_PHASE: PhaseId = "return_to_run"
_KIND_ORDER: dict[ItemKind, int] = {"stop": 0, "advice": 1, "exercise": 2, "ride": 3, "run": 4}
_KIND_OF_CATEGORY: dict[Category, ItemKind] = {"running": "run", "bike": "ride"}


def load_kb_conditions() -> Mapping[str, Condition]:
    """The knowledge base's conditions by id (for their 'seek help sooner' advice)."""
    kb = default_knowledge_base()
    return MappingProxyType({c.id: c for c in kb.conditions})


@dataclass(frozen=True, slots=True)
class _Cause:
    id: str
    name: str  # everyday words, without a bracketed clinical name (wording.yaml)
    probability: float
    group_id: str
    group: GroupRule
    role: str  # "leading", "likely", "caution" or "default"
    flagged: bool = False  # a warning sign points to it

    def label(self) -> str:
        if self.role == "default":
            return "General plan (no single cause stands out)"
        if self.role == "leading":
            return f"For {self.name} (the most likely cause)"
        if self.role == "likely":
            return f"For {self.name} (also likely)"
        return f"For {self.name} (kept in mind for safety)"


@dataclass(slots=True)
class _Context:
    rules: Rules
    library: ExerciseLibrary
    assessment: AssessmentInput
    person: PersonSettings
    athlete: AthleteType
    causes: list[_Cause]
    condition_ids: tuple[str, ...]
    restrictions: dict[str, PhaseId]
    avoid: frozenset[str]
    equipment: frozenset[str]
    kb_conditions: Mapping[str, Condition]
    kb: KnowledgeBase
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Draft:
    """An item being collected for one phase; reasons from several rules are merged."""

    kind: ItemKind
    id: str
    name: str
    dose: str
    whys: list[str]
    sources: list[str]
    details: str
    impact: bool
    replaces: str | None
    guide: str | None
    replaced_by: tuple[str, ...] = ()

    def add(self, why: str, sources: Iterable[str]) -> None:
        if why not in self.whys:
            self.whys.append(why)
        for s in sources:
            if s not in self.sources:
                self.sources.append(s)

    def freeze(self) -> PlanItem:
        return PlanItem(
            kind=self.kind,
            id=self.id,
            name=self.name,
            dose=self.dose,
            why=" ".join(self.whys),
            sources=tuple(self.sources),
            details=self.details,
            impact=self.impact,
            replaces=self.replaces,
            guide=self.guide,
        )


def build_plan(
    assessment: AssessmentInput,
    person: PersonSettings | None = None,
    *,
    rules: Rules | None = None,
    library: ExerciseLibrary | None = None,
    kb_conditions: Mapping[str, Condition] | None = None,
) -> Plan:
    """The plan for this assessment and person. Pure: same inputs, same plan.

    ``rules``, ``library`` and ``kb_conditions`` default to the packaged data (loaded once).
    """
    rules = rules or load_rules()
    library = library or load_exercise_library()
    kb_conditions = load_kb_conditions() if kb_conditions is None else kb_conditions
    person = person or PersonSettings()
    findings = assessment.findings

    kb = default_knowledge_base()
    decided = _decide(assessment, rules, kb)
    checked, causes, level = decided.checked, decided.causes, decided.level
    reasons, screen_missing = decided.reasons, decided.screen_missing
    notes: list[str] = []
    if decided.unknown:
        notes.append(
            "Not tailored to unknown cause id(s) in the assessment: "
            + ", ".join(decided.unknown)
            + "."
        )
    athlete: AthleteType = person.athlete or (
        "triathlete" if findings.get("triathlete") is True else "runner"
    )
    explained = {c.id: c for c in checked.conditions}
    tailored = tuple(
        ConditionRef(
            id=c.id,
            name=kb.wording.name(c.id),
            probability=c.probability,
            flagged=c.flagged,
            why=cause_in_words(explained[c.id], kb).why() if c.id in explained else "",
        )
        for c in causes
        if c.role != "default" and _tailors(c)
    )
    factors = tuple(f for f in assessment.contributing_factors if f in rules.factors)

    restrictions: dict[str, PhaseId] = {}
    for c in causes:
        for r in c.group.restrict:
            current = restrictions.get(r.flag)
            if current is None or PHASES.index(r.until) > PHASES.index(current):
                restrictions[r.flag] = r.until
    ctx = _Context(
        rules=rules,
        library=library,
        assessment=assessment,
        person=person,
        athlete=athlete,
        causes=causes,
        condition_ids=tuple(c.id for c in causes),
        restrictions=restrictions,
        avoid=frozenset(a for c in causes for a in c.group.avoid),
        equipment=frozenset(person.equipment)
        | frozenset(rules.always_available)
        | frozenset(rules.athletes[athlete].equipment if athlete in rules.athletes else ()),
        kb_conditions=kb_conditions,
        kb=kb,
        notes=notes,
    )

    exercise_plan = level_rank(level) < level_rank("urgent")
    phases: tuple[Phase, ...]
    if not exercise_plan:
        phases = (_now_phase(ctx, level),)
    elif screen_missing:
        phases = (_screening_phase(ctx, level),)
    else:
        phases = tuple(_phase(ctx, pid, level, first=(pid == PHASES[0])) for pid in PHASES)
    help_general, help_causes = _seek_help(ctx, level)
    return Plan(
        triage=level,
        triage_headline=rules.triage_text[level].headline,
        triage_meaning=rules.triage_text[level].meaning,
        triage_reasons=reasons,
        exercise_plan=exercise_plan,
        leading=tailored[0] if tailored else None,
        tailored_to=tailored,
        factors=factors,
        factor_names=tuple(rules.factors[f].name for f in factors),
        athlete=athlete,
        days_per_week=person.days_per_week,
        equipment=tuple(sorted(ctx.equipment - frozenset(rules.always_available))),
        running_stopped=any(i.kind == "stop" for p in phases for i in p.items),
        clearance_phase=CLEARANCE_PHASE if exercise_plan else None,
        screen_missing=screen_missing,
        phases=phases,
        seek_help=help_general,
        seek_help_causes=help_causes,
        notes=tuple(dict.fromkeys(notes)),
        disclaimer=rules.disclaimer,
    )


@dataclass(frozen=True, slots=True)
class _Decided:
    """What the plan rests on: the re-checked result, the causes it considers, its level."""

    checked: Assessment
    causes: list[_Cause]
    unknown: list[str]
    level: TriageLevel
    reasons: tuple[str, ...]
    screen_missing: tuple[str, ...]


def _decide(assessment: AssessmentInput, rules: Rules, kb: KnowledgeBase) -> _Decided:
    """Re-check the triage, choose the causes and the plan's level (no exercise library)."""
    checked = _recheck(assessment, kb)
    flagged = {c.id for c in assessment.conditions if c.flagged_by_warning_sign}
    flagged |= {c.id for c in checked.conditions if c.flagged}
    # causes whose triage floor fired: considered with caution whatever their shown probability
    floored = {r.id for r in checked.triage.reasons if r.kind == "condition"}
    floored |= {d.id for d in assessment.triage.details if d.kind == "condition"}
    causes, unknown = _causes(assessment, rules, kb, flagged, floored)
    level, reasons = _effective_triage(assessment, checked, causes, rules, kb)
    triage = checked.triage
    missing = triage.screen.missing if triage.screen_incomplete else ()
    return _Decided(checked, causes, unknown, level, reasons, tuple(missing))


def first_running(
    assessment: AssessmentInput,
    person: PersonSettings | None = None,
    *,
    rules: Rules | None = None,
) -> RunningAdvice:
    """The running advice of the first phase of :func:`build_plan`'s plan, without building
    it (so without the exercise library): what `check` shows beside the level."""
    rules = rules or load_rules()
    person = person or PersonSettings()
    decided = _decide(assessment, rules, default_knowledge_base())
    level = decided.level
    if level_rank(level) >= level_rank("urgent"):
        return _running_for(rules, decided.causes, person, level, "now")
    return _running_for(
        rules, decided.causes, person, level, PHASES[0], screen_open=bool(decided.screen_missing)
    )


def _causes(
    assessment: AssessmentInput,
    rules: Rules,
    kb: KnowledgeBase,
    flagged: set[str],
    floored: set[str],
) -> tuple[list[_Cause], list[str]]:
    """Every known cause worth considering: the leading one, the likely ones, and the ones
    likely enough for caution (these make exercises unsafe but add no items of their own,
    unless they are bone stress causes, whose stop and non-impact items always apply).

    Causes a warning sign points to come first and are always considered. ``floored`` causes
    (their triage floor fired) are considered with caution whatever their probability: a bone
    stress floor stops running even when it is not the leading cause."""
    likely = rules.thresholds.likely.value
    caution = rules.thresholds.caution.value
    unknown = [c.id for c in assessment.conditions if c.id not in rules.conditions]
    ranked = [x for x in assessment.ranked() if x.id in rules.conditions]
    ranked.sort(key=lambda x: x.id not in flagged)  # stable: by probability within each part
    out: list[_Cause] = []
    for n, c in enumerate(ranked):
        rule = rules.conditions[c.id]
        if n == 0:
            role = "leading"
        elif c.probability >= likely or c.id in flagged:
            role = "likely"
        elif c.probability >= caution or c.id in floored:
            role = "caution"
        else:
            continue
        name = _known_name(kb, c.id)
        group = rules.groups[rule.group]
        out.append(_Cause(c.id, name, c.probability, rule.group, group, role, c.id in flagged))
    if not out:
        group = rules.groups[rules.default_group]
        fallback = next(
            cid for cid, r in rules.conditions.items() if r.group == rules.default_group
        )
        name = _known_name(kb, fallback)
        out.append(_Cause(fallback, name, 0.0, rules.default_group, group, "default"))
    return out, unknown


def _known_name(kb: KnowledgeBase, condition_id: str) -> str:
    """The cause in everyday words (its id, spelt out, if the knowledge base lacks it)."""
    if condition_id in kb.wording.conditions:
        return kb.wording.short_name(condition_id)
    return condition_id.replace("_", " ")


def _tailors(cause: _Cause) -> bool:
    """Whether a cause adds its own items (not only safety limits) to the plan."""
    return cause.role != "caution" or cause.group.bone_stress


def _recheck(assessment: AssessmentInput, kb: KnowledgeBase) -> Assessment:
    """The engine's assessment of the assessment's own findings: its triage (with the
    warning-sign screen), the causes a warning sign points to, and each cause's evidence."""
    return assess(assessment.evidence(), kb)


def _effective_triage(
    assessment: AssessmentInput,
    checked: Assessment,
    causes: list[_Cause],
    rules: Rules,
    kb: KnowledgeBase,
) -> tuple[TriageLevel, tuple[str, ...]]:
    """The higher of the saved and the re-checked level, raised (never lowered) by serious
    causes likely enough; and the reasons that demand that level, in everyday words.

    Reasons for a lower level are left out (a warning sign still open is no news at emergency
    level); a saved reason whose level is not known is kept.
    """
    saved = assessment.triage
    levels: list[TriageLevel | None] = [d.level for d in saved.details]
    if len(levels) != len(saved.reasons):
        levels = [None] * len(saved.reasons)
    reasons: list[tuple[str, TriageLevel | None]] = list(zip(saved.reasons, levels, strict=True))
    reasons += [(r.reason, r.level) for r in checked.triage.reasons]
    level = max(saved.level, checked.triage.level, key=level_rank)
    for c in causes:
        esc = c.group.escalate
        if esc is None or not (
            c.role == "leading" or c.probability >= rules.escalate_at.get(esc, 1.0)
        ):
            continue
        if level_rank(esc) > level_rank(level):
            level = esc
            name = c.name[:1].upper() + c.name[1:]
            why = f"{name} is possible: it needs a clinician's assessment before any exercise plan."
            reasons.append((why, esc))
    shown = [plain(text, kb) for text, at in reasons if at is None or at == level]
    return level, tuple(dict.fromkeys(shown))


def _screening_phase(ctx: _Context, level: TriageLevel) -> Phase:
    """The calm phase alone, led by finishing the screen, without any run or ride."""
    calm = _phase(ctx, PHASES[0], level, first=True)
    drafts: dict[str, _Draft] = {}
    for ref in ctx.rules.open_screen:
        _add_catalogue(ctx, drafts, ref, "Warning signs still to check")
    first = [d.freeze() for d in _ordered(drafts.values())]
    rest = [i for i in calm.items if i.kind not in ("run", "ride") and i.id not in drafts]
    running = _running(ctx, level, calm.id, screen_open=True)
    return calm.model_copy(update={"items": tuple(first + rest), "running": running})


def _now_phase(ctx: _Context, level: TriageLevel) -> Phase:
    now = ctx.rules.now[level]
    drafts: dict[str, _Draft] = {}
    for ref in now.items:
        # the reasons are in the plan's banner: each item says only why it is there
        _add_catalogue(ctx, drafts, ref, f"{level.capitalize()} level")
    items = tuple(d.freeze() for d in _ordered(drafts.values()))
    return Phase(
        id="now",
        name=now.name,
        goal=now.goal,
        entry=now.entry,
        exit=now.exit,
        days_min=0,
        days_max=1,
        running=_running(ctx, level, "now"),
        items=items,
    )


def _running(
    ctx: _Context, level: TriageLevel, phase: PlanPhaseId, *, screen_open: bool = False
) -> RunningAdvice:
    """The phase's running advice (plan.guidance), for the causes under consideration."""
    return _running_for(ctx.rules, ctx.causes, ctx.person, level, phase, screen_open=screen_open)


def _running_for(
    rules: Rules,
    causes: Sequence[_Cause],
    person: PersonSettings,
    level: TriageLevel,
    phase: PlanPhaseId,
    *,
    screen_open: bool = False,
) -> RunningAdvice:
    bone = next((c.name for c in causes if c.group.bone_stress), None)
    runs = min(person.days_per_week, rules.max_runs_per_week)
    return running_advice(
        rules, level, phase, screen_open=screen_open, bone_stress=bone, runs_per_week=runs
    )


def _phase_days(ctx: _Context, phase: PhaseId) -> tuple[int, int]:
    rules = ctx.rules
    lo, hi = rules.phase(phase).days
    leading = ctx.causes[0]
    if phase in leading.group.days:
        lo, hi = leading.group.days[phase]
    # A bone stress cause anywhere in the list sets the floor: 6-8 weeks without impact.
    for c in ctx.causes:
        if c.group.bone_stress and phase in c.group.days:
            blo, bhi = c.group.days[phase]
            lo, hi = max(lo, blo), max(hi, bhi)
    few = rules.few_days
    if ctx.person.days_per_week < few.below and phase in few.phases:
        lo, hi = round(lo * few.stretch), round(hi * few.stretch)
    return lo, hi


def _criteria(ctx: _Context, phase: PhaseId, which: str) -> str:
    base = ctx.rules.phase(phase)
    parts = [(base.entry if which == "entry" else base.exit).text]
    for c in ctx.causes:
        if not _tailors(c):
            continue
        extra = (c.group.entry_extra if which == "entry" else c.group.exit_extra).get(phase)
        if extra and extra.text not in parts:
            parts.append(extra.text)
    return " ".join(parts)


def _phase(ctx: _Context, pid: PhaseId, level: TriageLevel, *, first: bool) -> Phase:
    rules = ctx.rules
    findings = ctx.assessment.findings
    drafts: dict[str, _Draft] = {}

    def take(refs: Iterable[ItemRef], label: str) -> None:
        for ref in refs:
            if ref.when is not None and not ref.when.holds(findings):
                continue
            why_label = label
            if ref.when is not None:
                matched = ref.when.matched(findings)
                if matched:
                    phrases = [_phrase(ctx.kb, f) for f in matched]
                    why_label += (", with " if why_label else "With ") + join_words(phrases)
            if ref.id in rules.catalogue:
                _add_catalogue(ctx, drafts, ref, why_label, pid)
            else:
                _add_exercise(ctx, drafts, ref, why_label, pid)

    if first and level == "soon":
        take(rules.soon, f"Soon level ({_first_reason(ctx)})")
    for c in ctx.causes:
        if _tailors(c):
            take(c.group.items.get(pid, ()), c.label())
    for trig in rules.findings.values():
        if trig.when is None or trig.when.holds(findings):
            take(trig.items.get(pid, ()), trig.name)
    for factor in ctx.assessment.contributing_factors:
        factor_rule = rules.factors.get(factor)
        if factor_rule is not None:
            take(factor_rule.items.get(pid, ()), f"Contributing factor: {factor_rule.name.lower()}")
    ath = rules.athletes.get(ctx.athlete)
    if ath is not None:
        take(ath.items.get(pid, ()), ath.name)
    take(rules.phase(pid).items, "")  # part of every plan: the reason alone says it

    # Drop items made redundant by a stronger one (e.g. "pause running" under a bone stress stop).
    present = set(drafts)
    kept = [d for d in drafts.values() if not (set(d.replaced_by) & present)]
    exercises = [d for d in kept if d.kind == "exercise"]
    cap = rules.phase(pid).max_exercises
    if len(exercises) > cap:
        dropped = {d.id for d in exercises[cap:]}
        kept = [d for d in kept if d.id not in dropped]
    lo, hi = _phase_days(ctx, pid)
    base = rules.phase(pid)
    return Phase(
        id=pid,
        name=base.name,
        goal=base.goal,
        entry=_criteria(ctx, pid, "entry"),
        exit=_criteria(ctx, pid, "exit"),
        days_min=lo,
        days_max=hi,
        running=_running(ctx, level, pid),
        items=tuple(d.freeze() for d in _ordered(kept)),
    )


def _phrase(kb: KnowledgeBase, finding_id: str) -> str:
    """A finding answered yes, in everyday words."""
    if finding_id in kb.wording.findings:
        return kb.wording.phrase(finding_id, True)
    return finding_id.replace("_", " ")


def _first_reason(ctx: _Context) -> str:
    reasons = ctx.assessment.triage.reasons
    return reasons[0].rstrip(".") if reasons else "book a visit"


def _ordered(drafts: Iterable[_Draft]) -> list[_Draft]:
    return sorted(drafts, key=lambda d: _KIND_ORDER[d.kind])


def _fill(text: str, ctx: _Context) -> str:
    runs = min(ctx.person.days_per_week, ctx.rules.max_runs_per_week)
    return text.replace("{runs}", str(runs)).replace("{days}", str(ctx.person.days_per_week))


def _restricted(ctx: _Context, flags: Mapping[str, bool], phase: PhaseId | None) -> bool:
    if phase is None:
        return False
    for flag, until in ctx.restrictions.items():
        if flags.get(flag) and PHASES.index(phase) < PHASES.index(until):
            return True
    return False


def _add_catalogue(
    ctx: _Context,
    drafts: dict[str, _Draft],
    ref: ItemRef,
    label: str,
    phase: PhaseId | None = None,
) -> None:
    item = ctx.rules.catalogue[ref.id]
    impact = item.impact or item.kind == "run"
    if _restricted(ctx, {"impact": impact}, phase) or _too_early_to_run(item.kind, phase):
        return
    # A run or ride drawn from a library exercise obeys that exercise's contraindications.
    if (
        item.guide is not None
        and phase is not None
        and item.guide in ctx.library
        and not ctx.library.allowed(item.guide, ctx.condition_ids, phase)
    ):
        return
    why = f"{label}: {ref.why}" if label else ref.why
    sources = (*ref.sources, *item.sources)
    if ref.id in drafts:
        drafts[ref.id].add(why, sources)
        return
    drafts[ref.id] = _Draft(
        kind=item.kind,
        id=ref.id,
        name=item.name,
        dose=_fill(ref.dose or item.dose, ctx),
        whys=[why],
        sources=list(dict.fromkeys(sources)),
        details=_fill(item.text, ctx),
        impact=impact,
        replaces=None,
        guide=item.guide,
        replaced_by=item.replaced_by,
    )


def _too_early_to_run(kind: ItemKind, phase: PhaseId | None) -> bool:
    """Runs never come before the return-to-run phase, whatever the rules say."""
    return (
        kind == "run"
        and phase is not None
        and (PHASES.index(phase) < PHASES.index(CLEARANCE_PHASE))
    )


def _candidates(ref: ItemRef, library: ExerciseLibrary) -> list[str]:
    """The exercise, its listed alternatives, then their regressions, breadth first."""
    order: list[str] = []
    queue = [ref.id, *ref.alternatives]
    while queue:
        eid = queue.pop(0)
        if eid in order or eid not in library:
            continue
        order.append(eid)
        queue.extend(library.get(eid).regressions)
    return order


def _add_exercise(
    ctx: _Context, drafts: dict[str, _Draft], ref: ItemRef, label: str, phase: PhaseId
) -> None:
    library = ctx.library
    first_problem = "" if ref.id in library else "is not in the exercise library"
    chosen: Exercise | None = None
    for eid in _candidates(ref, library):
        ex = library.get(eid)
        problem = _unsuitable(ctx, ex, phase)
        if problem is None:
            chosen = ex
            break
        if eid == ref.id:
            first_problem = problem
    if chosen is None:
        # An id missing from the library is a data error the tests catch, not news for people.
        if first_problem and ref.id in library:
            ctx.notes.append(
                f"Left out {_name(library, ref.id)} in the {phase.replace('_', ' ')} phase: "
                f"{first_problem}."
            )
        return
    why = f"{label}: {ref.why}" if label else ref.why
    replaces = None
    if chosen.id != ref.id:
        replaces = ref.id
        why += f" {chosen.name} stands in for {_name(library, ref.id)}, which {first_problem}."
    sources = (*ref.sources, *chosen.sources)
    if chosen.id in drafts:
        drafts[chosen.id].add(why, sources)
        return
    drafts[chosen.id] = _Draft(
        kind=_KIND_OF_CATEGORY.get(chosen.category, "exercise"),
        id=chosen.id,
        name=chosen.name,
        dose=ref.dose or _dose(ctx, chosen),
        whys=[why],
        sources=list(dict.fromkeys(sources)),
        details=chosen.purpose,
        impact=chosen.impact,
        replaces=replaces,
        guide=chosen.id,
    )


def _name(library: ExerciseLibrary, eid: str) -> str:
    return library.get(eid).name if eid in library else eid.replace("_", " ")


def _unsuitable(ctx: _Context, ex: Exercise, phase: PhaseId) -> str | None:
    """Why this exercise cannot be used here, or None when it can."""
    if ex.id in ctx.avoid:
        return "is avoided for the possible causes (for example it compresses a sore tendon)"
    if phase not in ex.phases:
        return f"does not belong in the {phase.replace('_', ' ')} phase"
    if not ctx.library.allowed(ex.id, ctx.condition_ids, phase):
        reasons = ctx.library.contraindications_for(ex.id, ctx.condition_ids, phase)
        return (
            "is not advised here: " + reasons[0].reason.rstrip(".")
            if reasons
            else ("is not advised here")
        )
    if _restricted(ctx, {"impact": ex.impact, "loaded_extension": ex.loaded_extension}, phase):
        return "loads the back or bone in a way to avoid until later"
    if _too_early_to_run(_KIND_OF_CATEGORY.get(ex.category, "exercise"), phase):
        return "is running, which waits for the return-to-run phase"
    missing = [e for e in ex.equipment if e not in ctx.equipment]
    if missing:
        return "needs " + " and ".join(m.replace("_", " ") for m in missing)
    return None


def _dose(ctx: _Context, ex: Exercise) -> str:
    dose = ex.dose.text
    days = ctx.person.days_per_week
    # Strength work is tied to training days; mobility and stretches fit around daily life.
    if ex.category == "strength" and days < ex.dose.per_week < 7:
        dose += f" (you train {days} day{'s' if days > 1 else ''} a week: do it on each)"
    return dose


def _seek_help(ctx: _Context, level: TriageLevel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The plan's warning signs, and the causes' own (from the knowledge base).

    An exercise plan lists every tailored cause's own signs; a "what to do now" plan only those
    of the cause a warning sign points to (or the leading one). A cause's line that restates
    the plan's warning signs (``seek_help_restated``) is left out, so each sign is listed once,
    except at urgent level, where a cause's own reasons to go to an emergency department
    instead of waiting for the appointment are kept whole.
    """
    rules = ctx.rules
    exercise_plan = level_rank(level) < level_rank("urgent")
    general = [s.text for s in rules.seek_help if exercise_plan or not s.exercise_plan_only]
    restated = [] if level == "urgent" else [w.lower() for w in rules.seek_help_restated]
    if exercise_plan:
        causes = [c for c in ctx.causes if _tailors(c)]
    else:
        causes = [c for c in ctx.causes if c.flagged] or ctx.causes[:1]
    own: list[str] = []
    for c in causes:
        cond = ctx.kb_conditions.get(c.id)
        for line in cond.seek_help_sooner if cond is not None else ():
            if not any(w in line.lower() for w in restated):
                own.append(f"If it is {c.name}: {line.rstrip('.')}.")
    return tuple(dict.fromkeys(general)), tuple(dict.fromkeys(own))
