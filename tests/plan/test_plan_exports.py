"""Exports: Markdown, standalone HTML, PDF (rendered with poppler) and iCalendar (parsed back)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from icalendar import Calendar

from backstride.plan.exercises import load_exercise_library
from backstride.plan.export import render_html, render_ics, render_markdown, render_pdf
from backstride.plan.export.common import plan_exercises
from backstride.plan.export.ics import TRAINING_DAYS
from backstride.plan.export.markdown import figure_files, figure_folder
from backstride.plan.figures import LEGEND, alt_text
from backstride.plan.generator import build_plan
from backstride.plan.model import PersonSettings, Plan, parse_assessment
from tests.screening import SCREENED

LIBRARY = load_exercise_library()


def make_plan(level: str = "self_care", days: int = 3, cause: str = "facet_joint") -> Plan:
    a = parse_assessment(
        {
            "triage": {"level": level, "reasons": ["Pain for more than 2 weeks."]},
            "conditions": [
                {"id": cause, "probability": 0.6},
                {"id": "nonspecific_mechanical", "probability": 0.3},
            ],
            "contributing_factors": ["long_daily_sitting"],
            "findings": {**SCREENED, "runner": True},
        }
    )
    return build_plan(a, PersonSettings(days_per_week=days))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan()


def test_markdown_has_phases_items_guide_and_sources(plan: Plan) -> None:
    md = render_markdown(plan, LIBRARY, figure_dir="figures")
    for p in plan.phases:
        assert f": {p.name}" in md
    for ex in plan_exercises(plan, LIBRARY):
        assert f"### {ex.name}" in md
        assert f"](figures/{ex.id}.svg)" in md
        assert f"![{ex.name}, " in md  # the alt text starts with the name
    for phase, item in plan.items():
        # a stop item is said by its phase's running advice
        assert (phase.running.text if item.kind == "stop" else item.name) in md.replace("\\", "")
    assert "[Frandsen et al. 2025](#src-" in md  # cited by author and year, linked to the list
    assert "frandsen2025" not in md and "shared\\_00" not in md  # never by internal key
    assert md.index("## Your plan on one page") < md.index("**Get help sooner if:**")
    assert md.index("**Get help sooner if:**") < md.index("## The full plan")


def test_markdown_figure_files_match_its_links_and_carry_a_legend(plan: Plan) -> None:
    md = render_markdown(plan, LIBRARY, figure_dir="plan-figures")
    files = figure_files(plan, LIBRARY)
    links = re.findall(r"!\[[^\]]*\]\(plan-figures/([^)]+)\)", md)
    assert sorted(links) == sorted(files) and "legend.svg" in files
    for name, svg in files.items():
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("aria-label"), name
    for _, meaning in LEGEND:
        assert meaning in md.replace("\\", "")
    assert figure_folder("plan.md") == "plan-figures"
    assert "legend.svg" not in render_markdown(plan, LIBRARY)  # no figures asked for, no key


def test_html_is_standalone_with_inline_figures(plan: Plan) -> None:
    page = render_html(plan, LIBRARY)
    assert page.startswith("<!DOCTYPE html>")
    assert 'name="viewport"' in page and "@media" in page
    guide = plan_exercises(plan, LIBRARY)
    # Each exercise: a looping figure and the still start and end panels; one key for all.
    assert page.count('class="figure-loop"') == page.count('class="figure-strip"') == len(guide)
    assert page.count('class="figure-legend"') == 1
    assert page.count("<svg") == 2 * len(guide) + 1 > 1
    # No external assets: no stylesheets, scripts, images or fonts fetched from anywhere.
    assert not re.search(r"<(link|script|img|iframe)\b", page)
    assert "url(http" not in page and "@import" not in page
    for ex in guide:
        assert f'id="ex-{ex.id}"' in page
        assert f"aria-label={quoteattr(alt_text(ex))}" in page
    assert f"level-{plan.triage}" in page


def test_html_animates_the_figures_without_script_and_explains_them(plan: Plan) -> None:
    page = render_html(plan, LIBRARY)
    guide = plan_exercises(plan, LIBRARY)
    assert page.count('repeatCount="indefinite"') >= len(guide)
    assert "<animate " in page and "<script" not in page
    assert "How to read the figures" in page
    for symbol, _ in LEGEND:
        assert escape(symbol) in page
    # Print and reduced motion keep only the still panels.
    assert re.search(r"@media print \{[^}]*\.figure-loop \{ display: none;", page)
    assert "prefers-reduced-motion" in page


def test_html_escapes_text() -> None:
    plan = make_plan()
    tricky = plan.model_copy(update={"triage_reasons": ("<script>alert(1)</script>",)})
    assert "<script>alert" not in render_html(tricky, LIBRARY)


def test_ics_parses_back_with_weekly_sessions_and_reminders(plan: Plan) -> None:
    start = date(2025, 3, 3)  # a Monday
    cal = Calendar.from_ical(render_ics(plan, start))
    events = [c for c in cal.walk("VEVENT")]
    sessions = [e for e in events if "RRULE" in e]
    assert len(sessions) == len(plan.phases)
    day = start
    for phase, ev in zip(plan.phases, sessions, strict=True):
        rule: Any = ev["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"]
        assert rule["BYDAY"] == list(TRAINING_DAYS[plan.days_per_week])
        until = rule["UNTIL"][0]
        assert until.date() == day + timedelta(days=phase.days_max - 1)
        first = ev.decoded("DTSTART")
        assert isinstance(first, datetime) and day <= first.date() <= until.date()
        alarms = [c for c in ev.walk("VALARM")]
        assert alarms and alarms[0]["ACTION"] == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") < timedelta(0)
        assert phase.name in str(ev["SUMMARY"])
        day = until.date() + timedelta(days=1)
    checks = [e for e in events if "RRULE" not in e]
    assert len(checks) == len(plan.phases)
    assert len({str(e["UID"]) for e in events}) == len(events)


@pytest.mark.parametrize("days", [1, 2, 5, 7])
def test_ics_uses_the_chosen_number_of_days(days: int) -> None:
    cal = Calendar.from_ical(render_ics(make_plan(days=days), date(2025, 3, 5)))
    for ev in cal.walk("VEVENT"):
        if "RRULE" in ev:
            rule: Any = ev["RRULE"]
            assert len(rule["BYDAY"]) == days


def test_ics_at_urgent_triage_is_one_event_today() -> None:
    plan = make_plan(level="urgent")
    cal = Calendar.from_ical(render_ics(plan, date(2025, 3, 3)))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and "RRULE" not in events[0]
    assert events[0].decoded("DTSTART") == date(2025, 3, 3)
    assert list(events[0].walk("VALARM"))


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (apt-get install -y poppler-utils)")
    return path


def test_pdf_renders_with_exercises_and_figures(plan: Plan, tmp_path: Path) -> None:
    pdftoppm = _need("pdftoppm")
    pdftotext = _need("pdftotext")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_pdf(plan, LIBRARY))
    text_file = tmp_path / "plan.txt"
    subprocess.run([pdftotext, "-layout", str(pdf), str(text_file)], check=True)
    text = re.sub(r"\s+", " ", text_file.read_text(encoding="utf-8", errors="replace"))
    guide = plan_exercises(plan, LIBRARY)
    assert guide
    for ex in guide:
        assert re.sub(r"\s+", " ", ex.name) in text, ex.name
    for p in plan.phases:
        assert p.name in text
    assert plan.triage_headline in text
    # The key to the figures and the panel labels are drawn as text.
    assert "Blue dashed arrow" in text and "1 Start" in text and "2 End" in text

    # Render every page; the guide pages must carry drawn figures, not just text.
    subprocess.run([pdftoppm, "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    from PIL import Image

    guide_page = next(
        p
        for p in pages
        if guide[0].name in _page_text(pdftotext, pdf, pages.index(p) + 1)
        and "Exercise guide" in _page_text(pdftotext, pdf, pages.index(p) + 1)
    )
    img = Image.open(guide_page).convert("L")
    width, height = img.size
    # The figure column (left ~30% of the page, below the heading) holds dark stroke pixels.
    figure = img.crop((0, int(height * 0.1), int(width * 0.33), int(height * 0.5)))
    dark = sum(figure.histogram()[:120])
    assert dark > 50, "no figure drawn on the exercise guide page"
    darkest: Any = img.getextrema()[0]
    assert darkest < 100  # the page is not blank


def _page_text(pdftotext: str, pdf: Path, page: int) -> str:
    out = subprocess.run(
        [pdftotext, "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def test_pdf_of_an_emergency_plan_renders(tmp_path: Path) -> None:
    pdftotext = _need("pdftotext")
    plan = make_plan(level="emergency")
    pdf = tmp_path / "now.pdf"
    pdf.write_bytes(render_pdf(plan, LIBRARY))
    text = _page_text(pdftotext, pdf, 1)
    assert "Emergency" in text and "emergency number" in text
