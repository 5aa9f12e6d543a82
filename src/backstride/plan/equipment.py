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
