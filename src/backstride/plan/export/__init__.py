"""Exports of a plan: Markdown, a standalone HTML page, PDF and iCalendar."""

from backstride.plan.export.html import render_html
from backstride.plan.export.ics import render_ics
from backstride.plan.export.markdown import render_markdown
from backstride.plan.export.pdf import render_pdf

__all__ = ["render_html", "render_ics", "render_markdown", "render_pdf"]
