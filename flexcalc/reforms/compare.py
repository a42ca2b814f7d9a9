"""Today's rules beside a reform over a population: cost, winners and losers, and the gain from one more hour.

Everything is added up in integer øre (Python ints across chunks: exact for any population size).
A person *wins* when the reform's subsidy is higher than today's, *loses* when it is lower, and is
*unchanged* when it is equal to the øre. The cost is the subsidy the municipality pays (before the
own ATP share is withheld), as in ``flexcalc.batch.run.Summary``.

**What one more hour keeps.** For each person with fewer than 37 agreed weekly hours, the month is
computed again with one more agreed weekly hour, paid one weekly hour's monthly wage more (the hourly
wage × 52/12 rounded half up where the input has ``hourly_wage``; otherwise the wage ÷ hours, rounded
half up), under both rule sets. What the person keeps is the rise in wage + subsidy; the *keep share*
is Σ kept ÷ Σ extra wage (exact, a Decimal), overall and by hour band, and "no gain" counts the people
who keep nothing (or lose) by working the hour.

**State and municipal shares.** The state refunds a share of the subsidy by the refund ladder
(``flexcalc.finance.ladder``: LBK 221/2021 § 5, stk. 2; persons outside the ladder under § 30 at the
earlier rate). A population file carries no benefit history, so the split is made for one *assumed*
step for everybody, named in the result (default: from week 53, the step a person in a lasting
fleksjob is on): state share = the total × the step's rate in force on the month's first day (øre,
half up), municipal share = the rest. ``--refund-step`` chooses another step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from flexcalc.batch.kernel import MAX_INPUT_ORE, BatchResult, IntArray
from flexcalc.errors import InputError, NoRatesError
from flexcalc.money import amount_str, from_ore
from flexcalc.period import Month
from flexcalc.reforms.rules import PreparedReform, ReformPeople, compute_reform, compute_today
from flexcalc.text_da.format import kr, month_name, number

BoolArray = npt.NDArray[np.bool_]

HOUR_BANDS: tuple[tuple[int, int], ...] = ((1, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 30), (31, 37))
"""The weekly hour bands of the published distribution (STAR/jobindsats, January 2021)."""
BAND_LABELS = tuple(f"{first}–{last}" for first, last in HOUR_BANDS)
SEX_LABELS = ("F", "M", "ukendt")
FULL_TIME_HOURS = 37

DIFF_EDGES_KR = (100, 500, 1000, 2000)
"""Bucket edges of the gains and losses in kroner: a gain d falls in (0, 100], (100, 500], …, over 2.000;
a loss likewise; 0 to the øre is "uændret"."""
DIFF_LABELS = (
    "tab over 2.000 kr.", "tab 1.000–2.000 kr.", "tab 500–1.000 kr.", "tab 100–500 kr.", "tab op til 100 kr.",
    "uændret", "gevinst op til 100 kr.", "gevinst 100–500 kr.", "gevinst 500–1.000 kr.", "gevinst 1.000–2.000 kr.",
    "gevinst over 2.000 kr.",
)

_METRICS = ("people", "winners", "losers", "unchanged", "before_ore", "after_ore", "diff_ore",
            "keep_people", "extra_wage_ore", "keep_before_ore", "keep_after_ore", "no_gain_before", "no_gain_after")


def hour_band(hours: IntArray) -> IntArray:
    """The index in ``HOUR_BANDS`` of each weekly hour count (1–37)."""
    return np.searchsorted(np.array([last for _, last in HOUR_BANDS]), hours, side="left").astype(np.int64)


def sex_code(sex: pa.Array | None, n: int) -> IntArray:
    """0 for F, 1 for M, 2 for anything else or no column."""
    if sex is None:
        return np.full(n, 2, np.int64)
    index = pc.index_in(pc.utf8_upper(sex.cast(pa.string())), value_set=pa.array(["F", "M"]))
    return np.asarray(index.fill_null(2).to_numpy(zero_copy_only=False), np.int64)


def _diff_bucket(diff: IntArray) -> IntArray:
    edges = np.array([edge * 100 for edge in DIFF_EDGES_KR], np.int64)
    gains = 6 + np.searchsorted(edges, diff, side="left")
    losses = 4 - np.searchsorted(edges, -diff, side="left")
    return np.where(diff > 0, gains, np.where(diff < 0, losses, 5))


def one_hour_wage(people: ReformPeople) -> IntArray:
    """The monthly wage of one more agreed weekly hour (see the module docstring)."""
    if people.hourly_wage is not None:
        monthly: IntArray = (people.hourly_wage * 52 + 6) // 12
        return monthly
    hours = np.maximum(people.hours, 1)
    per_hour: IntArray = (2 * people.wage + hours) // (2 * hours)
    return per_hour


def _refund_steps() -> dict[str, tuple[str, str, str]]:
    """The finance package's ladder steps by the name a reform run gives them ("1-4" … "53+",
    "before-ladder"): parameter, provision and Danish label, as ``flexcalc.finance.ladder`` has them."""
    from flexcalc.finance.ladder import BEFORE_LADDER, STEPS

    steps = {(f"{s.first_week}-{s.last_week}" if s.last_week is not None else f"{s.first_week}+"):
             (s.parameter, s.provision, s.label_da) for s in STEPS}
    steps["before-ladder"] = (BEFORE_LADDER.parameter, BEFORE_LADDER.provision, BEFORE_LADDER.label_da)
    return steps


REFUND_STEPS = _refund_steps()
"""The refund step a reform run may assume for everybody: its parameter, provision and Danish label."""
DEFAULT_REFUND_STEP = "53+"


def check_refund_step(step: str, field: str = "refund_step") -> str:
    if step not in REFUND_STEPS:
        raise InputError(field, f"must be one of {', '.join(REFUND_STEPS)}",
                         f"skal være en af {', '.join(REFUND_STEPS)}", code="refund_step")
    return step


def refund_rate(month: Month, step: str) -> Decimal:
    """The refund rate of ``step`` in force on the first day of ``month`` (LBK 221/2021 § 5, stk. 2)."""
    from flexcalc.finance import rates

    return rates.value(REFUND_STEPS[check_refund_step(step)][0], month.first_day())


def finance_shares(month: Month, total_subsidy_ore: int, step: str = DEFAULT_REFUND_STEP) -> dict[str, int]:
    """State and municipal shares (øre) of a subsidy total, everybody on refund step ``step``."""
    state = int((Decimal(total_subsidy_ore) * refund_rate(month, step)).quantize(Decimal(1), ROUND_HALF_UP))
    return {"state": state, "municipality": total_subsidy_ore - state}


@dataclass(slots=True)
class Groups:
    """The metrics of one breakdown (hour bands or sex), one int per group, as Python ints."""

    labels: tuple[str, ...]
    values: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in _METRICS:
            self.values.setdefault(name, [0] * len(self.labels))

    def add(self, codes: IntArray, metrics: dict[str, IntArray]) -> None:
        for name, values in metrics.items():
            sums = np.zeros(len(self.labels), np.int64)
            np.add.at(sums, codes, values)
            current = self.values[name]
            for index, value in enumerate(sums.tolist()):
                current[index] += value

    def merge(self, other: Groups) -> Groups:
        return Groups(self.labels, {name: [a + b for a, b in zip(self.values[name], other.values[name], strict=True)]
                                    for name in _METRICS})

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for index, label in enumerate(self.labels):
            get = {name: self.values[name][index] for name in _METRICS}
            out.append({
                "group": label,
                "people": get["people"],
                "winners": get["winners"],
                "losers": get["losers"],
                "unchanged": get["unchanged"],
                "cost_before": amount_str(from_ore(get["before_ore"])),
                "cost_after": amount_str(from_ore(get["after_ore"])),
                "difference": amount_str(from_ore(get["diff_ore"])),
                "keep_share_before": _share_str(get["keep_before_ore"], get["extra_wage_ore"]),
                "keep_share_after": _share_str(get["keep_after_ore"], get["extra_wage_ore"]),
                "no_gain_before": get["no_gain_before"],
                "no_gain_after": get["no_gain_after"],
            })
        return out


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _share_str(part: int, whole: int) -> str | None:
    share = _share(part, whole)
    return None if share is None else str(share)


@dataclass(slots=True)
class Comparison:
    """Today's rules beside the reform for a population (amounts in øre)."""

    month: str
    reform: str
    bands: Groups = field(default_factory=lambda: Groups(BAND_LABELS))
    sexes: Groups = field(default_factory=lambda: Groups(SEX_LABELS))
    histogram: list[int] = field(default_factory=lambda: [0] * len(DIFF_LABELS))
    payout_before_ore: int = 0
    payout_after_ore: int = 0
    largest_gain_ore: int = 0
    largest_loss_ore: int = 0
    refund_step: str = DEFAULT_REFUND_STEP

    def add(self, people: ReformPeople, before: BatchResult, after: BatchResult,
            keep: tuple[BoolArray, IntArray, IntArray, IntArray] | None = None) -> None:
        """One chunk: ``before``/``after`` are today's and the reform's results; ``keep`` is
        (mask of people counted, extra wage, kept today, kept under the reform)."""
        diff = after.subsidy - before.subsidy
        n = len(diff)
        metrics: dict[str, IntArray] = {
            "people": np.ones(n, np.int64),
            "winners": (diff > 0).astype(np.int64),
            "losers": (diff < 0).astype(np.int64),
            "unchanged": (diff == 0).astype(np.int64),
            "before_ore": before.subsidy,
            "after_ore": after.subsidy,
            "diff_ore": diff,
        }
        if keep is not None:
            counted, extra, kept_before, kept_after = keep
            c = counted.astype(np.int64)
            metrics.update({
                "keep_people": c,
                "extra_wage_ore": extra * c,
                "keep_before_ore": kept_before * c,
                "keep_after_ore": kept_after * c,
                "no_gain_before": ((kept_before <= 0) & counted).astype(np.int64),
                "no_gain_after": ((kept_after <= 0) & counted).astype(np.int64),
            })
        self.bands.add(hour_band(people.hours), metrics)
        self.sexes.add(sex_code(people.sex, n), metrics)
        counts = np.bincount(_diff_bucket(diff), minlength=len(DIFF_LABELS))
        self.histogram = [a + int(b) for a, b in zip(self.histogram, counts.tolist(), strict=True)]
        self.payout_before_ore += int(before.payout.sum(dtype=np.int64))
        self.payout_after_ore += int(after.payout.sum(dtype=np.int64))
        if n:
            self.largest_gain_ore = max(self.largest_gain_ore, int(diff.max()))
            self.largest_loss_ore = min(self.largest_loss_ore, int(diff.min()))

    def merge(self, other: Comparison) -> Comparison:
        return Comparison(
            month=self.month, reform=self.reform, bands=self.bands.merge(other.bands),
            sexes=self.sexes.merge(other.sexes),
            histogram=[a + b for a, b in zip(self.histogram, other.histogram, strict=True)],
            payout_before_ore=self.payout_before_ore + other.payout_before_ore,
            payout_after_ore=self.payout_after_ore + other.payout_after_ore,
            largest_gain_ore=max(self.largest_gain_ore, other.largest_gain_ore),
            largest_loss_ore=min(self.largest_loss_ore, other.largest_loss_ore),
            refund_step=self.refund_step,
        )

    def total(self, name: str) -> int:
        return sum(self.bands.values[name])

    @property
    def people(self) -> int:
        return self.total("people")

    @property
    def cost_before(self) -> Decimal:
        return from_ore(self.total("before_ore"))

    @property
    def cost_after(self) -> Decimal:
        return from_ore(self.total("after_ore"))

    @property
    def difference(self) -> Decimal:
        return from_ore(self.total("diff_ore"))

    def keep_share(self, which: str) -> Decimal | None:
        """Σ kept ÷ Σ extra wage for one more weekly hour, ``which`` = "before" or "after"."""
        return _share(self.total(f"keep_{which}_ore"), self.total("extra_wage_ore"))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``flexcalc reform run --json`` and ``POST /v1/reforms/run``; amounts as strings."""
        shares = self.finance_split()
        keep_before, keep_after = self.keep_share("before"), self.keep_share("after")
        return {
            "month": self.month,
            "reform": self.reform,
            "people": self.people,
            "cost_before": amount_str(self.cost_before),
            "cost_after": amount_str(self.cost_after),
            "difference": amount_str(self.difference),
            "payout_before": amount_str(from_ore(self.payout_before_ore)),
            "payout_after": amount_str(from_ore(self.payout_after_ore)),
            "winners": self.total("winners"),
            "losers": self.total("losers"),
            "unchanged": self.total("unchanged"),
            "largest_gain": amount_str(from_ore(self.largest_gain_ore)),
            "largest_loss": amount_str(from_ore(-self.largest_loss_ore)),
            "distribution": [{"bucket": label, "people": count}
                             for label, count in zip(DIFF_LABELS, self.histogram, strict=True)],
            "one_more_hour": {
                "people": self.total("keep_people"),
                "extra_wage": amount_str(from_ore(self.total("extra_wage_ore"))),
                "keep_share_before": None if keep_before is None else str(keep_before),
                "keep_share_after": None if keep_after is None else str(keep_after),
                "no_gain_before": self.total("no_gain_before"),
                "no_gain_after": self.total("no_gain_after"),
            },
            "by_hour_band": self.bands.rows(),
            "by_sex": self.sexes.rows(),
            "finance_shares": shares,
            "flows": FLOWS_COVERED,
        }

    def finance_split(self) -> dict[str, Any] | None:
        """The state and municipal shares before and after, everybody on ``refund_step``; ``None`` for a
        month before the refund ladder's parameters begin (2016)."""
        month = Month.parse(self.month)
        try:
            rate = refund_rate(month, self.refund_step)
        except NoRatesError:
            return None
        split = {key: finance_shares(month, self.total(f"{key}_ore"), self.refund_step) for key in ("before", "after")}
        _, provision, label = REFUND_STEPS[self.refund_step]
        return {
            "refund_step": self.refund_step, "refund_step_da": label, "provision": f"LBK 221/2021 {provision}",
            "refund_rate": str(rate),
            **{key: {k: amount_str(from_ore(v)) for k, v in parts.items()} for key, parts in split.items()},
        }

    def lines_da(self) -> list[str]:
        """The comparison in Danish, for the terminal."""
        def count(n: int) -> str:
            return number(Decimal(n), decimals=0)

        def pct(share: Decimal | None) -> str:
            return "–" if share is None else number(share * 100, decimals=1) + " %"

        lines = [
            f"Reform: {self.reform}",
            f"Ydelsesmåned: {month_name(Month.parse(self.month))} ({count(self.people)} personer)",
            f"Udgift i dag:                  {kr(self.cost_before)}",
            f"Udgift med reformen:           {kr(self.cost_after)}",
            f"Forskel:                       {kr(self.difference, sign=True)}",
            f"Vindere / tabere / uændrede:   {count(self.total('winners'))} / {count(self.total('losers'))} / "
            f"{count(self.total('unchanged'))}",
            f"Af én time mere beholdes:      {pct(self.keep_share('before'))} i dag, "
            f"{pct(self.keep_share('after'))} med reformen",
            f"Intet ud af én time mere:      {count(self.total('no_gain_before'))} i dag, "
            f"{count(self.total('no_gain_after'))} med reformen",
            "Timer pr. uge   personer   vindere    tabere   forskel i alt",
        ]
        for row in self.bands.rows():
            lines.append(f"{row['group']:>13}  {count(row['people']):>9}  {count(row['winners']):>8}  "
                         f"{count(row['losers']):>8}   {kr(Decimal(row['difference']), decimals=0, sign=True)}")
        shares = self.finance_split()
        if shares is None:
            lines.append(f"Fordeling på stat og kommune: ingen refusionssats for {self.month} (fra 2016).")
        else:
            rate = number(Decimal(shares["refund_rate"]) * 100, decimals=0)
            lines.append(f"Stat / kommune, alle antaget på refusionstrinnet {shares['refund_step_da']} "
                         f"({rate} % refusion, {shares['provision']}):")
            for label, key in (("i dag:       ", "before"), ("med reformen:", "after")):
                part = shares[key]
                lines.append(f"  {label} {kr(Decimal(part['state']))} / {kr(Decimal(part['municipality']))}")
        lines.append(FLOWS_COVERED["text_da"])
        return lines


