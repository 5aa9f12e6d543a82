"""FIT files, decoded with Garmin's FIT SDK (faster than fitdecode here: docs/benchmarks.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from backstride.ingest.parse import FileProblem
from backstride.track.model import Activity, Sport

FIT_SPORTS: dict[str, Sport] = {
    "running": "run",
    "trail_running": "run",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "swim",
    "walking": "walk",
    "hiking": "walk",
}


def read_messages(data: bytes) -> tuple[Any, list[Any]]:
    """(messages, errors) as the SDK decodes them: the same call the benchmark's bare parse makes.

    Components, sub-fields and merged heart rates are not expanded: the importer needs none of
    them. FileProblem when the bytes are not a FIT file.
    """
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    if not decoder.is_fit():
        raise FileProblem("not a FIT file (bad header)")
    messages, errors = decoder.read(
        expand_sub_fields=False, expand_components=False, merge_heart_rates=False
    )
    return messages, list(errors)


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """All messages of a FIT file, or FileProblem when it is not one, is damaged or truncated."""
    try:
        messages, errors = read_messages(data)
    except FileProblem:
        raise
    except Exception as exc:  # the SDK raises plain exceptions on garbage
        raise FileProblem(f"cannot decode the FIT file ({exc})") from None
    if errors:
        problem = str(errors[0]).strip().splitlines()[0] if str(errors[0]).strip() else "damaged"
        if "crc" in problem.lower():
            raise FileProblem("the FIT file is damaged: its CRC check failed")
        raise FileProblem(f"the FIT file is damaged or truncated ({problem})")
    return dict(messages)


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _aero_fields(messages: dict[str, list[dict[str, Any]]]) -> set[Any]:
    """Keys of the developer fields about the aero position (the SDK keys each developer field
    by its field description's ``key``)."""
    return {
        d.get("key")
        for d in messages.get("field_description_mesgs", [])
        if "aero" in str(d.get("field_name") or "").lower()
    }


def _dev_value(message: dict[str, Any], fields: set[Any]) -> Any:
    for key, value in (message.get("developer_fields") or {}).items():
        if key in fields:
            return value
    return None


def aero_seconds(
    messages: dict[str, list[dict[str, Any]]],
    session: dict[str, Any],
    start: datetime,
    end: datetime,
) -> float | None:
    """Time in the aero position: a session field that says it, or records flagged aero."""
    fields = _aero_fields(messages)
    if not fields:
        return None
    dedicated = _dev_value(session, fields)
    if isinstance(dedicated, int | float):
        return float(dedicated)
    total = 0.0
    previous: tuple[datetime, bool] | None = None  # the last record, and whether it was aero
    for record in messages.get("record_mesgs", []):
        stamp = _time(record.get("timestamp"))
        if stamp is None or not start <= stamp <= end:
            continue
        if previous is not None and previous[1]:
            total += (stamp - previous[0]).total_seconds()
        previous = (stamp, _dev_value(record, fields) in (1, True, "aero"))
    return total


def parse_fit(data: bytes, name: str) -> tuple[Activity, ...]:
    """Each session of a FIT file as an activity (the records stand in when there is none)."""
    messages = decode(data)
    sessions = messages.get("session_mesgs", [])
    records = messages.get("record_mesgs", [])
    stamps = [t for r in records if (t := _time(r.get("timestamp"))) is not None]
    out: list[Activity] = []
    for s in sessions:
        start = _time(s.get("start_time")) or (stamps[0] if stamps else None)
        if start is None:
            continue
        seconds = s.get("total_timer_time") or s.get("total_elapsed_time")
        if not isinstance(seconds, int | float) or seconds <= 0:
            end = _time(s.get("timestamp"))
            seconds = (end - start).total_seconds() if end else 0.0
        distance = s.get("total_distance")
        sport = FIT_SPORTS.get(str(s.get("sport")), "other")
        end_time = _time(s.get("timestamp")) or start
        out.append(
            Activity(
                sport=sport,
                start=start,
                duration_s=float(seconds),
                distance_m=float(distance) if isinstance(distance, int | float) else None,
                aero_s=aero_seconds(messages, s, start, end_time) if sport == "ride" else None,
                source=name,
            )
        )
    if not sessions and stamps:
        sport_msgs = messages.get("sport_mesgs", [])
        sport = FIT_SPORTS.get(str(sport_msgs[0].get("sport")), "other") if sport_msgs else "other"
        distances = [r["distance"] for r in records if isinstance(r.get("distance"), int | float)]
        out.append(
            Activity(
                sport=sport,
                start=stamps[0],
                duration_s=(stamps[-1] - stamps[0]).total_seconds(),
                distance_m=float(max(distances)) if distances else None,
                source=name,
            )
        )
    if not out:
        raise FileProblem("the file has no timestamps: no start time to file it under")
    return tuple(out)
