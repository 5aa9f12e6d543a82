"""Watch files for the tests and benchmarks, generated here: FIT with fit-tool (Garmin's format,
encoded by a library from the package registry), GPX with gpxpy, TCX from a small template.

fit-tool builds about a thousand messages a second, too slow for hundreds of files, so each
FIT layout is encoded once and copies are moved in time by rewriting their timestamp fields
and the CRCs (``shift_fit``).
"""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
FIT_SPORTS = {"run": "RUNNING", "ride": "CYCLING", "swim": "SWIMMING", "walk": "WALKING"}
TEMPLATE_START = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


@cache
def fit_template(
    sport: str = "run", minutes: int = 30, km: float = 5.0, every_s: int = 10
) -> bytes:
    """An activity FIT file encoded by fit-tool, starting at TEMPLATE_START."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport

    ms = int(TEMPLATE_START.timestamp() * 1000)
    seconds = minutes * 60
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = ms
    file_id.serial_number = 1
    builder.add(file_id)
    start = EventMessage()
    start.event = Event.TIMER
    start.event_type = EventType.START
    start.timestamp = ms
    builder.add(start)
    steps = max(seconds // every_s, 1)
    records = []
    for i in range(steps + 1):
        record = RecordMessage()
        record.timestamp = ms + i * every_s * 1000
        record.distance = km * 1000.0 * i / steps
        record.heart_rate = 140
        records.append(record)
    builder.add_all(records)
    session = SessionMessage()
    session.timestamp = ms + seconds * 1000
    session.start_time = ms
    session.sport = getattr(Sport, FIT_SPORTS[sport])
    session.total_elapsed_time = float(seconds)
    session.total_timer_time = float(seconds)
    session.total_distance = km * 1000.0
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = ms + seconds * 1000
    activity.num_sessions = 1
    builder.add(activity)
    data: bytes = builder.build().to_bytes()
    return data


def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        crc = n
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = _crc_table()


def fit_crc(data: bytes | bytearray) -> int:
    """The FIT CRC (CRC-16/ARC)."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


# (global message number, field number) of uint32 time fields: every timestamp (253),
# file_id.time_created, session.start_time, lap.start_time, activity.local_timestamp.
TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}


def shift_fit(data: bytes, seconds: int) -> bytes:
    """The same FIT file moved ``seconds`` later, with both CRCs recomputed."""
    buf = bytearray(data)
    header = buf[0]
    end = header + int.from_bytes(buf[4:8], "little")
    pos = header
    layouts: dict[int, tuple[int, str, list[tuple[int, int]], int]] = {}
    while pos < end:
        record_header = buf[pos]
        pos += 1
        assert not record_header & 0x80, "compressed timestamps are not produced by fit-tool"
        local = record_header & 0x0F
        if record_header & 0x40:
            order = "little" if buf[pos + 1] == 0 else "big"
            number = int.from_bytes(buf[pos + 2 : pos + 4], order)  # type: ignore[arg-type]
            count = buf[pos + 4]
            pos += 5
            fields = [(buf[pos + 3 * i], buf[pos + 3 * i + 1]) for i in range(count)]
            pos += 3 * count
            dev = 0
            if record_header & 0x20:
                dev_count = buf[pos]
                pos += 1
                dev = sum(buf[pos + 3 * i + 1] for i in range(dev_count))
                pos += 3 * dev_count
            layouts[local] = (number, order, fields, dev)
            continue
        number, order, fields, dev = layouts[local]
        for field, size in fields:
            if size == 4 and (field == 253 or (number, field) in TIME_FIELDS):
                value = int.from_bytes(buf[pos : pos + 4], order)  # type: ignore[arg-type]
                if value != 0xFFFFFFFF:
                    buf[pos : pos + 4] = (value + seconds).to_bytes(4, order)  # type: ignore[arg-type]
            pos += size
        pos += dev
    if header == 14:
        buf[12:14] = fit_crc(buf[:12]).to_bytes(2, "little")
    buf[end : end + 2] = fit_crc(buf[:end]).to_bytes(2, "little")
    return bytes(buf)


def fit_file(
    start: datetime, sport: str = "run", minutes: int = 30, km: float = 5.0, every_s: int = 10
) -> bytes:
    """A FIT activity starting at ``start``."""
    offset = int((start - TEMPLATE_START).total_seconds())
    return shift_fit(fit_template(sport, minutes, km, every_s), offset)


GPX_TYPES = {"run": "running", "ride": "cycling", "swim": "swimming", "walk": "walking"}


def gpx_file(
    start: datetime,
    sport: str = "run",
    minutes: int = 30,
    km: float = 5.0,
    aero_from: int | None = None,
    with_times: bool = True,
) -> bytes:
    """A GPX track written by gpxpy; points from minute ``aero_from`` on are marked aero."""
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack(name="generated")
    track.type = GPX_TYPES[sport]
    segment = gpxpy.gpx.GPXTrackSegment()
    steps = minutes
    for i in range(steps + 1):
        lat = 60.0 + (km / 111.0) * i / steps  # due north: one degree of latitude is ~111 km
        point = gpxpy.gpx.GPXTrackPoint(
            lat, 10.0, time=start + timedelta(minutes=i) if with_times else None
        )
        if aero_from is not None:
            ext = ET.Element("position")
            ext.text = "aero" if i >= aero_from else "upright"
            point.extensions.append(ext)
        segment.points.append(point)
    track.segments.append(segment)
    gpx.tracks.append(track)
    return gpx.to_xml().encode()


