"""Plain records of what a person did and felt: activities and check-ins.

The importers produce :class:`Activity` records from watch files, the store saves and returns
them, and the figures and the weekly decision read them. Nothing here touches a file or a
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

Sport = Literal["run", "ride", "swim", "walk", "other"]
Terrain = Literal["flat", "hilly", "downhill", "trail", "track"]
SPORTS: tuple[Sport, ...] = get_args(Sport)
TERRAINS: tuple[Terrain, ...] = get_args(Terrain)


@dataclass(frozen=True, slots=True)
class Activity:
    """One run, ride, swim or walk. ``start`` is timezone-aware UTC."""

    sport: Sport
    start: datetime
    duration_s: float
    distance_m: float | None = None
    terrain: Terrain | None = None
    surface: str | None = None
    pain_during: int | None = None
    rpe: int | None = None
    aero_s: float | None = None
    source: str = "manual"

    @property
    def day(self) -> date:
        """The (UTC) day it started."""
        return self.start.date()

    @property
    def minutes(self) -> float:
        """Duration in minutes."""
        return self.duration_s / 60.0


@dataclass(frozen=True, slots=True)
class CheckIn:
    """How the day went: pain (NPRS 0-10), stiffness, PSFS, exercises done and warning signs.

    ``pain_morning`` is this morning's pain: the morning after the last session.
    ``passed`` lists the measurable criteria (see ``plan/data/progression.yaml``) the person
    checked that day and met. ``signs`` holds answers to warning-sign questions by finding id.
    """

    day: date
    pain_now: int | None = None
    pain_activity: int | None = None
    pain_morning: int | None = None
    stiffness_min: int | None = None
    psfs: tuple[tuple[str, int], ...] = ()
    done: tuple[str, ...] = ()
    notes: str = ""
    signs: tuple[tuple[str, bool], ...] = ()
    passed: tuple[str, ...] = ()

    def new_signs(self) -> tuple[str, ...]:
        """Warning signs answered yes."""
        return tuple(f for f, yes in self.signs if yes)
