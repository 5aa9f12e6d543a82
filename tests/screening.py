"""Answers that close the warning-sign screen, for tests that need a complete screen.

Every red flag answered no, and the findings that anchor combinations of non-red-flag findings
(groin pain, for the femoral neck patterns) answered no too.
"""

from __future__ import annotations

from backstride.kb import default_knowledge_base

_KB = default_knowledge_base()

SCREENED: dict[str, bool] = {
    **{f.id: False for f in _KB.findings if f.red_flag},
    **{f: False for g in _KB.screening for f in g.items if not g.ask_each},
}
