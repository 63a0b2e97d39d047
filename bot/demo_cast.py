"""The demo's cast and their figures: who is invited, what each one types, and who acts for them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from bot.app import Runtime
from bot.clock import FakeClock
from bot.model import Aggregation, Direction, Indicator, Role
from bot.sim import BotApiSimulator, SimGroup, SimMessage, SimPerson

YEAR = 2026
QUARTER = 1
STEP_PAUSE = timedelta(minutes=2)
WAIT = 20.0

# (key, full name, role, unit, sapaan given with the invite): two people per unit plus the
# pimpinan. One is invited without a sapaan, so the transcript shows the bot asking for it.
CAST: tuple[tuple[str, str, Role, str | None, str], ...] = (
    ("kasubag", "Sri Wahyuni", Role.KASUBAG_KPEP, None, "Ibu"),
    ("sekretaris", "Bambang Sutrisno", Role.SEKRETARIS, None, "Bapak"),
    ("kadin", "Hendra Kusuma", Role.KADIN, None, "Bapak"),
    ("op_sekretariat", "Rina Lestari", Role.OPERATOR, "sekretariat", "Ibu"),
    ("op_sekretariat2", "Agus Salim", Role.OPERATOR, "sekretariat", "Bapak"),
    ("kabid_pelatihan", "Joko Prasetyo", Role.KABID, "pelatihan", "Bapak"),
    ("op_pelatihan", "Tono Hartono", Role.OPERATOR, "pelatihan", "Bapak"),
    ("kabid_penempatan", "Dewi Anggraini", Role.KABID, "penempatan", "Ibu"),
    ("op_penempatan", "Eko Saputra", Role.OPERATOR, "penempatan", "Bapak"),
    ("kabid_hi", "Maria Ulfa", Role.KABID, "hubungan_industrial", "Ibu"),
    ("op_hi", "Yusuf Hidayat", Role.OPERATOR, "hubungan_industrial", ""),
)
FACTORS = (
    Decimal("1.00"),
    Decimal("0.92"),
    Decimal("1.05"),
    Decimal("0.85"),
    Decimal("0.97"),
    Decimal("1.10"),
    Decimal("0.70"),  # below 76 %: the drafted analysis suggests a recommendation for it
    Decimal("1.02"),
)
# Share of the pagu spent in the quarter; Penempatan lags far behind the year (a suggestion).
BUDGET_SHARE = {"penempatan": Decimal("0.03")}
# Last year's quarters against this year's first: each differs from every figure typed this
# year, so "the same quarter last year" never reads as this year's Triwulan I.
LAST_YEAR_FACTORS = (Decimal("0.90"), Decimal("0.93"), Decimal("1.20"), Decimal("0.95"))


def demo_value(indicator: Indicator, index: int, quarter: int = QUARTER) -> Decimal:
    """A plausible realisation near the quarter's target, written as an official would."""
    target = indicator.targets_q[quarter - 1] or indicator.target_annual or Decimal(10)
    factor = FACTORS[index % len(FACTORS)]
    if indicator.direction is Direction.DOWN:
        factor = Decimal(2) - factor
    value = target * factor
    if indicator.is_percentage:
        value = min(value, Decimal(100))
    places = (
        Decimal("0.1")
        if not indicator.is_count
        and (indicator.is_percentage or indicator.aggregation is Aggregation.LATEST)
        else Decimal(1)  # a count (orang, paket) is whole, or the bot refuses it
    )
    return value.quantize(places)


class Demo:
    """The cast, the simulator and the running bot."""

    def __init__(self, sim: BotApiSimulator, runtime: Runtime, clock: FakeClock) -> None:
        self.sim = sim
        self.runtime = runtime
        self.clock = clock
        self.people: dict[str, SimPerson] = {}
        self.group: SimGroup | None = None

    def tick(self) -> None:
        """Officials take a moment between actions."""
        self.clock.advance(STEP_PAUSE)

    async def act(self, key: str, text: str, expect: str | None = None) -> SimMessage:
        """Someone types; wait for the bot's answer (containing ``expect`` if given)."""
        self.tick()
        person = self.people[key]
        await person.send(text)
        return await self._answer(person, expect)

    async def tap(self, key: str, label: str, expect: str | None = None) -> SimMessage:
        """Someone taps a button; wait for the bot's answer."""
        self.tick()
        person = self.people[key]
        await person.tap(label)
        return await self._answer(person, expect)

    async def _answer(self, person: SimPerson, expect: str | None) -> SimMessage:
        predicate: Callable[[SimMessage], bool] = (
            (lambda m: expect in m.plain_text) if expect else (lambda m: True)
        )
        return await person.wait_for(predicate, timeout=WAIT)
