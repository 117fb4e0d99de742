"""What an experiment is: the edge it tests, its claim and the paper's number, its settings, how it
measures and how its verdict is computed from those measurements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

Report = Callable[[Any], None]
Edge = tuple[str, str]
KINDS = ("measured", "trained")


@dataclass(frozen=True)
class Setting:
    """One knob a student may turn, with bounds that keep a run under about a minute."""

    name: str
    label: str
    default: float
    minimum: float
    maximum: float
    integer: bool = True
    help: str = ""

    def parse(self, value: Any) -> float:
        """The value as this setting's type, or ValueError with one clear sentence."""
        try:
            number = int(value) if self.integer else float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name} must be {'an integer' if self.integer else 'a number'}, not {value!r}") from None
        if not self.minimum <= number <= self.maximum:
            raise ValueError(f"{self.name} must be between {self.minimum:g} and {self.maximum:g}, not {number:g}")
        return number


SEED = Setting("seed", "Seed", 0, 0, 10_000, help="same seed, same numbers (on the same machine)")


@dataclass(frozen=True)
class Paper:
    """The paper's own statement of the effect, its number, and where in the paper it is."""

    statement: str
    number: str
    where: str


@dataclass
class Variant:
    """One side of the comparison. `metrics` holds the numbers the claim is about (deterministic);
    trained variants also carry their curve of {step, train_loss, test_accuracy}."""

    name: str
    with_innovation: bool
    params: int
    macs: int | None
    metrics: dict[str, float] = field(default_factory=dict)
    final_train_loss: float | None = None
    test_accuracy: float | None = None
    curve: list[dict[str, float]] = field(default_factory=list)


@dataclass
class Measurements:
    """What a run measured: the variants, the figures the verdict reads, and wall-clock timings
    (latency varies run to run, so it is kept apart from the deterministic figures)."""

    variants: list[Variant]
    figures: dict[str, float]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """The computed conclusion: does this run support the claim, in words with its numbers."""

    supports: bool
    words: str


@dataclass(frozen=True)
class Experiment:
    """An edge's experiment: `run(settings, report)` measures, `judge(figures)` decides."""

    edge: Edge
    title: str
    claim: str
    paper: Paper
    kind: str
    metric: str
    run: Callable[[dict[str, float], Report], Measurements]
    judge: Callable[[dict[str, float]], Verdict]
    settings: tuple[Setting, ...] = (SEED,)
    caveat: str = ""  # how this small experiment differs from the paper's setting
    describe_timings: Callable[[dict[str, float]], str] | None = None  # words for the (varying) timings

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"experiment {self.edge}: kind must be one of {KINDS}")

    def resolve(self, given: dict[str, Any] | None = None) -> dict[str, float]:
        """Defaults overlaid with the given settings, each checked against its bounds."""
        known = {s.name: s for s in self.settings}
        unknown = sorted(set(given or {}) - set(known))
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]!r}; this experiment has: {', '.join(known)}")
        return {name: s.parse((given or {}).get(name, s.default)) for name, s in known.items()}


def variant_dict(variant: Variant) -> dict[str, Any]:
    """JSON-ready data of a variant."""
    return asdict(variant)
