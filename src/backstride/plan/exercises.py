"""The exercise library: schema, loader and look-ups.

The exercises are data (``plan/data/exercises/*.yaml``), written in our own words, each with
its sources (ids from ``kb/data/sources*.yaml``), its contraindications per condition and phase,
and a pose (start and end frames of a figure, with its kit) that :mod:`backstride.plan.figures`
draws.

Two safety rules are checked when the library loads, so a data edit cannot break them:

- every exercise with ``impact: true`` is contraindicated for the bone stress conditions
  (:data:`BONE_STRESS_CONDITIONS`) in every phase before ``return_to_run``;
- every exercise with ``loaded_extension: true`` is contraindicated for spondylolysis and facet
  joint pain in the ``calm`` and ``restore`` phases.

``loaded_extension`` means the back muscles lift or hold the trunk into extension against
gravity or a weight (back extensions). The prone press-up is *not* loaded: the arms push, the
back stays relaxed. It is an end-range extension movement, so it carries its own
contraindications (facet joint pain and spondylolysis early on, stenosis).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backstride.errors import KnowledgeBaseError
from backstride.kb import default_knowledge_base
from backstride.kb.loader import DATA_DIR, load_list
from backstride.kb.schema import Source
from backstride.plan.equipment import Equipment

PhaseId = Literal["calm", "restore", "strengthen", "return_to_run", "prevent"]
PHASES: tuple[PhaseId, ...] = get_args(PhaseId)

Category = Literal[
    "relief_mobility",
    "stretch",
    "soft_tissue",
    "neural",
    "strength",
    "running",
    "bike",
    "cross_training",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)


# The knowledge base's condition ids (which include every id of the shared vocabulary).
VOCABULARY_CONDITION_IDS: frozenset[str] = frozenset(default_knowledge_base().condition_ids)

BONE_STRESS_CONDITIONS: tuple[str, ...] = (
    "bone_stress_sacral_pelvic",
    "femoral_neck_stress_fracture",
    "spondylolysis",
)
PHASES_BEFORE_RUNNING: tuple[PhaseId, ...] = ("calm", "restore", "strengthen")
EXTENSION_SENSITIVE_CONDITIONS: tuple[str, ...] = ("spondylolysis", "facet_joint")
EARLY_PHASES: tuple[PhaseId, ...] = ("calm", "restore")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
EXERCISE_DATA_DIR = Path(__file__).resolve().parent / "data" / "exercises"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dose(_Strict):
    """How much: sets, reps or hold time, sessions per week, rest, and a plain-language line."""

    sets: int | None = Field(default=None, ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_s: int | None = Field(default=None, ge=1, le=3600)
    per_week: int = Field(ge=1, le=7)
    rest_s: int | None = Field(default=None, ge=0, le=600)
    text: str = Field(min_length=5)


class Contraindication(_Strict):
    """Do not use the exercise for this condition in these phases (empty = every phase)."""

    condition: str
    phases: tuple[PhaseId, ...] = ()
    reason: str = Field(min_length=10)

    def applies(self, condition_ids: Iterable[str], phase: PhaseId) -> bool:
        """True when this contraindication rules the exercise out."""
        return self.condition in set(condition_ids) and (not self.phases or phase in self.phases)


# Joints of a side-view stick figure. Arms and legs are either one shared limb (the two sides
# overlap) or a pair: ``_r`` is drawn in front, ``_l`` behind. ``spine`` (mid back) is optional
# and bends the trunk; ``shoulder`` is optional and defaults to ``neck``.
TRUNK_JOINTS = ("head", "neck", "hip")
OPTIONAL_TRUNK_JOINTS = ("shoulder", "spine")
ARM_JOINTS = ("elbow", "hand")
LEG_JOINTS = ("knee", "ankle")
FOOT_JOINT = "toe"
_SIDES = ("_l", "_r")
JOINT_NAMES: frozenset[str] = frozenset(
    {*TRUNK_JOINTS, *OPTIONAL_TRUNK_JOINTS}
    | {j + s for j in (*ARM_JOINTS, *LEG_JOINTS, FOOT_JOINT) for s in ("", *_SIDES)}
)

Point = tuple[float, float]


PropKind = Literal[
    "mat",
    "ball",
    "roller",
    "step",
    "bench",
    "wall",
    "band",
    "dumbbell",
    "bike",
    "water",
    "float_belt",
]
# The one shape each kind is drawn from; ``bike`` parts may be circles (wheels) or lines (tubes),
# ``band`` and ``dumbbell`` follow joints instead.
PROP_SHAPES: dict[str, tuple[str, ...]] = {
    "mat": ("rect",),
    "ball": ("circle",),
    "roller": ("circle",),
    "step": ("rect",),
    "bench": ("rect",),
    "wall": ("rect",),
    "band": ("joints",),
    "dumbbell": ("joints",),
    "bike": ("circle", "line"),
    "water": ("line",),
    "float_belt": ("rect",),
}


class Prop(_Strict):
    """A piece of kit drawn with the figure, in pose coordinates (y up, floor at 0).

    ``ball``/``roller``: a circle at (x, y) with radius r. ``step``/``bench``/``float_belt``:
    a box from (x, y), w wide and h high. ``wall``: a wall face from x, w thick. ``mat``: a mat
    on the floor from x, w long; with w 0 it spans the body's floor contact. ``water``: the
    surface at height y. ``bike``: a wheel (circle) or a tube (line from (x, y) by (w, h)).
    ``band`` spans its two ``joints`` (or runs from one joint to (x, y)); ``dumbbell`` is held at
    its joint. Joint-bound kit moves with the figure.
    """

    kind: PropKind
    shape: Literal["circle", "rect", "line", "joints"]
    x: float = Field(default=0.0, ge=-10, le=110)
    y: float = Field(default=0.0, ge=-10, le=110)
    w: float = 0.0  # box width, or line dx
    h: float = 0.0  # box height, or line dy
    r: float = Field(default=0.0, ge=0, le=50)  # circle radius
    joints: tuple[str, ...] = Field(default=(), max_length=2)

    @model_validator(mode="before")
    @classmethod
    def _default_shape(cls, data: object) -> object:
        # Most kinds have one shape, so the data need not name it.
        if isinstance(data, dict) and data.get("shape") is None and data.get("kind") in PROP_SHAPES:
            return {**data, "shape": PROP_SHAPES[data["kind"]][0]}
        return data

    @model_validator(mode="after")
    def _shape_fits_kind(self) -> Prop:
        shapes = PROP_SHAPES[self.kind]
        if self.shape not in shapes:
            raise ValueError(f"a {self.kind} is drawn as {' or '.join(shapes)}, not {self.shape}")
        if (self.shape == "joints") != bool(self.joints):
            need = "needs" if self.shape == "joints" else "takes no"
            raise ValueError(f"a {self.kind} {need} joints")
        if self.shape == "circle" and self.r <= 0:
            raise ValueError(f"a {self.kind} needs a radius r > 0")
        return self


ViewSide = Literal["side", "front", "above"]


class Pose(_Strict):
    """Frames of a figure: joint name -> (x, y) in a 0..100 box, y pointing up.

    The first frame is the start position and the last the end position, so there are at least
    two (equal frames mean a hold). ``view`` is ``side`` (paired limbs ``_r`` near, ``_l`` far),
    ``front`` (the trunk is drawn full width and ``_l``/``_r`` limbs hang from its two sides,
    ``_l`` on the left of the trunk seen from hip to neck): a side plank or a side step only
    reads from the front; or ``above`` (the same, seen from the ceiling, with no floor line and
    the mat under the whole figure): knees that fall to the side only read from above.
    """

    frames: tuple[dict[str, Point], ...] = Field(min_length=2, max_length=4)
    view: ViewSide = "side"
    props: tuple[Prop, ...] = ()
    # The joint whose path the motion arrow follows; default: the ones that move most.
    arrow: str | None = None

    @field_validator("frames")
    @classmethod
    def _frames_are_figures(
        cls, frames: tuple[dict[str, Point], ...]
    ) -> tuple[dict[str, Point], ...]:
        for n, frame in enumerate(frames, start=1):
            _check_frame(frame, n)
        keys = set(frames[0])
        for n, frame in enumerate(frames[1:], start=2):
            if set(frame) != keys:
                raise ValueError(f"frame {n} names other joints than frame 1")
        return frames

    @model_validator(mode="after")
    def _joints_exist(self) -> Pose:
        if self.arrow is not None and self.arrow not in self.frames[0]:
            raise ValueError(f"arrow joint '{self.arrow}' is not a joint of the frames")
        for prop in self.props:
            for joint in prop.joints:
                if joint not in self.frames[0]:
                    raise ValueError(f"{prop.kind} joint '{joint}' is not a joint of the frames")
        return self


def _check_frame(frame: Mapping[str, Point], n: int) -> None:
    unknown = sorted(set(frame) - JOINT_NAMES)
    if unknown:
        raise ValueError(f"frame {n}: unknown joint(s) {', '.join(unknown)}")
    missing = [j for j in TRUNK_JOINTS if j not in frame]
    if missing:
        raise ValueError(f"frame {n}: missing joint(s) {', '.join(missing)}")
    for group in (ARM_JOINTS, (*LEG_JOINTS, FOOT_JOINT)):
        required = [j for j in group if j != FOOT_JOINT]
        shared = all(j in frame for j in required)
        paired = all(j + s in frame for j in required for s in _SIDES)
        if shared == paired:
            raise ValueError(
                f"frame {n}: give {'/'.join(required)} either once or as both _l and _r"
            )
        if FOOT_JOINT in group:
            names = [FOOT_JOINT] if shared else [FOOT_JOINT + s for s in _SIDES]
            if any(t in frame for t in names) and not all(t in frame for t in names):
                raise ValueError(f"frame {n}: give toe for both feet or for neither")
    for joint, (x, y) in frame.items():
        if not (0.0 <= x <= 100.0 and 0.0 <= y <= 100.0):
            raise ValueError(f"frame {n}: joint {joint} ({x}, {y}) lies outside the 0..100 box")


class Exercise(_Strict):
    """One exercise of the library, with everything a plan needs to prescribe it safely."""

    id: str
    name: str = Field(min_length=3)
    purpose: str = Field(min_length=10)
    category: Category
    steps: tuple[str, ...] = Field(min_length=2)
    cues: tuple[str, ...] = Field(min_length=1)
    mistakes: tuple[str, ...] = Field(min_length=1)
    dose: Dose
    level: int = Field(ge=1, le=3)
    equipment: tuple[Equipment, ...] = ()
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    suits: tuple[str, ...] = Field(min_length=1)
    phases: tuple[PhaseId, ...] = Field(min_length=1)
    contraindications: tuple[Contraindication, ...] = ()
    impact: bool
    loaded_extension: bool
    pain_rule: str = Field(min_length=10)
    sources: tuple[str, ...] = Field(min_length=1)
    pose: Pose

    @field_validator("id")
    @classmethod
    def _snake_case(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower_snake_case letters, digits and underscores")
        return value

    @model_validator(mode="after")
    def _safety_rules(self) -> Exercise:
        if self.impact:
            for condition in BONE_STRESS_CONDITIONS:
                for phase in PHASES_BEFORE_RUNNING:
                    if not self.is_contraindicated((condition,), phase):
                        raise ValueError(
                            f"an impact exercise must be contraindicated for {condition} "
                            f"in phase {phase} (bone stress: no impact before return_to_run)"
                        )
        if self.loaded_extension:
            for condition in EXTENSION_SENSITIVE_CONDITIONS:
                for phase in EARLY_PHASES:
                    if not self.is_contraindicated((condition,), phase):
                        raise ValueError(
                            f"a loaded-extension exercise must be contraindicated for "
                            f"{condition} in phase {phase}"
                        )
        return self

    def is_contraindicated(self, condition_ids: Iterable[str], phase: PhaseId) -> bool:
        """True when any contraindication rules this exercise out for these conditions."""
        ids = tuple(condition_ids)
        return any(c.applies(ids, phase) for c in self.contraindications)


class ExerciseLibrary:
    """An immutable, validated set of exercises keyed by id, in file order."""

    __slots__ = ("_exercises",)

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self._exercises: Mapping[str, Exercise] = MappingProxyType({e.id: e for e in exercises})

    @property
    def exercises(self) -> Mapping[str, Exercise]:
        """All exercises by id (read-only)."""
        return self._exercises

    def __len__(self) -> int:
        return len(self._exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._exercises.values())

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._exercises

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id; KeyError naming the id if there is none."""
        try:
            return self._exercises[exercise_id]
        except KeyError:
            raise KeyError(f"no exercise with id '{exercise_id}'") from None

    def for_phase(self, phase: PhaseId) -> tuple[Exercise, ...]:
        """Exercises that belong in this phase, in library order."""
        return tuple(e for e in self._exercises.values() if phase in e.phases)

    def by_category(self, category: Category) -> tuple[Exercise, ...]:
        """Exercises of one category, in library order."""
        return tuple(e for e in self._exercises.values() if e.category == category)

    def allowed(self, exercise_id: str, condition_ids: Iterable[str], phase: PhaseId) -> bool:
        """False when a contraindication rules the exercise out for any of the conditions in
        this phase. Whether the exercise usually belongs in the phase is :meth:`for_phase`'s
        question, not this one's."""
        return not self.get(exercise_id).is_contraindicated(condition_ids, phase)

    def contraindications_for(
        self, exercise_id: str, condition_ids: Iterable[str], phase: PhaseId
    ) -> tuple[Contraindication, ...]:
        """The contraindications that rule the exercise out here (with their reasons)."""
        ids = tuple(condition_ids)
        return tuple(c for c in self.get(exercise_id).contraindications if c.applies(ids, phase))


