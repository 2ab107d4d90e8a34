"""The rules as data: TOML files next to this module, loaded once and folded."""

import tomllib
from functools import lru_cache
from pathlib import Path

from ..text import fold

_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    with open(_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def folded(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(v) for v in values if fold(v)))
