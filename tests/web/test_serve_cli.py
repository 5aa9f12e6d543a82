"""`backstride serve`: bad options get one line and exit 2; it says where it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--port", "0"), "--port 0 must be between 1 and 65535"),
        (("--port", "70000"), "--port 70000 must be between 1 and 65535"),
        (("--workers", "0"), "--workers 0 must be between 1 and 64"),
        (("--host", " "), "--host must not be empty"),
        (("--port", "x"), "Invalid value for '--port'"),
    ],
)
def test_bad_options_get_one_line(run: Run, args: tuple[str, ...], message: str) -> None:
    r = run("serve", *args)
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_a_bad_data_folder_is_refused_before_starting(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("BACKSTRIDE_HOME", str(not_a_folder))
    r = run("serve")
    assert r.code == 2 and "is a file, not a folder" in r.err


def test_help_names_the_options(run: Run) -> None:
    r = run("serve", "--help")
    assert r.code == 0
    for option in ("--host", "--port", "--workers", "/api/v1"):
        assert option in r.out
