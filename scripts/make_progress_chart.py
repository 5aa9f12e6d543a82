"""Replay a six-week piriformis recovery through the real commands and write the README's
progress chart (docs/figures/progress.svg).

    .venv/bin/python scripts/make_progress_chart.py
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from backstride.cli.app import app

OUT = Path(__file__).resolve().parents[1] / "docs" / "figures" / "progress.svg"
START = date(2026, 9, 7)
FACTS = {
    "runner": True,
    "pain_buttock": True,
    "pain_one_side": True,
    "worse_sitting": True,
    "seated_piriformis_stretch_pain": True,
    "localised_tender_spot": True,
    "leg_pain_below_knee": False,
    "saddle_numbness": False,
    "bladder_change": False,
    "long_daily_sitting": True,
}
MET = {
    6: "walk_20,chair_rise",
    13: "near_full_range,brisk_walk_30",
    20: "single_leg_bridge_20,side_plank_45,front_plank_60,walk_30_pain_free,"
    "step_bridges_10,hinge_3x8",
}
# Runs from the return to run on (day 21 ends the strengthen phase): two weeks of walk-run, a
# flare after a longer run in week 5, then the step back.
RUN_KM = {21: 2.4, 23: 2.6, 26: 2.6, 28: 3.2, 30: 3.4, 33: 3.4, 35: 5.2, 37: 2.6, 40: 2.8}
FLARE = 35


def main() -> None:
    runner = CliRunner()

    def cmd(day: date, *args: str) -> None:
        os.environ["BACKSTRIDE_NOW"] = f"{day.isoformat()}T20:00:00Z"
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, result.output)

    with tempfile.TemporaryDirectory() as home:
        os.environ["BACKSTRIDE_HOME"] = home
        os.environ.pop("BACKSTRIDE_DATABASE_URL", None)
        facts = Path(home) / "facts.json"
        facts.write_text(json.dumps(FACTS))
        cmd(START, "check", "--facts", str(facts), "--json")
        cmd(START, "plan")
        for n in range(42):
            day = START + timedelta(days=n)
            calm = max(1, 4 - n // 5)
            during = 6 if n == FLARE else min(calm + 1, 3)
            morning = 5 if n == FLARE + 1 else max(1, calm - 1)
            args = ["log", "--pain", str(min(calm, 2) if n >= 5 else calm)]
            args += ["--run-pain", str(during), "--morning", str(morning)]
            args += ["--psfs", f"running={min(2 + n // 5, 9)}"]
            if n in MET:
                args += ["--met", MET[n]]
            cmd(day, *args)
            if n in RUN_KM:
                cmd(
                    day,
                    "run",
                    "--duration",
                    "30",
                    "--distance",
                    str(RUN_KM[n]),
                    "--pain",
                    str(during),
                )
        cmd(START + timedelta(days=42), "progress", "--chart", str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