TCX_SPORTS = {"run": "Running", "ride": "Biking", "swim": "Other", "walk": "Other"}


def tcx_file(
    start: datetime,
    sport: str = "run",
    minutes: int = 30,
    km: float = 5.0,
    aero_s: int | None = None,
) -> bytes:
    """A TCX activity from a small template (one lap, a trackpoint a minute)."""
    points = []
    for i in range(minutes + 1):
        stamp = (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f"<Trackpoint><Time>{stamp}</Time>"
            f"<DistanceMeters>{km * 1000 * i / minutes:.1f}</DistanceMeters>"
            f"<HeartRateBpm><Value>140</Value></HeartRateBpm></Trackpoint>"
        )
    aero = f"<Extensions><AeroTimeSeconds>{aero_s}</AeroTimeSeconds></Extensions>" if aero_s else ""
    iso = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{TCX_SPORTS[sport]}"><Id>{iso}</Id>'
        f'<Lap StartTime="{iso}"><TotalTimeSeconds>{minutes * 60}</TotalTimeSeconds>'
        f"<DistanceMeters>{km * 1000:.1f}</DistanceMeters><Calories>300</Calories>"
        f"<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
        f"<Track>{''.join(points)}</Track></Lap>{aero}</Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()


def gz(data: bytes) -> bytes:
    """gzip, as Strava's export stores activity files."""
    return gzip.compress(data)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive of these members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def garmin_export(path: Path, starts: list[datetime]) -> Path:
    """A zip shaped like a Garmin Connect export: activity files in a zip inside the zip."""
    inner = zip_bytes({f"{n}_ACTIVITY.fit": fit_file(s) for n, s in enumerate(starts, 1)})
    path.write_bytes(
        zip_bytes(
            {
                "DI_CONNECT/DI-Connect-Fitness/summarizedActivities.json": b"[]",
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner,
            }
        )
    )
    return path


def strava_export(path: Path, starts: list[datetime]) -> Path:
    """A zip shaped like a Strava bulk export: activities/*.fit.gz, *.gpx and *.tcx.gz."""
    members: dict[str, bytes] = {
        "activities.csv": b"Activity ID,Activity Date\n",
        "profile.csv": b"",
    }
    for n, start in enumerate(starts, 1):
        kind = n % 3
        if kind == 0:
            members[f"activities/{1000 + n}.fit.gz"] = gz(fit_file(start))
        elif kind == 1:
            members[f"activities/{1000 + n}.gpx"] = gpx_file(start)
        else:
            members[f"activities/{1000 + n}.tcx.gz"] = gz(tcx_file(start))
    path.write_bytes(zip_bytes(members))
    return path


def fit_without_times() -> bytes:
    """A FIT activity with records and a session but not a single timestamp."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    builder.add(file_id)
    for i in range(10):
        record = RecordMessage()
        record.distance = 100.0 * i
        builder.add(record)
    session = SessionMessage()
    session.sport = Sport.RUNNING
    session.total_distance = 1000.0
    builder.add(session)
    data: bytes = builder.build().to_bytes()
    return data


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode()
        for n in range(1, 10)
    )
    + b']>\n<gpx version="1.1" creator="x"><trk><name>&lol9;</name></trk></gpx>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b"<TrainingCenterDatabase><Activities><Activity><Id>&e;</Id></Activity></Activities>"
    b"</TrainingCenterDatabase>"
)


def fit_ride_with_aero(
    start: datetime, minutes: int = 60, *, aero_s: int | None = None, aero_from: int | None = None
) -> bytes:
    """A FIT ride whose aero time is a session developer field (``aero_s``), or whose records
    carry an 'aero_position' developer field set from minute ``aero_from`` on."""
    from fit_tool.base_type import BaseType
    from fit_tool.developer_field import DeveloperField
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
    from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    ms = int(start.timestamp() * 1000)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.time_created = ms
    builder.add(file_id)
    developer = DeveloperDataIdMessage()
    developer.developer_data_index = 0
    builder.add(developer)
    on_session = aero_s is not None
    description = FieldDescriptionMessage()
    description.developer_data_index = 0
    description.field_definition_number = 0
    description.fit_base_type_id = (BaseType.UINT32 if on_session else BaseType.UINT8).value
    description.field_name = "aero_time" if on_session else "aero_position"
    description.native_mesg_num = 18 if on_session else 20
    builder.add(description)
    if not on_session:
        for i in range(minutes + 1):
            record = RecordMessage()
            record.timestamp = ms + i * 60_000
            flag = DeveloperField(
                field_id=0, name="aero_position", base_type=BaseType.UINT8, size=1
            )
            flag.set_value(0, int(aero_from is not None and i >= aero_from))
            record.developer_fields = [flag]
            builder.add(record)
    session = SessionMessage()
    session.timestamp = ms + minutes * 60_000
    session.start_time = ms
    session.sport = Sport.CYCLING
    session.total_timer_time = float(minutes * 60)
    session.total_elapsed_time = float(minutes * 60)
    session.total_distance = minutes * 500.0
    if on_session:
        field = DeveloperField(field_id=0, name="aero_time", base_type=BaseType.UINT32, size=4)
        field.set_value(0, aero_s)
        session.developer_fields = [field]
    builder.add(session)
    data: bytes = builder.build().to_bytes()
    return data
