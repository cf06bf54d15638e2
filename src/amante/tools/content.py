"""Load the tools' content files once, validated against their schemas."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from amante.content.library import CONTENT_DIR, ContentError
from amante.tools.schemas import (
    Assessment,
    ClosenessSession,
    FeelingsFile,
    Ritual,
    RitualFile,
    Starter,
    StarterFile,
)

TOOLS_DIR = CONTENT_DIR / "tools"
M = TypeVar("M", bound=BaseModel)


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: cannot read: {exc}") from exc


def validate_file(path: Path, model: type[M]) -> M:
    """Parse one YAML file into `model`, turning validation errors into one clear line."""
    try:
        return model.model_validate(_read(path))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()
        )
        raise ContentError(f"{path.name}: {problems}") from None


@cache
def starter_file() -> StarterFile:
    return validate_file(TOOLS_DIR / "starters.yaml", StarterFile)


def starters() -> list[Starter]:
    return starter_file().starters


@cache
def closeness_session() -> ClosenessSession:
    return validate_file(TOOLS_DIR / "closeness_session.yaml", ClosenessSession)


@cache
def rituals() -> dict[str, Ritual]:
    return {r.id: r for r in validate_file(TOOLS_DIR / "rituals.yaml", RitualFile).rituals}


@cache
def assessments() -> dict[str, Assessment]:
    out: dict[str, Assessment] = {}
    for path in sorted((TOOLS_DIR / "assessments").glob("*.yaml")):
        item = validate_file(path, Assessment)
        if item.id != path.stem:
            raise ContentError(f"{path.name}: id {item.id!r} must match the file name")
        out[item.id] = item
    if not out:
        raise ContentError("no assessments found")
    return out


@cache
def feelings() -> FeelingsFile:
    return validate_file(TOOLS_DIR / "feelings.yaml", FeelingsFile)
