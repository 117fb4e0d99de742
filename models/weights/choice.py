"""The weights a user chose, as a value made once at the edge (CLI arguments, widgets) and passed
down: untrained, pretrained (an option's name, or the default), or a checkpoint file's bytes."""

from __future__ import annotations

from dataclasses import dataclass, field

from lineage.text import Text


@dataclass(frozen=True)
class Untrained:
    """Random initialization: predictions are meaningless, and every view says so."""

    def __str__(self) -> str:
        return "untrained"


@dataclass(frozen=True)
class Pretrained:
    """One of the model's weights options by name; None: its default option."""

    name: str | None = None

    def __str__(self) -> str:
        return f"pretrained:{self.name}" if self.name else "pretrained"


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """A user's checkpoint (its bytes, and the file name that says its format); never shared."""

    filename: str
    data: bytes = field(repr=False)

    def __str__(self) -> str:
        return Text("checkpoint: {file}", file=self.filename)


WeightsChoice = Untrained | Pretrained | Checkpoint
UNTRAINED, PRETRAINED = Untrained(), Pretrained()
UNTRAINED_LABEL = Text("untrained: random initialization")


def parse_choice(text: str) -> Untrained | Pretrained | None:
    """'untrained', 'pretrained' or 'pretrained:NAME' as a choice; None for anything else (a file)."""
    kind, colon, name = text.partition(":")
    if text == "untrained":
        return UNTRAINED
    if kind == "pretrained" and (name or not colon):
        return Pretrained(name or None)
    return None
