"""The comparison table: each model's counted figures (models.analysis), its input size (the
spec) and the ImageNet-1k accuracy its default weights publish (the libraries' own metadata)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from models.analysis import analyse
from models.node_index import MAX_COMPARED
from models.registry import REGISTRY, UnknownModelError, get_spec
from models.weights import weights_options

MAX_MODELS = MAX_COMPARED
MIN_MODELS = 2
IMAGENET = "ImageNet-1K"
NONE_PUBLISHED = "none published"


@dataclass(frozen=True)
class Accuracy:
    """Top-1/top-5 (%) on ImageNet-1k as a weights option's metadata publishes them."""

    weights: str
    top1: float
    top5: float | None


@dataclass(frozen=True)
class CompareRow:
    """One model's line in the comparison (and in its CSV)."""

    id: str
    name: str
    node: str
    params: int
    macs: int
    weight_layers: int
    activation_bytes: int
    input_size: int | None
    input_desc: str
    weights: str | None
    top1: float | None
    top5: float | None

    @property
    def flops(self) -> int:
        """FLOPs under the 1 multiply-add = 2 FLOPs convention."""
        return 2 * self.macs


@dataclass(frozen=True)
class Selection:
    """What a list of asked-for ids comes to: the models to show and what was wrong with the rest."""

    ids: tuple[str, ...]
    unknown: tuple[str, ...]  # one message per unknown id, with close matches
    dropped: tuple[str, ...]  # known ids beyond MAX_MODELS


def published_accuracy(model_id: str) -> Accuracy | None:
    """The ImageNet-1k top-1/top-5 of a model's default weights, or None where none is published
    (timm's pretrained configs carry no accuracy; local models ship no ImageNet weights)."""
    options = weights_options(get_spec(model_id))
    if not options or options[0].dataset != IMAGENET or "acc@1" not in options[0].metrics:
        return None
    metrics = options[0].metrics
    return Accuracy(options[0].name, metrics["acc@1"], metrics.get("acc@5"))


def select_models(asked: list[str]) -> Selection:
    """Known ids in the order asked (repeats dropped, at most MAX_MODELS), and messages for the rest."""
    known, unknown = [], []
    for raw in asked:
        model_id = raw.strip()
        if not model_id:
            continue
        if model_id not in REGISTRY:
            unknown.append(str(UnknownModelError(model_id, list(REGISTRY))))
        elif model_id not in known:
            known.append(model_id)
    return Selection(tuple(known[:MAX_MODELS]), tuple(unknown), tuple(known[MAX_MODELS:]))


def compare_row(model_id: str) -> CompareRow:
    """The counted and published figures of one model."""
    spec, analysis, accuracy = get_spec(model_id), analyse(model_id), published_accuracy(model_id)
    return CompareRow(spec.id, spec.name, spec.node, analysis.params, analysis.macs, analysis.weight_layers,
                      analysis.activation_bytes, spec.input_size, analysis.input_desc,
                      accuracy.weights if accuracy else None, accuracy.top1 if accuracy else None,
                      accuracy.top5 if accuracy else None)


def rows_csv(rows: list[CompareRow], latency_ms: dict[str, float] | None = None) -> str:
    """The table as CSV: MACs and FLOPs both, accuracy 'none published' where there is none, and
    the measured latency (ms per batch) where there is one."""
    latency_ms = latency_ms or {}
    out = io.StringIO()
    fields = [*asdict(rows[0]), "flops", "latency_ms"] if rows else []
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        data = {**asdict(row), "flops": row.flops, "latency_ms": latency_ms.get(row.id, "not measured")}
        for key in ("weights", "top1", "top5"):
            data[key] = NONE_PUBLISHED if data[key] is None else data[key]
        writer.writerow(data)
    return out.getvalue()
