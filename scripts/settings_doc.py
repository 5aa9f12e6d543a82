"""Write docs/settings.md from the settings class (tests/service/test_settings.py checks it).

python scripts/settings_doc.py
"""

from __future__ import annotations

from pathlib import Path

from backstride.settings import settings_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def main() -> None:
    DOC.write_text(settings_markdown(), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
