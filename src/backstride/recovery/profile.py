"""The person's profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backstride.errors import InputError
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec

AGE_BANDS = ("under_18", "18_34", "35_49", "50_64", "65_plus")
SEXES = ("female", "male", "other")
ATHLETES = ("runner", "triathlete")
MAX_PSFS = 3
# How each field is named in a message: the command-line options by default.
OPTION_NAMES = {
    "age_band": "--age-band",
    "sex": "--sex",
    "athlete": "--athlete",
    "days_per_week": "--days",
    "psfs_activities": "--psfs-activity",
    "equipment": "--equipment",
}


def check_profile(
    changes: Mapping[str, Any], names: Mapping[str, str] = OPTION_NAMES
) -> dict[str, Any]:
    """The changes checked (equipment parsed, 'mat' added); InputError names the first bad
    value by ``names`` (the CLI's options, or the API's fields). None means "leave as it is"."""
    from backstride.plan.equipment import parse_equipment

    out = dict(changes)
    age, sex, athlete = out.get("age_band"), out.get("sex"), out.get("athlete")
    days, psfs = out.get("days_per_week"), out.get("psfs_activities")
    if age is not None and age not in AGE_BANDS:
        raise InputError(f"{names['age_band']} '{age}' must be one of: {', '.join(AGE_BANDS)}")
    if sex is not None and sex not in SEXES:
        raise InputError(f"{names['sex']} '{sex}' must be one of: {', '.join(SEXES)}")
    if athlete is not None and athlete not in ATHLETES:
        raise InputError(f"{names['athlete']} '{athlete}' must be 'runner' or 'triathlete'")
    if days is not None and not 1 <= days <= 7:
        raise InputError(f"{names['days_per_week']} {days} must be between 1 and 7")
    if psfs is not None and len(psfs) > MAX_PSFS:
        raise InputError(f"{names['psfs_activities']} takes at most {MAX_PSFS} activities")
    if out.get("equipment"):
        out["equipment"] = sorted(parse_equipment(out["equipment"], names["equipment"]))
    return out


def get_profile(*, person: str = LOCAL_PERSON) -> dict[str, Any]:
    """The whole profile."""
    with person_session(person) as (_session, who):
        return rec.profile(who)


def update_profile(*, person: str = LOCAL_PERSON, **changes: Any) -> dict[str, Any]:
    """Set the given fields (None leaves one as it is) and return the whole profile."""
    with person_session(person) as (session, who):
        rec.update_profile(session, who, **changes)
        return rec.profile(who)
