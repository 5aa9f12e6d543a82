"""Where backstride keeps a person's data on this machine.

``BACKSTRIDE_HOME`` overrides the default (``~/.local/share/backstride``), which tests use.
"""

from __future__ import annotations

import os
from pathlib import Path

from backstride.errors import InputError


def data_home() -> Path:
    """The folder for saved assessments and other personal data; created on first use.

    InputError says so when the folder cannot be made (BACKSTRIDE_HOME naming a file, say).
    """
    # Read straight from the environment: no pydantic on the local path (a fast start). The
    # variable is declared and documented with the others in backstride.settings.
    override = os.environ.get("BACKSTRIDE_HOME", "").strip()
    home = Path(override) if override else Path.home() / ".local" / "share" / "backstride"
    named = "BACKSTRIDE_HOME" if override else "the data folder"
    if home.exists() and not home.is_dir():
        raise InputError(f"{named} '{home}' is a file, not a folder: point it at a folder")
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {named} '{home}': {exc.strerror or exc}") from None
    return home


def cache_home() -> Path:
    """The folder for caches that can be rebuilt at any time (the reader's checked rules):
    ``BACKSTRIDE_CACHE``, else ``$XDG_CACHE_HOME/backstride``, else ``~/.cache/backstride``.
    Not created here: a writer creates it, and a cache that cannot be written is skipped."""
    override = os.environ.get("BACKSTRIDE_CACHE", "").strip()
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "backstride"


def last_assessment_path() -> Path:
    """The JSON file where older versions of `backstride check` saved the latest assessment
    (imported into the database once, on first use)."""
    return data_home() / "last_assessment.json"


def upload_folder() -> Path:
    """Where uploaded archives wait for their import job (``BACKSTRIDE_UPLOAD_DIR``, default
    ``uploads`` in the data folder): in service mode, a folder every job worker can read."""
    from backstride.settings import settings

    folder = settings().upload_dir or data_home() / "uploads"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the upload folder '{folder}': {exc.strerror or exc}"
        ) from None
    return folder
