"""Limits that keep a bad or hostile file from exhausting memory or disk."""

from __future__ import annotations

# A real FIT file of a long day is a few MB; GPX/TCX of an ultra some tens of MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
# A zip member may expand to at most this, and at most this many times its packed size.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_RATIO = 100
# A whole archive (a Garmin or Strava export of many years) may hold this much in all.
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024 * 1024
MAX_MEMBERS = 200_000
MAX_NESTING = 2  # a Garmin export holds zips of activity files inside its zip
