"""Per-programme synthetic households: each row is a dict of source values plus whether it should be selected."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from handoff.sample import dates, names

YEARS_17, YEARS_20, YEARS_22 = (dt.timedelta(days=d) for d in (17 * 365, 20 * 366, 22 * 365))


@dataclass
class Row:
    values: dict[str, str]
    household: int
    selected: bool
    defects: list[str] = field(default_factory=list)


def kouhi_check(body: str) -> str:
    """公費 check digit written from the rule text (jp-rules §1), independent of handoff.jp.checkdigit."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return str((10 - total % 10) % 10)


class Maker:
    """Builds households for one programme; ``rows()`` yields until ``n`` rows exist."""

    def __init__(self, rng: random.Random, n: int, ref: dt.date) -> None:
        self.rng, self.n, self.ref = rng, n, ref
        self.towns = names.ward_towns(large=n > 60_000)
        self.used_addresses: set[str] = set()

    def unique_address(self) -> tuple[names.Town, str]:
        while True:
            town = self.rng.choice(self.towns)
            text = names.address(self.rng, town, building=self.rng.random() < 0.3)
            if text not in self.used_addresses:
                self.used_addresses.add(text)
                return town, text

    def day_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError


class Kodomo(Maker):
    """Guardians with 1–4 children (約21,000 envelopes for 30,000 children)."""

    def rows(self) -> Iterator[Row]:
        count, hh = 0, 0
        start = dt.date(self.ref.year, 10, 1)
        while count < self.n:
            hh += 1
            town, addr = self.unique_address()
            guardian = names.person(self.rng)
            kids = min(self.rng.choices((1, 2, 3, 4), weights=(55, 30, 12, 3))[0], self.n - count)
            for _ in range(kids):
                count += 1
                selected = self.rng.random() > 0.03
                if selected:  # clearly under 18: covered whatever day the test runs within two months
                    birth = self.day_between(self.ref - YEARS_17, self.ref - dt.timedelta(days=30))
                else:  # reached 18 two or more years ago: coverage ended
                    birth = self.day_between(self.ref - YEARS_22, self.ref - YEARS_20)
                reach = dates.reaches(birth, 18)
                end = dt.date(reach.year if reach <= dt.date(reach.year, 3, 31) else reach.year + 1, 3, 31)
                body = f"{count:06d}"
                yield Row({
                    "futansha_bango": "88134457",
                    "jukyusha_bango": body + kouhi_check(body),
                    "jido_shimei": f"{guardian.split()[0]}\u3000{names.given(self.rng, names.CHILD)}",
                    "jido_seinengappi": dates.write(birth, "wareki_digit"),
                    "yubin_bango": town.code[:3] + "-" + town.code[3:],
                    "hogosha_jusho": addr,
                    "hogosha_shimei": guardian,
                    "yuko_kaishi": dates.write(start, "wareki_digit"),
                    "yuko_shuryo": dates.write(max(end, start), "wareki_digit"),
                }, hh, selected)


class Kokuho(Maker):
    """Households (記号番号) with 1–4 unpaid instalments each."""

    def rows(self) -> Iterator[Row]:
        count, hh = 0, 0
        while count < self.n:
            hh += 1
            town, addr = self.unique_address()
            head = names.person(self.rng)
            kigo = f"{10_000_000 + hh:08d}"
            periods = sorted(self.rng.sample(range(1, 11), min(self.rng.choice((1, 1, 2, 3, 4)), self.n - count)))
            for kibetsu in periods:
                count += 1
                kubun = "1" if self.rng.random() > 0.1 else "0"
                yield Row({
                    "kigo_bango": kigo, "nendo": str(self.ref.year), "kibetsu": f"{kibetsu:02d}",
                    "tokusoku_kubun": kubun,
                    "yubin_bango": town.code, "jusho": addr, "setainushi_shimei": head,
                    "tokusoku_kingaku": f"{self.rng.randint(1, 90) * 1000:09d}",
                    "shitei_kigen": dates.write(self.ref + dt.timedelta(days=20), "wareki_digit"),
                }, hh, kubun == "1")


class Ninpu(Maker):
    """One decision per person (圧着ハガキ)."""

    def rows(self) -> Iterator[Row]:
        for i in range(1, self.n + 1):
            town, addr = self.unique_address()
            birth = self.day_between(dt.date(1980, 1, 1), dt.date(2005, 12, 31))
            decided = self.rng.random() > 0.1
            yield Row({
                "kyufu_kanri_bango": f"K{i:09d}", "yubin_bango": town.code, "jusho": addr,
                "shimei": names.person(self.rng), "seinengappi": dates.write(birth, "wareki_kanji"),
                "kojin_bango": "",  # present in the host system; the export column exists but stays internal
                "kyufu_naiyo": self.rng.choice(("妊娠時給付", "出産後給付")),
                "shikyu_kingaku": str(50_000 * self.rng.choice((1, 1, 1, 2))),
                "furikomi_bi": (self.ref + dt.timedelta(days=14)).isoformat(),
                "furikomi_hoho": self.rng.choice(("口座振込", "電子ギフト")),
                "kettei_bi": self.ref.isoformat(),
                "shinchoku": "支給決定" if decided else "確認中",
            }, i, decided)


