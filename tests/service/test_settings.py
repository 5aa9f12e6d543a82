"""Settings: every variable is a field of the one class, documented in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backstride.errors import InputError
from backstride.settings import Settings, settings, settings_markdown, variable
from tests.conftest import ROOT, Run

SRC = ROOT / "src" / "backstride"
DOC = ROOT / "docs" / "settings.md"


def test_docs_settings_md_is_the_generated_table() -> None:
    assert DOC.read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is out of date: run .venv/bin/python scripts/settings_doc.py"
    )


def test_every_setting_has_a_description_and_a_row() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.description and len(field.description) > 20, name
        assert f"| `{variable(name)}` |" in doc


def test_every_backstride_variable_the_code_names_is_a_setting() -> None:
    """A variable read anywhere in the code must be declared (and so documented) here."""
    declared = {variable(n) for n in Settings.model_fields}
    named: set[str] = set()
    for path in SRC.rglob("*.py"):
        named |= set(re.findall(r"\bBACKSTRIDE_[A-Z][A-Z_]*[A-Z]\b", path.read_text("utf-8")))
    assert named - declared == set()
    assert {"BACKSTRIDE_HOME", "BACKSTRIDE_DATABASE_URL", "BACKSTRIDE_MODE"} <= named


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKSTRIDE_MODE", "service")
    monkeypatch.setenv("BACKSTRIDE_POOL_SIZE", "12")
    monkeypatch.setenv("BACKSTRIDE_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", "")  # empty counts as unset
    config = settings()
    assert (config.mode, config.pool_size, config.database_url) == ("service", 12, None)
    assert config.secret_key is not None and "k" * 40 not in repr(config)  # never printed


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BACKSTRIDE_MODE", "server", "BACKSTRIDE_MODE: Input should be 'local' or 'service'"),
        ("BACKSTRIDE_POOL_SIZE", "0", "BACKSTRIDE_POOL_SIZE: Input should be greater than"),
        ("BACKSTRIDE_POOL_SIZE", "many", "BACKSTRIDE_POOL_SIZE: Input should be a valid integer"),
    ],
)
def test_a_bad_value_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as caught:
        settings()
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_a_command_with_a_bad_setting_says_so_in_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_MODE", "server")
    result = run("progress")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "backstride: BACKSTRIDE_MODE: Input should be 'local' or 'service'"
    ]


def test_the_upload_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from backstride.paths import data_home, upload_folder

    assert upload_folder() == data_home() / "uploads" and upload_folder().is_dir()
    monkeypatch.setenv("BACKSTRIDE_UPLOAD_DIR", str(tmp_path / "shared"))
    assert upload_folder() == tmp_path / "shared" and upload_folder().is_dir()
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("BACKSTRIDE_UPLOAD_DIR", str(tmp_path / "file" / "sub"))
    with pytest.raises(InputError, match="cannot create the upload folder"):
        upload_folder()


def test_the_plain_readings_of_the_local_path_agree_with_the_class(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """data_home, database_url and service_mode read the environment without pydantic."""
    from backstride.paths import data_home
    from backstride.store.db import database_url, service_mode

    monkeypatch.setenv("BACKSTRIDE_HOME", f" {tmp_path / 'h'} ")
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", "postgresql+psycopg://u@h:5432/d")
    config = settings()
    assert config.home is not None and data_home() == Path(str(config.home).strip())
    assert database_url() == config.database_url
    for value, expected in (("", False), ("local", False), ("service", True)):
        monkeypatch.setenv("BACKSTRIDE_MODE", value)
        assert service_mode() is expected
        assert (settings().mode == "service") is expected
    monkeypatch.setenv("BACKSTRIDE_MODE", "Service")
    with pytest.raises(InputError, match="BACKSTRIDE_MODE"):
        service_mode()


def test_a_local_command_loads_no_pydantic_for_its_settings(tmp_path: Path) -> None:
    from tests.cli.test_startup import probe

    report = probe("log", "--pain", "3", home=tmp_path)
    assert {"pydantic", "pydantic_settings", "procrastinate", "fhir"} & report["top"] == set()
