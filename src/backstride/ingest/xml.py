"""GPX (gpxpy) and TCX (tcxreader) files. Every file is first parsed with defusedxml, which
refuses DTDs and entities (the billion-laughs and external-entity attacks), before either
library sees it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from backstride.ingest.parse import FileProblem
from backstride.track.model import Activity, Sport

# Sport names in GPX <type> and TCX Sport="" (Strava writes numbers in GPX: 1 ride, 9 run, ...).
SPORT_WORDS: tuple[tuple[str, Sport], ...] = (
    ("run", "run"),
    ("ride", "ride"),
    ("cycl", "ride"),
    ("bik", "ride"),
    ("swim", "swim"),
    ("walk", "walk"),
    ("hik", "walk"),
)
STRAVA_TYPES: dict[str, Sport] = {"1": "ride", "4": "walk", "9": "run", "10": "walk", "16": "swim"}


def sport_from(text: str | None) -> Sport:
    """run / ride / swim / walk from a sport name, else other."""
    value = (text or "").strip().lower()
    if value in STRAVA_TYPES:
        return STRAVA_TYPES[value]
    for word, sport in SPORT_WORDS:
        if word in value:
            return sport
    return "other"


def safe_tree(data: bytes) -> Element:
    """The XML's root element, parsed by defusedxml; FileProblem for attacks or malformed XML."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root: Element = DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FileProblem(
            f"refused: the XML declares a DTD or entities ({type(exc).__name__}), "
            "which watch files never need and attacks use"
        ) from None
    except ParseError as exc:
        raise FileProblem(f"malformed XML ({exc})") from None
    return root


def local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _all(root: Element, name: str) -> Iterator[Element]:
    for el in root.iter():
        if local(el.tag) == name:
            yield el


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(text: str | None) -> datetime | None:
    try:
        return _utc(datetime.fromisoformat((text or "").strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def aero_from_tree(root: Element, point_tag: str) -> float | None:
    """Aero time: a dedicated element ('AeroTime', 'aero_seconds', ...) in seconds, or points
    whose 'position' extension says aero, summed over the time to the next point."""
    for el in root.iter():
        name = local(el.tag).lower()
        if "aero" in name and el.text and re.fullmatch(r"\s*\d+(\.\d+)?\s*", el.text):
            return float(el.text)
    flagged = False
    total = 0.0
    previous: tuple[datetime, bool] | None = None
    for point in _all(root, point_tag):
        stamp = next(
            (
                _iso(c.text)
                for c in point.iter()
                if local(c.tag) == "time" or local(c.tag) == "Time"
            ),
            None,
        )
        aero = any(
            local(c.tag).lower() == "position" and (c.text or "").strip().lower() == "aero"
            for c in point.iter()
        )
        flagged = flagged or aero
        if stamp is not None:
            if previous is not None and previous[1]:
                total += (stamp - previous[0]).total_seconds()
            previous = (stamp, aero)
    return total if flagged else None


def parse_gpx(data: bytes, name: str) -> tuple[Activity, ...]:
    """Each track of a GPX file with timed points as an activity."""
    import gpxpy
    import gpxpy.gpx

    root = safe_tree(data)
    try:
        gpx = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except gpxpy.gpx.GPXException as exc:
        raise FileProblem(f"not a readable GPX file ({str(exc).splitlines()[0]})") from None
    out: list[Activity] = []
    for track in gpx.tracks:
        times = [p.time for seg in track.segments for p in seg.points if p.time is not None]
        if not times:
            continue
        start, end = _utc(min(times)), _utc(max(times))
        assert start is not None and end is not None
        sport = sport_from(track.type)
        out.append(
            Activity(
                sport=sport,
                start=start,
                duration_s=(end - start).total_seconds(),
                distance_m=float(track.length_2d()) or None,
                aero_s=aero_from_tree(root, "trkpt") if sport == "ride" else None,
                source=name,
            )
        )
    if not out and gpx.tracks:
        raise FileProblem("the file has no timestamps: no start time to file it under")
    return tuple(out)


def parse_tcx(data: bytes, name: str) -> tuple[Activity, ...]:
    """The activity of a TCX file."""
    from tcxreader.tcxreader import TCXReader

    root = safe_tree(data)
    if not any(_iso(el.text) for el in root.iter() if local(el.tag) in ("Id", "Time")):
        raise FileProblem("the file has no timestamps: no start time to file it under")
    try:
        exercise: Any = TCXReader().read(io.BytesIO(data), only_gps=False)
    except Exception as exc:  # tcxreader raises plain errors on odd files
        raise FileProblem(f"not a readable TCX file ({type(exc).__name__}: {exc})") from None
    start = _utc(exercise.start_time) or next(
        (t for el in root.iter() if local(el.tag) == "Id" and (t := _iso(el.text))), None
    )
    if start is None:
        raise FileProblem("the file has no timestamps: no start time to file it under")
    laps_seconds = sum(
        float(el.text) for el in _all(root, "TotalTimeSeconds") if el.text and _number(el.text)
    )
    seconds = laps_seconds or float(exercise.duration or 0.0)
    sport = sport_from(exercise.activity_type)
    return (
        Activity(
            sport=sport,
            start=start,
            duration_s=seconds,
            distance_m=float(exercise.distance) if exercise.distance else None,
            aero_s=aero_from_tree(root, "Trackpoint") if sport == "ride" else None,
            source=name,
        ),
    )


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
