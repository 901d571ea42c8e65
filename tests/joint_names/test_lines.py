"""連名 name lines: a table of synthetic names written out by hand, split at the first blank as exported."""

from __future__ import annotations

import pytest

from handoff.mail import joint, window

# (names in document order, family_once, the lines expected). 「　」 is U+3000, the full-width blank.
CASES = [
    # the same family name, full-width blank: written once, the given name under the first's
    (["山田　太郎", "山田　花子"], True, ["山田　太郎 様", "　　　花子 様"]),
    # the same family name, half-width blank: blanks of the same width (two wide, one narrow)
    (["伊藤 太郎", "伊藤 次郎"], True, ["伊藤 太郎 様", "　　 次郎 様"]),
    # mixed blanks: the family name is the same, each line keeps its own blank's width
    (["山田　太郎", "山田 花子"], True, ["山田　太郎 様", "　　 花子 様"]),
    # different family names: each whole
    (["佐藤 一郎", "鈴木 二郎"], True, ["佐藤 一郎 様", "鈴木 二郎 様"]),
    # a family name that only begins the same is a different one
    (["山田 太郎", "山田川 花子"], True, ["山田 太郎 様", "山田川 花子 様"]),
    # names without a blank are never split, so never shortened
    (["田中花子", "田中一郎"], True, ["田中花子 様", "田中一郎 様"]),
    (["田中 花子", "田中一郎"], True, ["田中 花子 様", "田中一郎 様"]),
    # only the line directly above counts: 山田 after 佐藤 is written whole
    (["山田 太郎", "佐藤 花子", "山田 一郎"], True, ["山田 太郎 様", "佐藤 花子 様", "山田 一郎 様"]),
    (["山田 太郎", "山田 花子", "山田 一郎"], True, ["山田 太郎 様", "　　 花子 様", "　　 一郎 様"]),
    # half-width kana: a narrow blank for each narrow character
    (["ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾊﾅｺ"], True, ["ﾔﾏﾀﾞ ﾀﾛｳ 様", "     ﾊﾅｺ 様"]),
    # a given name of several words: split at the first blank only
    (["スミス ジョン ポール", "スミス メアリー"], True, ["スミス ジョン ポール 様", "　　　 メアリー 様"]),
    # family_once = false: every full name as written
    (["山田　太郎", "山田　花子"], False, ["山田　太郎 様", "山田　花子 様"]),
    # blanks around a name are not part of it
    (["　山田 太郎 ", "山田 花子"], True, ["山田 太郎 様", "　　 花子 様"]),
]


@pytest.mark.parametrize(("names", "family_once", "expected"), CASES)
def test_name_lines(names: list[str], family_once: bool, expected: list[str]) -> None:
    """Each table entry's names become exactly the lines written out for them."""
    assert joint.name_lines(names, family_once) == expected


@pytest.mark.parametrize(("names", "family_once"), [(c[0], c[1]) for c in CASES])
def test_a_shortened_line_is_as_wide_as_the_full_name(names: list[str], family_once: bool) -> None:
    """A line with the family name left out is exactly as wide as the name written whole: nothing moves."""
    for name, line in zip(names, joint.name_lines(names, family_once), strict=True):
        assert window.width(line) == window.width(name.strip(" \u3000") + joint.HONORIFIC)


@pytest.mark.parametrize(("name", "parts"), [
    ("山田　太郎", ("山田　", "太郎")), ("山田 太郎", ("山田 ", "太郎")), ("山田太郎", None), ("山田 ", None),
    ("スミス ジョン ポール", ("スミス ", "ジョン ポール")), ("", None),
])
def test_split_at_the_first_blank(name: str, parts: tuple[str, str] | None) -> None:
    """A name splits at its first full-width or half-width blank; without one (or without a given name) never."""
    assert joint.split(name) == parts


def test_distinct_names_in_document_order() -> None:
    """A person with two documents is named once; blank names are left out; spellings differing in blanks are one."""
    assert joint.distinct(["山田 太郎", "", "山田 花子", "山田 太郎", "山田　 花子", " "]) == ["山田 太郎", "山田 花子"]


def test_more_names_than_max_go_to_the_first_only() -> None:
    """Three names with max 2: the first name's line only, with the reason over_max."""
    got = joint.address(["高橋 一", "高橋 二", "高橋 三"], 2, True, None, None)
    assert got == joint.Addressees(("高橋 一 様",), joint.OVER_MAX)


def test_names_that_do_not_fit_go_to_the_first_only() -> None:
    """Two lines in a room of one, or a line wider than the window: the first name only, reason window."""
    assert joint.address(["山田 太郎", "山田 花子"], 2, True, 1, 10) == joint.Addressees(("山田 太郎 様",), joint.NO_ROOM)
    wide = ["山田 太郎", "サンプルサンプル アレクサンドラ"]
    assert joint.address(wide, 2, True, 3, 10) == joint.Addressees(("山田 太郎 様",), joint.NO_ROOM)
    assert joint.address(["山田 太郎", "山田 花子"], 2, True, 2, 10) == joint.Addressees(("山田 太郎 様", "　　 花子 様"))
