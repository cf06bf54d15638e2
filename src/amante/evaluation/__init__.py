"""Evaluations on real, third-party data: each returns Metric rows for the `amante eval` table."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Metric:
    """One measured number next to its target."""

    suite: str
    name: str
    value: float
    target: float | None = None
    higher_is_better: bool = True
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def to_dict(self) -> dict[str, object]:
        return {
            "suite": self.suite,
            "name": self.name,
            "value": round(self.value, 4),
            "target": self.target,
            "higher_is_better": self.higher_is_better,
            "passed": self.passed,
            "note": self.note,
        }


class DatasetsMissing(RuntimeError):
    """The shared third-party datasets are not where amante looks for them."""


def datasets_dir(required: bool = True) -> Path | None:
    """Find the datasets: $AMANTE_DATASETS, else ../shared/datasets from the cwd or the repo."""
    env = os.environ.get("AMANTE_DATASETS")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [Path.cwd() / ".." / "shared" / "datasets"]
    candidates += [p / ".." / "shared" / "datasets" for p in here.parents]
    for c in candidates:
        if (c / "goemotions").is_dir() or (c / "counsel-chat").is_dir():
            return c.resolve()
    if required:
        where = env or "../shared/datasets"
        raise DatasetsMissing(
            f"datasets not found (looked in {where}); set AMANTE_DATASETS to the folder "
            "that holds goemotions/ and counsel-chat/"
        )
    return None