def compare_chunk(month: Month, prepared: PreparedReform, people: ReformPeople, comparison: Comparison,
                  row_offset: int = 0) -> tuple[BatchResult, BatchResult]:
    """Compute one chunk under today's rules and the reform, with one more hour, and add it up."""
    before = compute_today(month, people)
    after = compute_reform(prepared, people, row_offset)
    counted = people.hours < FULL_TIME_HOURS
    extra = np.where(counted, one_hour_wage(people), 0)
    more = people.with_one_more_hour(extra)
    more.hours = np.minimum(more.hours, FULL_TIME_HOURS)
    np.minimum(more.wage, MAX_INPUT_ORE, out=more.wage)  # stay inside the kernel's input range
    before_more = compute_today(month, more)
    after_more = compute_reform(prepared, more, row_offset)
    kept_before = (before_more.wage_income + before_more.subsidy) - (before.wage_income + before.subsidy)
    kept_after = (after_more.wage_income + after_more.subsidy) - (after.wage_income + after.subsidy)
    comparison.add(people, before, after, (counted, extra, kept_before, kept_after))
    return before, after





FLOWS_COVERED: dict[str, Any] = {
    "covered": ["new_2013"],
    "not_covered": {
        "old": "the old scheme's subsidy (LAB § 133) is ½ or ⅔ of the employer's wage basis and does not depend "
               "on the new scheme's parameters; its rows are refused",
        "self_employed": "the self-employed subsidy (LAB § 126; BEK 233/2024 § 8) has its own basic amount and "
                         "reduction; its rows are refused",
    },
    "text_da": "Reformen regner kun på fleksløntilskud efter de nye regler (fra 2013); den gamle ordning og "
               "tilskud til selvstændige er ikke med.",
}
"""Which of the three flows a reform computes (``to_dict()["flows"]``, and the last line of ``lines_da``)."""
