"""The CAMEO code table and the CAMEO -> PLOVER conversion, loaded once per process.

>>> cameo("163").name, cameo("163").quad_class, plover_type("163")
('Impose embargo, boycott, or sanctions', 4, 'COERCE')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int


def _read(name: str) -> str:
    return resources.files("wirewatch.data").joinpath(name).read_text("utf-8")


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    for line in _read("cameo.tsv").splitlines()[1:]:
        code, name, goldstein, quad = line.split("\t")
        table[code] = CameoCode(code, name, float(goldstein), int(quad))
    return table


def cameo(code: str) -> CameoCode:
    """The CAMEO entry for ``code``; ``KeyError`` for a code CAMEO does not have."""
    return cameo_table()[code]


@lru_cache(maxsize=1)
def _plover_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _read("cameo2plover.txt").splitlines():
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        code, rest = line.split(":", 1)
        event = rest.split("#", 1)[0].split(",", 1)[0].strip()
        if event:
            table[code.strip()] = event
    return table


@lru_cache(maxsize=1)
def _plover_rows() -> dict[str, tuple[str, str | None, str | None]]:
    """CAMEO code -> (PLOVER event, mode, context) as the conversion table gives them."""
    table: dict[str, tuple[str, str | None, str | None]] = {}
    for line in _read("cameo2plover.txt").splitlines():
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        code, rest = line.split(":", 1)
        fields = [part.strip() or None for part in rest.split("#", 1)[0].split(",")]
        if fields and fields[0]:
            mode = fields[1] if len(fields) > 1 else None
            context = fields[2] if len(fields) > 2 else None
            table[code.strip()] = (fields[0], mode, context)
    return table


def plover_mode_context(code: str) -> tuple[str | None, str | None]:
    """The PLOVER mode and context the conversion table gives a CAMEO code (its own row, else
    its base or root code's); ``None`` where the table gives none."""
    table = _plover_rows()
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            return table[prefix][1], table[prefix][2]
    return None, None


def plover_type(code: str) -> str | None:
    """The PLOVER event type of a CAMEO code, falling back to its base and root code."""
    table = _plover_table()
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            return table[prefix]
    return None
