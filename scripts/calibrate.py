"""Calibration of the leading cause's probability for several evidence exponents.

    python scripts/calibrate.py tests/vignettes/dev.jsonl --mode full --exponents 1 1.25 1.5

For each exponent it prints the Brier score, the expected calibration error (ECE, 5 bins) and
the reliability table, and the top-1 share. The engine's exponent is
`backstride.engine.inference.EVIDENCE_EXPONENT`; docs/model.md records how it was chosen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from backstride.api import read_story_evidence
from backstride.engine import inference
from backstride.evaluation import vignettes as ev
from backstride.evaluation.calibration import calibration
from backstride.kb import default_knowledge_base


def set_exponent(value: float) -> None:
    """Use another exponent for the probabilities shown (this process only)."""
    inference.EVIDENCE_EXPONENT = value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--mode", choices=ev.MODES, default="full")
    parser.add_argument("--exponents", nargs="+", type=float, default=[1.0])
    args = parser.parse_args()
    kb = default_knowledge_base()
    for exponent in args.exponents:
        set_exponent(exponent)
        for path in args.files:
            cases = ev.load_vignettes(path, kb)
            report = ev.evaluate(cases, args.mode, kb, read_story_evidence)
            cal = calibration(report.results)
            summary = report.as_dict()
            print(
                f"{path.name} {args.mode} exponent {exponent}: top1 {summary['top1']:.3f} "
                f"Brier {cal.brier:.3f} ECE {cal.ece:.3f} serious_under {summary['serious_under']}"
            )
            for b in cal.bins:
                print(
                    f"   {b.low:.1f}-{b.high:.1f}: {b.cases:3d} cases, "
                    f"confidence {b.confidence:.2f}, right {b.accuracy:.2f}"
                )


if __name__ == "__main__":
    main()
