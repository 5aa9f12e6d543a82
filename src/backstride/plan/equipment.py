"""What a person might not have at home: the equipment an exercise can need.

A module of its own, with no imports beyond typing, so that `backstride plan --help` can list the
choices without loading the exercise library.
"""

from __future__ import annotations

from typing import Literal, get_args

# Only what a person might not have at home; a floor (mat or carpet), a wall and a chair are
# assumed.
Equipment = Literal[
    "band",
    "foam_roller",
    "ball",
    "step",
    "bench",
    "dumbbell",
    "bike",
    "pool",
    "float_belt",
]
EQUIPMENT: tuple[str, ...] = get_args(Equipment)
KNOWN_EQUIPMENT: tuple[str, ...] = ("mat", *EQUIPMENT)


def parse_equipment(values: list[str] | None, option: str = "--equipment") -> frozenset[str]:
    """Equipment from repeated or comma-separated values; 'mat' is always included. An unknown
    name raises InputError naming ``option``."""
    from backstride.errors import InputError

    chosen = {"mat"}
    for value in values or []:
        for name in value.replace(",", " ").split():
            key = name.strip().lower().replace("-", "_")
            if key not in KNOWN_EQUIPMENT:
                raise InputError(
                    f"unknown equipment '{name}' for {option} "
                    f"(choose from: {', '.join(KNOWN_EQUIPMENT)})"
                )
            chosen.add(key)
    return frozenset(chosen)
