"""Importing watch files: every format, real export shapes, duplicates, and every bad file."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.ingest import FileProblem, parse
from backstride.ingest.limits import MAX_FILE_BYTES
from backstride.recovery.exchange import export_document
from backstride.recovery.workspace import close_stores
from tests.watchfiles import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    fit_file,
    fit_ride_with_aero,
    fit_without_times,
    garmin_export,
    gpx_file,
    gz,
    strava_export,
    tcx_file,
    zip_bytes,
)

T0 = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
NOW = "2026-11-01T12:00:00Z"


@pytest.mark.parametrize("sport", ["run", "ride", "swim"])
@pytest.mark.parametrize("fmt", ["fit", "gpx", "tcx"])
def test_each_format_gives_the_sport_start_time_and_distance(fmt: str, sport: str) -> None:
    make = {"fit": fit_file, "gpx": gpx_file, "tcx": tcx_file}[fmt]
    data = make(T0, sport=sport, minutes=40, km=8.0)
    for name, blob in ((f"a.{fmt}", data), (f"a.{fmt}.gz", gz(data))):
        [activity] = parse(name, blob)
        assert activity.start == T0
        assert activity.duration_s == 40 * 60
        assert activity.distance_m == pytest.approx(8000, rel=0.01)
        expected = sport if not (fmt == "tcx" and sport == "swim") else "other"
        assert activity.sport == expected


def test_aero_time_from_a_position_field_and_from_a_dedicated_field() -> None:
    [gpx] = parse("ride.gpx", gpx_file(T0, "ride", minutes=60, aero_from=20))
    assert gpx.aero_s == 40 * 60
    [tcx] = parse("ride.tcx", tcx_file(T0, "ride", minutes=60, aero_s=1500))
    assert tcx.aero_s == 1500
    [run] = parse("run.gpx", gpx_file(T0, "run"))
    assert run.aero_s is None
    [fit_field] = parse("ride.fit", fit_ride_with_aero(T0, aero_s=1500))
    assert (fit_field.sport, fit_field.aero_s) == ("ride", 1500)
    [fit_records] = parse("ride.fit", fit_ride_with_aero(T0, 60, aero_from=45))
    assert fit_records.aero_s == 15 * 60


def imported(run: Any, *paths: Path | str) -> Any:
    r = run("import", *map(str, paths), "--json", now=NOW)
    assert r.code == 0, r.err
    return r.json


def saved_activities() -> list[dict[str, Any]]:
    close_stores()
    doc = export_document()
    close_stores()
    return list(doc["activities"])


def test_garmin_and_strava_exports_import_and_again_are_duplicates(
    run: Any, tmp_path: Path
) -> None:
    garmin = garmin_export(tmp_path / "garmin.zip", [T0 + timedelta(days=d) for d in range(3)])
    strava = strava_export(tmp_path / "strava.zip", [T0 + timedelta(days=10 + d) for d in range(6)])
    first = imported(run, garmin, strava)
    assert (first["files"], first["imported"], first["duplicates"], first["failed"]) == (
        9,
        9,
        0,
        [],
    )
    again = imported(run, garmin, strava)
    assert (again["imported"], again["duplicates"]) == (0, 9)
    starts = [a["start"] for a in saved_activities()]
    assert starts[0] == "2026-10-05T07:00:00Z" and len(starts) == 9


def test_folders_and_single_files_and_the_terminal_summary(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "watch"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.fit").write_bytes(fit_file(T0))
    (folder / "sub" / "b.gpx").write_bytes(gpx_file(T0 + timedelta(days=1)))
    (folder / "notes.txt").write_text("not an activity")
    single = tmp_path / "c.tcx.gz"
    single.write_bytes(gz(tcx_file(T0 + timedelta(days=2))))
    r = run("import", str(folder), str(single), now=NOW)
    assert r.code == 0, r.err
    assert "Imported 3 activities from 3 file(s); skipped 0 duplicate(s); 0 failed." in r.out


def bad_files(tmp_path: Path) -> dict[str, str]:
    """Every kind of bad file, and a word each failure message must contain."""
    bad = tmp_path / "bad"
    bad.mkdir()
    good = fit_file(T0 + timedelta(days=30))
    (bad / "truncated.fit").write_bytes(good[: len(good) // 2])
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 0xFF
    (bad / "crc.fit").write_bytes(bytes(flipped))
    (bad / "malformed.gpx").write_bytes(b"<gpx><trk><trkseg><trkpt lat='1' lon='2'></trk>")
    (bad / "laughs.gpx").write_bytes(BILLION_LAUGHS)
    (bad / "external.tcx").write_bytes(EXTERNAL_ENTITY)
    with (bad / "huge.fit").open("wb") as f:  # sparse: no disk used
        f.truncate(MAX_FILE_BYTES + 1)
    (bad / "no_times.fit").write_bytes(fit_without_times())
    (bad / "no_times.gpx").write_bytes(gpx_file(T0, with_times=False))
    (bad / "bomb.zip").write_bytes(
        zip_bytes({"big.fit": bytes(70 * 1024 * 1024), "dense.gpx": bytes(8 * 1024 * 1024)})
    )
    with zipfile.ZipFile(bad / "traversal.zip", "w") as archive:
        archive.writestr("../../evil.fit", fit_file(T0 + timedelta(days=40)))
        archive.writestr("/abs.fit", fit_file(T0 + timedelta(days=41)))
    (bad / "broken.gz.fit.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    return {
        "truncated.fit": "truncated",
        "crc.fit": "CRC",
        "malformed.gpx": "malformed XML",
        "laughs.gpx": "DTD or entities",
        "external.tcx": "DTD or entities",
        "huge.fit": "refused before parsing",
        "no_times.fit": "no timestamps",
        "no_times.gpx": "no timestamps",
        "bomb.zip:big.fit": "over 64 MB",
        "bomb.zip:dense.gpx": "zip bomb",
        "traversal.zip:../../evil.fit": "unsafe path",
        "traversal.zip:/abs.fit": "unsafe path",
        "broken.gz.fit.gz": "gzip",
    }


def test_every_bad_file_is_reported_the_import_goes_on_and_nothing_saved_changes(
    run: Any, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.fit"
    earlier.write_bytes(fit_file(T0))
    imported(run, earlier)
    before = saved_activities()
    expected = bad_files(tmp_path)
    fresh = tmp_path / "bad" / "zz_good.fit"
    fresh.write_bytes(fit_file(T0 + timedelta(days=2)))
    summary = imported(run, tmp_path / "bad")
    by_tail = {f["file"].split("bad/", 1)[-1]: f["reason"] for f in summary["failed"]}
    for name, word in expected.items():
        assert name in by_tail, f"{name} was not reported: {sorted(by_tail)}"
        assert word.lower() in by_tail[name].lower(), (name, by_tail[name])
    assert summary["imported"] == 1  # the good file after all the bad ones
    after = saved_activities()
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert not (tmp_path.parent / "evil.fit").exists()


def test_a_missing_path_is_one_line_exit_2(run: Any, tmp_path: Path) -> None:
    r = run("import", str(tmp_path / "nope.fit"))
    assert r.code == 2 and "does not exist" in r.err and "Traceback" not in r.err


def test_the_parser_refuses_what_is_not_a_watch_file() -> None:
    with pytest.raises(FileProblem, match="not a FIT, GPX or TCX"):
        parse("notes.txt", b"hello")
    with pytest.raises(FileProblem, match="bad header"):
        parse("x.fit", b"hello world, not fit")
