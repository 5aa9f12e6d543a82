"""The plan as Markdown: phases, items with dose, why and sources, an exercise guide, sources.

The exercise guide links each exercise's figure (start and end panels) as an SVG file, with a key
to the figures; :func:`figure_files` gives those files, for the caller to write beside the
Markdown file.
"""

from __future__ import annotations

from pathlib import PurePath

from backstride.plan.exercises import ExerciseLibrary
from backstride.plan.export.common import (
    KIND_LABEL,
    TITLE,
    linked_names,
    plan_exercises,
    plan_sources,
    summary_lines,
)
from backstride.plan.figures import LEGEND, alt_text, render_legend_svg, render_svg
from backstride.plan.model import Plan, PlanItem


def _md(text: str) -> str:
    # Keep people's text from turning into Markdown syntax by accident.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


def _cite(ids: tuple[str, ...]) -> str:
    return ", ".join(f"[{i}](#src-{i})" for i in ids)


def _item(item: PlanItem, guide: set[str]) -> list[str]:
    name = _md(item.name)
    if item.guide and item.guide in guide:
        name = f"[{name}](#ex-{item.guide})"
    head = f"- **{KIND_LABEL[item.kind]}: {name}**"
    if item.dose:
        head += f" — {_md(item.dose)}"
    lines = [head]
    if item.details and item.kind != "exercise":
        lines.append(f"  {_md(item.details)}")
    lines.append(f"  *Why:* {_md(item.why)}")
    lines.append(f"  *Sources:* {_cite(item.sources)}")
    # A trailing backslash is a hard line break in CommonMark: one line each, one list item.
    return [line + "\\" for line in lines[:-1]] + lines[-1:]


LEGEND_FILE = "legend.svg"


def figure_folder(markdown_name: str) -> str:
    """The folder beside a Markdown file that holds its figures (``plan.md``: ``plan-figures``)."""
    return f"{PurePath(markdown_name).stem}-figures"


def figure_files(plan: Plan, library: ExerciseLibrary) -> dict[str, str]:
    """The SVG files the exercise guide links: one per exercise, and the key, by file name."""
    files = {f"{ex.id}.svg": render_svg(ex) + "\n" for ex in plan_exercises(plan, library)}
    if files:
        files[LEGEND_FILE] = render_legend_svg() + "\n"
    return files


def _alt(text: str) -> str:
    # Alt text sits inside [...]: keep brackets and escapes from ending it early.
    return _md(text).replace("[", "(").replace("]", ")")


def render_markdown(plan: Plan, library: ExerciseLibrary, *, figure_dir: str | None = None) -> str:
    """The plan as a Markdown document.

    With ``figure_dir`` the exercise guide links each exercise's figure as
    ``{figure_dir}/{exercise_id}.svg`` and the key as ``{figure_dir}/legend.svg`` (the caller
    writes :func:`figure_files` there).
    """
    exercises = plan_exercises(plan, library)
    guide = {e.id for e in exercises}
    out = [f"# {TITLE}", "", f"> {_md(plan.disclaimer)}", ""]
    out += [f"## {_md(plan.triage_headline)}", "", _md(plan.triage_meaning), ""]
    out += [f"- {_md(r)}" for r in plan.triage_reasons]
    if plan.triage_reasons:
        out.append("")
    out += [_md(line) for line in summary_lines(plan)]
    out.append("")
    if plan.running_stopped:
        out += ["**Running is paused** until the return-to-run phase's entry criteria are met.", ""]

    out += ["## Get help sooner if", ""]
    out += [f"- {_md(s)}" for s in plan.seek_help]
    out.append("")

    for n, phase in enumerate(plan.phases, start=1):
        title = phase.name if phase.id == "now" else f"Phase {n}: {phase.name}"
        duration = "" if phase.id == "now" else f" ({phase.duration_text()})"
        out += [f"## {_md(title)}{duration}", "", f"*Goal:* {_md(phase.goal)}", ""]
        out += [
            f"**Start when:** {_md(phase.entry)}",
            "",
            f"**Move on when:** {_md(phase.exit)}",
            "",
        ]
        for item in phase.items:
            out += _item(item, guide)
        out.append("")

    if plan.notes:
        out += ["## Notes", ""] + [f"- {_md(n)}" for n in plan.notes] + [""]

    if exercises:
        out += ["## Exercise guide", ""]
        if figure_dir is not None:
            out += ["**How to read the figures:**", ""]
            out += [f"- **{_md(symbol)}:** {_md(meaning)}" for symbol, meaning in LEGEND]
            out += ["", f"![Key to the figures]({figure_dir}/{LEGEND_FILE})", ""]
        for ex in exercises:
            out += [f'<a id="ex-{ex.id}"></a>', "", f"### {_md(ex.name)}", ""]
            if figure_dir is not None:
                out += [f"![{_alt(alt_text(ex))}]({figure_dir}/{ex.id}.svg)", ""]
            out += [_md(ex.purpose), ""]
            out += [f"{i}. {_md(s)}" for i, s in enumerate(ex.steps, start=1)]
            out += ["", "**Cues:** " + " ".join(_md(c) for c in ex.cues)]
            out += ["", "**Common mistakes:** " + " ".join(_md(m) for m in ex.mistakes)]
            out += ["", f"**Dose:** {_md(ex.dose.text)}", "", f"**Pain rule:** {_md(ex.pain_rule)}"]
            kit = ", ".join(e.replace("_", " ") for e in ex.equipment) or "none"
            out += ["", f"**Equipment:** {_md(kit)}"]
            easier = linked_names(ex.regressions, library)
            harder = linked_names(ex.progressions, library)
            if easier:
                out += ["", f"**Easier:** {_md(easier)}"]
            if harder:
                out += ["", f"**Harder:** {_md(harder)}"]
            out += ["", f"*Sources:* {_cite(ex.sources)}", ""]

    out += ["## Sources", ""]
    for sid, src in plan_sources(plan, library):
        text = _md(src.citation) if src else "(citation missing)"
        if src and src.url:
            text += f" <{src.url}>"
        out.append(f'- <a id="src-{sid}"></a>**{sid}**: {text}')
    out.append("")
    return "\n".join(out)
