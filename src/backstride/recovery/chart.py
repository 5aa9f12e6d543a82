"""The progress chart: pain during activity and the next morning over weekly running load, with
the plan's phase changes marked. matplotlib, loaded only when a chart is drawn."""

from __future__ import annotations

import io
from datetime import date, timedelta

from backstride.recovery.progress import Report
from backstride.track.load import week_of

FORMATS = ("svg", "png")
MOVE_STYLE = {
    "progress": ("tab:green", "up"),
    "step_back": ("tab:red", "back"),
    "suspend": ("black", "stop"),
    "clinician": ("tab:purple", "set"),  # a clinician moved the phase (service mode)
}


def render_chart(report: Report, fmt: str) -> bytes:
    """The chart as SVG or PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, pain_ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    load_ax = pain_ax.twinx()
    pain_ax.set_zorder(load_ax.get_zorder() + 1)
    pain_ax.patch.set_visible(False)

    weeks: dict[date, float] = {}
    for a in report.activities:
        if a.sport == "run":
            week = week_of(a.day)
            weeks[week] = weeks.get(week, 0.0) + (a.distance_m or 0.0) / 1000.0
    if weeks:
        load_ax.bar(
            [_x(w + timedelta(days=3)) for w in weeks],
            list(weeks.values()),
            width=6,
            color="tab:blue",
            alpha=0.25,
            label="running km per week",
        )
    load_ax.set_ylabel("running per week (km)")
    load_ax.set_ylim(bottom=0)

    during = [(c.day, c.pain_activity) for c in report.checkins if c.pain_activity is not None]
    morning = [(c.day, c.pain_morning) for c in report.checkins if c.pain_morning is not None]
    for series, label, style in (
        (during, "pain during activity", "o-"),
        (morning, "pain next morning", "s--"),
    ):
        if series:
            days = [_x(d) for d, _ in series]
            pain_ax.plot(days, [v for _, v in series], style, label=label, ms=3)
    pain_ax.axhline(3, color="tab:orange", lw=0.8, ls=":", label="pain rule (3/10)")
    pain_ax.set_ylim(0, 10)
    pain_ax.set_ylabel("pain (0-10)")

    for move in report.status.moves:
        if move.decision in MOVE_STYLE:
            color, word = MOVE_STYLE[move.decision]
            x = _x(move.at)
            pain_ax.axvline(x, color=color, lw=1, alpha=0.7)
            pain_ax.text(
                x,
                9.7,
                f" {word}: {move.rung.label}",
                rotation=90,
                va="top",
                fontsize=7,
                color=color,
            )
    pain_ax.xaxis_date()
    pain_ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    handles = pain_ax.get_legend_handles_labels()
    extra = load_ax.get_legend_handles_labels()
    pain_ax.legend(
        handles[0] + extra[0],
        handles[1] + extra[1],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=4,
        fontsize=8,
        frameon=False,
    )
    pain_ax.set_title(f"Recovery: now at {report.status.rung.label}")
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    # A fixed date in the SVG keeps the file the same for the same data.
    fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return out.getvalue()


def _x(moment: date) -> float:
    """A date or time as matplotlib's date number."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]
