"""Provinces of Vietnam as data (gazetteer.toml) and the lookups the recogniser needs.

    find_provinces(text)  -> mentions with offsets into nfc(text)
    canonical(name)       -> pre-2025 name ("Thanh Hoá", "thanh hoa", "TP.HCM" → …)
    current_unit(name)    -> the 34-unit name after the 2025 merger

Matching is diacritic-insensitive (see fold.py). A mention counts when it carries an
administrative prefix ("tỉnh", "Tỉnh ủy", "thành phố", "TP.", …) or is written as a
proper name (each syllable capitalised, or the text has no diacritics at all) and is
not the tail of a personal name ("Nguyễn Hòa Bình"). Names marked `strict` in the
data (everyday words, personal names) need a prefix or to open a title/paragraph.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .fold import fold, fold_phrase, nfc

DATA = Path(__file__).with_name("gazetteer.toml")


@dataclass(frozen=True)
class Province:
    name: str
    current: str
    central_city: bool = False
    central_since: int | None = None
    strict: bool = False
    not_followed_by: str | None = None


def _alias_regex(alias: str) -> str:
    """Folded alias → regex: syllables joined by spaces/hyphens/dots, flexibly."""
    parts = [p for p in re.split(r"[\s\-.]+", fold_phrase(alias)) if p]
    return r"[\s.\-]*".join(re.escape(p) for p in parts) if len(parts) == 1 or "." in alias and " " not in alias \
        else r"[\s\-]+".join(re.escape(p) for p in parts)


class Gazetteer:
    def __init__(self, path: Path = DATA):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.provinces: dict[str, Province] = {}
        self._lookup: dict[str, str] = {}          # folded name/alias → canonical
        alias_rows: list[tuple[str, str, bool]] = []
        for row in data["province"]:
            p = Province(row["name"], row["current"], row.get("central_city", False),
                         row.get("central_since"), row.get("strict", False), row.get("not_followed_by"))
            self.provinces[p.name] = p
            for alias, strict in [(p.name, p.strict), *((a, False) for a in row.get("aliases", [])),
                                  *((a, True) for a in row.get("strict_aliases", []))]:
                self._lookup[fold_phrase(alias)] = p.name
                alias_rows.append((alias, p.name, strict))
        self.current_units = sorted({p.current for p in self.provinces.values()})
        for unit in self.current_units:           # new names resolve to themselves
            self._lookup.setdefault(fold_phrase(unit), unit if unit in self.provinces else unit)
        self._lookup[fold_phrase("Huế")] = "Thừa Thiên Huế"
        # one alternation, longest alias first so "Bà Rịa - Vũng Tàu" beats shorter names
        alias_rows.sort(key=lambda r: -len(fold_phrase(r[0])))
        self._alias_of: list[tuple[str, bool]] = []
        groups = []
        for i, (alias, canon, strict) in enumerate(alias_rows):
            groups.append(f"(?P<a{i}>{self._alias_pattern(alias)})")
            self._alias_of.append((canon, strict))
        self._rx = re.compile(r"(?<![a-z0-9])(?:" + "|".join(groups) + r")(?![a-z0-9])")
        prefixes = data["prefixes"]
        self._prefix_rx = re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(prefixes["province"], key=len, reverse=True)) + r")\s*$")
        self.cities: dict[str, str] = {}
        city_groups = []
        for row in data.get("city", []):
            for name in row["names"]:
                self.cities[fold_phrase(name)] = row["province"]
                city_groups.append(self._alias_pattern(name))
        city_groups.sort(key=len, reverse=True)
        self._city_rx = re.compile(r"(?<![a-z0-9])(?P<prefix>" + "|".join(prefixes["city"]) + r")\s+(?P<name>"
                                   + "|".join(city_groups) + r")(?![a-z0-9])")

    @staticmethod
    def _alias_pattern(alias: str) -> str:
        folded = fold_phrase(alias)
        if re.fullmatch(r"[a-z]+\.?[a-z]+", folded.replace(" ", "")) and (" " not in folded) and ("." in folded):
            a, b = folded.split(".", 1)
            return re.escape(a) + r"\.?\s*" + re.escape(b)
        parts = [p for p in re.split(r"[\s\-]+", folded) if p]
        if len(parts) > 1 and "-" in folded:
            return r"\s*-?\s*".join(re.escape(p) for p in parts) if len(parts) == 2 else \
                r"[\s\-]+".join(re.escape(p) for p in parts)
        return r"[\s\-]+".join(re.escape(p) for p in parts)

    # ------------------------------------------------------------ lookups
    def canonical(self, name: str | None) -> str | None:
        if not name:
            return None
        key = fold_phrase(name)
        canon = self._lookup.get(key) or self._lookup.get(re.sub(r"^(?:tinh|thanh pho|tp\.?)\s*", "", key).strip())
        return canon if canon in self.provinces else None

    def current_unit(self, name: str | None) -> str | None:
        if not name:
            return None
        key = re.sub(r"^(?:tinh|thanh pho|tp\.?)\s*", "", fold_phrase(name)).strip()
        canon = self.canonical(name)
        if canon in self.provinces:
            return self.provinces[canon].current
        for unit in self.current_units:
            if fold_phrase(unit) == key:
                return unit
        return None

    def is_central_city(self, name: str | None, year: int | None = None) -> bool:
        p = self.provinces.get(self.canonical(name) or "")
        if not p:
            return False
        if p.central_city:
            return True
        return bool(p.central_since and year and year >= p.central_since)

    # ------------------------------------------------------------ mentions
    def find_provinces(self, text: str, *, folded: str | None = None, strict_ok_at: tuple[int, ...] = ()) -> list[dict]:
        """Province mentions in `text`, in order: dicts with name (canonical), current,
        start, end (offsets into nfc(text)), surface (the phrase as written), prefixed."""
        raw = nfc(text)
        low = folded if folded is not None else fold(raw)
        accented = any(c != f for c, f in zip(raw, low) if c.isalpha() and c.lower() != f)
        out = []
        for m in self._rx.finditer(low):
            idx = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)
            canon, strict = self._alias_of[idx]
            prov = self.provinces[canon]
            start, end = m.span()
            if prov.not_followed_by and re.match(prov.not_followed_by, low[end:]):
                continue
            surface = raw[start:end]
            prefixed = bool(self._prefix_rx.search(low[max(0, start - 40):start])) or low.startswith("tp", start)
            para_start = start == 0 or raw[:start].rstrip(" \"'“(") == "" or raw[:start].rstrip(" \"'“(").endswith("\n")
            if not prefixed:
                if not self._looks_like_name(raw, start, end, accented):
                    continue
                if strict and not para_start and start not in strict_ok_at:
                    continue
            out.append({"name": canon, "current": prov.current, "start": start, "end": end,
                        "surface": surface, "prefixed": prefixed})
        return out

    @staticmethod
    def _looks_like_name(raw: str, start: int, end: int, accented: bool) -> bool:
        surface = raw[start:end]
        letters_words = [w for w in re.split(r"[\s\-–.]+", surface) if w and w[0].isalpha()]
        if accented and not all(w[0].isupper() for w in letters_words):
            return False
        if not accented and not all(w[0].isupper() for w in letters_words):
            # unaccented text is often lower case in places; accept capitalised only
            return False
        # the tail of a personal name: previous word capitalised, mid-sentence, not an acronym
        before = raw[:start]
        m = re.search(r"(\S+)\s+$", before)
        if m:
            prev = m.group(1)
            if prev[-1] in ",.;:!?()\"'“”-–/":
                return True
            if prev[0].isupper() and not prev.isupper():
                return False   # "Nguyễn Hòa Bình", "Trần Quốc Bình": part of a personal name
        return True

    def find_cities(self, text: str, *, folded: str | None = None) -> list[dict]:
        raw = nfc(text)
        low = folded if folded is not None else fold(raw)
        return [{"province": self.cities[fold_phrase(m.group("name"))], "city": raw[m.start("name"):m.end("name")],
                 "prefix": m.group("prefix"), "start": m.start(), "end": m.end()}
                for m in self._city_rx.finditer(low)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


def find_provinces(text: str) -> list[dict]:
    return gazetteer().find_provinces(text)


def canonical(name: str | None) -> str | None:
    return gazetteer().canonical(name)


def current_unit(name: str | None) -> str | None:
    return gazetteer().current_unit(name)
