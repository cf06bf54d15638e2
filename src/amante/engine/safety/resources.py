"""Region-specific crisis and abuse resources from content/safety/resources.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .patterns import load_yaml

DEFAULT_REGION = "INTL"
KINDS = ("emergency", "crisis_line", "domestic_violence", "directory")
_ALIASES = {"GB": "UK", "EN": "UK", "USA": "US", "AUS": "AU", "IRL": "IE", "CAN": "CA", "IND": "IN"}


@dataclass(frozen=True)
class Resource:
    """One line a person can reach, with where it was checked and when."""

    kind: str
    name: str
    contact: str
    source: str
    last_verified: str

    def line(self) -> str:
        return f"- {self.name}: {self.contact}"

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "name": self.name,
            "contact": self.contact,
            "source": self.source,
            "last_verified": self.last_verified,
        }


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Resource, ...]]:
    data = load_yaml("resources.yaml")
    table: dict[str, tuple[Resource, ...]] = {}
    for code, region in data["regions"].items():
        items = []
        for r in region["resources"]:
            if r["kind"] not in KINDS:
                raise ValueError(f"{code}: unknown resource kind {r['kind']}")
            items.append(
                Resource(
                    kind=r["kind"],
                    name=r["name"],
                    contact=str(r["contact"]),
                    source=r["source"],
                    last_verified=str(r["last_verified"]),
                )
            )
        table[code.upper()] = tuple(items)
    if DEFAULT_REGION not in table:
        raise ValueError("resources.yaml needs an INTL fallback")
    return table


def normalize_region(region: str | None) -> str:
    """Upper-case a region code; unknown codes fall back to INTL."""
    code = (region or DEFAULT_REGION).strip().upper()
    code = _ALIASES.get(code, code)
    return code if code in _table() else DEFAULT_REGION


def regions() -> list[str]:
    """Region codes with a reviewed resource list (INTL last)."""
    codes = [c for c in _table() if c != DEFAULT_REGION]
    return [*codes, DEFAULT_REGION]


def resources_for(region: str) -> list[Resource]:
    """All resources for a region; every region also gets the international directory."""
    code = normalize_region(region)
    items = list(_table()[code])
    if code != DEFAULT_REGION:
        items += [r for r in _table()[DEFAULT_REGION] if r.kind == "directory"]
    return items


def pick(region: str, kinds: list[str] | tuple[str, ...]) -> list[Resource]:
    """Resources of the given kinds, in the order the kinds are listed."""
    items = resources_for(region)
    out: list[Resource] = []
    for kind in kinds:
        out += [r for r in items if r.kind == kind and r not in out]
    return out
