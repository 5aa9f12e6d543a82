"""Exports of a plan: Markdown, a standalone HTML page, PDF and iCalendar.

Each renderer is imported on first use (``from backstride.plan.export import render_pdf`` still
works), so a plan without --pdf never loads fpdf.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backstride.plan.export.html import render_html
    from backstride.plan.export.ics import render_ics
    from backstride.plan.export.markdown import render_markdown
    from backstride.plan.export.pdf import render_pdf

_MODULE = {
    "render_html": "html",
    "render_ics": "ics",
    "render_markdown": "markdown",
    "render_pdf": "pdf",
}
__all__ = ["render_html", "render_ics", "render_markdown", "render_pdf"]


def __getattr__(name: str) -> Any:
    if name in _MODULE:
        return getattr(import_module(f"{__name__}.{_MODULE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
