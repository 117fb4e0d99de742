"""One value per pretrained weights option, carrying everything about it (the shape of
torchvision's `Weights`): where it comes from, its dataset and published metrics, file, license,
how to fetch it, its exact preprocessing and class labels. Each adapter builds its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from lineage.text import Text
from models.prediction.preprocessing import Preprocess

SHIPPED = "shipped with the app"


@dataclass(frozen=True, eq=False, kw_only=True)
class WeightsOption:
    """One set of pretrained weights as its library (or our training record) describes it."""

    name: str  # torchvision enum member, timm tag, or the shipped file's name
    source: str  # "torchvision", "timm" or SHIPPED
    dataset: str
    metrics: dict[str, float]  # published metrics; empty where the metadata has none (timm's cfgs)
    file_size_mb: float | None
    license: str
    recipe: str
    url: str  # where the file is downloaded from (the file itself for shipped weights)
    file_name: str  # the name it is cached under
    categories: tuple[str, ...] = field(repr=False)
    make_preprocess: Callable[[], Preprocess] = field(repr=False)
    hf_hub_id: str | None = None
    hash_prefix: str | None = None  # torchvision's file names carry their sha256 prefix; checked on download

    @property
    def num_classes(self) -> int:
        """The size of the head these weights fill."""
        return len(self.categories)

    @cached_property
    def preprocess(self) -> Preprocess:
        """Exactly the preprocessing these weights were evaluated with (built once)."""
        return self.make_preprocess()

    @property
    def provenance(self) -> str:
        """Where the weights come from, in words: 'torchvision IMAGENET1K_V1', 'digits'."""
        return self.name if self.source == SHIPPED else f"{self.source} {self.name}"

    def summary(self) -> str:
        """One line for a sidebar or a listing: source, dataset, metrics, size and license."""
        metrics = ", ".join(f"{k} {v:.2f}" for k, v in self.metrics.items()) or Text("no metrics in the metadata")
        size = Text("{size:.1f} MB", size=self.file_size_mb) if self.file_size_mb else Text("size not in the metadata")
        return Text("{source} · {dataset} · {metrics} · {size} · license: {license}", source=Text(self.source),
                    dataset=self.dataset, metrics=metrics, size=size, license=self.license)
