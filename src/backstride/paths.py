"""Where backstride keeps a person's data on this machine.

``BACKSTRIDE_HOME`` overrides the default (``~/.local/share/backstride``), which tests use.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    """The folder for saved assessments and other personal data; created on first use."""
    home = Path(os.environ.get("BACKSTRIDE_HOME", Path.home() / ".local" / "share" / "backstride"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def last_assessment_path() -> Path:
    """The JSON file where `backstride check` saves its latest assessment."""
    return data_home() / "last_assessment.json"