def load_source_ids(kb_data_dir: Path = DATA_DIR) -> frozenset[str]:
    """Ids of every source in ``sources*.yaml`` under the knowledge-base data folder."""
    return frozenset(
        source.id
        for path in sorted(kb_data_dir.glob("sources*.yaml"))
        for source in load_list(path, "sources", Source)
    )


def _check_links(
    path: Path,
    exercise: Exercise,
    library: Mapping[str, Exercise],
    source_ids: frozenset[str],
    condition_ids: frozenset[str],
) -> None:
    where = (path.name, exercise.id)
    for kind in ("progressions", "regressions"):
        for target_id in getattr(exercise, kind):
            target = library.get(target_id)
            if target is None:
                raise KnowledgeBaseError(*where, kind, f"unknown exercise id '{target_id}'")
            if target_id == exercise.id:
                raise KnowledgeBaseError(*where, kind, "an exercise cannot link to itself")
            if kind == "progressions" and target.level < exercise.level:
                raise KnowledgeBaseError(
                    *where, kind, f"'{target_id}' is a lower level, so not a progression"
                )
            if kind == "regressions" and target.level > exercise.level:
                raise KnowledgeBaseError(
                    *where, kind, f"'{target_id}' is a higher level, so not a regression"
                )
    for condition in exercise.suits:
        if condition not in condition_ids:
            raise KnowledgeBaseError(*where, "suits", f"unknown condition id '{condition}'")
    for n, contra in enumerate(exercise.contraindications):
        if contra.condition not in condition_ids:
            raise KnowledgeBaseError(
                *where,
                f"contraindications.{n}.condition",
                f"unknown condition id '{contra.condition}'",
            )
    for source in exercise.sources:
        if source not in source_ids:
            raise KnowledgeBaseError(*where, "sources", f"unknown source id '{source}'")