class Keirokai(Maker):
    """Residents aged 60–100; those 77 or older on the reference date are invited (境界の前後を含む)."""

    def __init__(self, rng: random.Random, n: int, ref: dt.date) -> None:
        super().__init__(rng, n, ref)
        # born on or before this day → reached 77 by ref (one reaches an age the day before the birthday)
        self.last_selected = ref.replace(year=ref.year - 77) + dt.timedelta(days=1)

    def rows(self) -> Iterator[Row]:
        for i in range(1, self.n + 1):
            town, addr = self.unique_address()
            if i == 1:
                birth, selected = self.last_selected, True
            elif i == 2:
                birth, selected = self.last_selected + dt.timedelta(days=1), False
            else:
                selected = self.rng.random() < 0.6
                lo, hi = ((dt.date(1926, 1, 1), self.last_selected) if selected
                          else (self.last_selected + dt.timedelta(days=1), dt.date(1966, 3, 31)))
                birth = self.day_between(lo, hi)
            yield Row({"atena_bango": f"{i:010d}", "yubin_bango": town.code[:3] + "-" + town.code[3:],
                       "jusho": addr, "shimei": names.person(self.rng),
                       "seinengappi": dates.write(birth, "yyyymmdd")}, i, selected)


class Hogo(Maker):
    """Households (ケース番号) of 1–8 people; large ones overflow one envelope."""

    def rows(self) -> Iterator[Row]:
        count, hh = 0, 0
        while count < self.n:
            hh += 1
            town, addr = self.unique_address()
            surname = names.surname(self.rng)
            size = self.rng.choices((1, 2, 3, 8), weights=(88, 8, 3, 1))[0]
            notify = "1" if self.rng.random() > 0.05 else "0"
            for member in range(1, min(size, self.n - count) + 1):
                count += 1
                birth = self.day_between(dt.date(1935, 1, 1), dt.date(2020, 12, 31))
                unknown_birth = self.rng.random() < 0.01  # declared sentinel: birth date not recorded
                yield Row({
                    "case_bango": f"{hh:08d}", "setaiin_bango": f"{member:02d}", "yubin_bango": town.code,
                    "jusho": addr, "shimei": names.person(self.rng, surname),
                    "seinengappi": "0000000" if unknown_birth else dates.write(birth, "wareki_letter"),
                    "tsuchi_kubun": notify,
                }, hh, notify == "1")


class Iryohi(Maker):
    """Households (記号番号) of 1–5 insured persons; one notice per person who saw a doctor in the period."""

    def rows(self) -> Iterator[Row]:
        count, hh = 0, 0
        start = dt.date(self.ref.year - 1, 1, 1)  # the calendar year before the mailing (確定申告)
        end = dt.date(self.ref.year - 1, 12, 31)
        while count < self.n:
            hh += 1
            town, addr = self.unique_address()
            head = names.person(self.rng)
            surname = head.split("\u3000")[0]
            size = min(self.rng.choices((1, 2, 3, 4, 5), weights=(50, 25, 13, 8, 4))[0], self.n - count)
            for member in range(1, size + 1):
                count += 1
                visited = self.rng.random() > 0.08  # no visit in the period: no notice
                days = self.rng.randint(1, 60) if visited else 0
                total = days * self.rng.randint(2, 30) * 1000
                yield Row({
                    "kigo_bango": f"{20_000_000 + hh:08d}", "hihokensha_bango": f"{member:02d}",
                    "tsuchi_kubun": "1" if visited else "0",
                    "yubin_bango": town.code, "jusho": addr, "setainushi_shimei": head,
                    "jushinsha_shimei": head if member == 1 else names.person(self.rng, surname),
                    "kikan_kaishi": dates.write(start, "wareki_digit"),
                    "kikan_shuryo": dates.write(end, "wareki_digit"),
                    "jushin_nissu": f"{days:03d}", "iryohi_sogaku": f"{total:09d}",
                    "jiko_futan": f"{total * 3 // 10:09d}",
                }, hh, visited)


class Shisan(Maker):
    """One 送付対象者 per 生活保護 household (ケース番号): one 送付用宛名用紙 each."""

    def rows(self) -> Iterator[Row]:
        for hh in range(1, self.n + 1):
            town, addr = self.unique_address()
            send = self.rng.random() > 0.04  # 申告区分 0: not sent this year (保護廃止の予定 …)
            yield Row({"case_bango": f"{hh:08d}", "yubin_bango": town.code, "jusho": addr,
                       "shimei": names.person(self.rng), "shinkoku_kubun": "1" if send else "0"}, hh, send)


MAKERS: dict[str, type[Maker]] = {
    "kodomo-iryosho": Kodomo, "kokuho-tokusoku": Kokuho, "ninpu-kyufu": Ninpu,
    "keirokai": Keirokai, "seikatsu-hogo": Hogo, "kokuho-iryohi": Iryohi, "seikatsu-hogo-shisan": Shisan,
}
