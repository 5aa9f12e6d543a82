"""The plan as an iCalendar file: one weekly recurring session per phase, with reminders.

Each phase becomes a weekly event on the person's training days (RRULE with BYDAY and UNTIL)
for the phase's longer duration, so nobody is rushed past a phase; the description lists the
session and the criteria for moving on. A reminder (VALARM) fires before every session, and an
all-day "check" event at the end of each phase asks whether the exit criteria are met. At urgent
or emergency triage there is a single event for today: what to do now.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from backstride.plan.model import Phase, Plan

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Training days for each number of days a week: spread out, with rest days between.
TRAINING_DAYS: dict[int, tuple[str, ...]] = {
    1: ("SA",),
    2: ("TU", "SA"),
    3: ("MO", "WE", "SA"),
    4: ("MO", "WE", "FR", "SU"),
    5: ("MO", "TU", "TH", "FR", "SU"),
    6: ("MO", "TU", "WE", "TH", "FR", "SA"),
    7: WEEKDAYS,
}
SESSION_TIME = time(18, 0)
SESSION_MINUTES = 45
REMINDER_MINUTES = 30
PRODID = "-//backstride//plan//EN"


def _description(phase: Phase) -> str:
    lines = [phase.goal, "", f"Start when: {phase.entry}", f"Move on when: {phase.exit}", ""]
    for item in phase.items:
        line = f"- [{item.kind}] {item.name}"
        if item.dose:
            line += f": {item.dose}"
        lines.append(line)
    return "\n".join(lines)


def _first_on(day: date, byday: list[str]) -> date:
    """The first training day on or after ``day``."""
    while WEEKDAYS[day.weekday()] not in byday:
        day += timedelta(days=1)
    return day


def _alarm(text: str, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _uid(plan_key: str, what: str) -> str:
    return f"{plan_key}-{what}@backstride"


def render_ics(plan: Plan, start: date, *, stamp: datetime | None = None) -> bytes:
    """The plan as an .ics calendar starting on ``start``.

    ``stamp`` fixes DTSTAMP (for reproducible files); it defaults to ``start`` at midnight UTC.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "backstride plan")
    dtstamp = stamp or datetime.combine(start, time(0, 0))
    key = f"{start.isoformat()}-{plan.triage}-{plan.leading.id if plan.leading else 'general'}"

    if not plan.exercise_plan:
        phase = plan.phases[0]
        ev = Event()
        ev.add("uid", _uid(key, "now"))
        ev.add("dtstamp", dtstamp)
        ev.add("summary", f"backstride: {plan.triage_headline}")
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(days=1))
        ev.add("description", plan.triage_meaning + "\n\n" + _description(phase))
        ev.add_component(_alarm(plan.triage_headline, 0))
        cal.add_component(ev)
        return bytes(cal.to_ical())

    byday = list(TRAINING_DAYS[plan.days_per_week])
    day = start
    for n, phase in enumerate(plan.phases, start=1):
        length = max(phase.days_max, 1)
        until = day + timedelta(days=length - 1)
        ev = Event()
        ev.add("uid", _uid(key, phase.id))
        ev.add("dtstamp", dtstamp)
        ev.add("summary", f"backstride phase {n}: {phase.name}")
        first_day = _first_on(day, byday)
        # A phase shorter than a week may hold no training day: start it on its first day.
        first = datetime.combine(first_day if first_day <= until else day, SESSION_TIME)
        ev.add("dtstart", first)
        ev.add("dtend", first + timedelta(minutes=SESSION_MINUTES))
        ev.add(
            "rrule",
            vRecur(freq="WEEKLY", byday=byday, until=datetime.combine(until, time(23, 59))),
        )
        ev.add("description", _description(phase))
        ev.add_component(_alarm(f"backstride: {phase.name} session", REMINDER_MINUTES))
        cal.add_component(ev)

        check = Event()
        check.add("uid", _uid(key, f"{phase.id}-check"))
        check.add("dtstamp", dtstamp)
        check.add("summary", f"backstride: check phase {n} ({phase.name})")
        check.add("dtstart", until)
        check.add("dtend", until + timedelta(days=1))
        check.add(
            "description", f"Move on when: {phase.exit}\nIf not yet, keep going with this phase."
        )
        cal.add_component(check)
        day = until + timedelta(days=1)
    return bytes(cal.to_ical())