def load_exercises_from(
    directory: Path,
    *,
    source_ids: frozenset[str] | None = None,
    condition_ids: frozenset[str] = VOCABULARY_CONDITION_IDS,
) -> ExerciseLibrary:
    """Load and validate every ``*.yaml`` exercise file in ``directory``.

    Each file holds ``exercises:``, a list of exercise mappings. Raises KnowledgeBaseError
    naming the file, the entry and the field for the first problem found.
    """
    known_sources = load_source_ids() if source_ids is None else source_ids
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise KnowledgeBaseError(str(directory), None, None, "no exercise files found")
    parsed: list[tuple[Path, Exercise]] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for exercise in load_list(path, "exercises", Exercise):
            if exercise.id in seen:
                raise KnowledgeBaseError(
                    path.name, exercise.id, "id", f"already defined in {seen[exercise.id].name}"
                )
            seen[exercise.id] = path
            parsed.append((path, exercise))
    by_id = {e.id: e for _, e in parsed}
    for path, exercise in parsed:
        _check_links(path, exercise, by_id, known_sources, condition_ids)
    return ExerciseLibrary(e for _, e in parsed)


@cache
def load_exercise_library() -> ExerciseLibrary:
    """The packaged exercise library, loaded and validated once per process."""
    return load_exercises_from(EXERCISE_DATA_DIR)
