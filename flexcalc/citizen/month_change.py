"""Why did the payout change? The difference between two months split into causes that add up exactly.

Each side is a :class:`MonthSide`: the month's calculation inputs (a :class:`~flexcalc.month.MonthInput`)
and any amounts paid with it that are not that month's own calculation (an efterregulering of an
earlier month, :class:`Adjustment`). A stored case plugs in through :class:`CaseMonths` (the case
ledger returns a ``MonthSide`` for a benefit month).

Method: **sequential substitution** through :func:`~flexcalc.month.calculate_month`. Starting from
the first month's inputs, one group of inputs at a time is replaced by the second month's, and the
month is recalculated; the change in the subsidy at each stage is that stage's cause:

1. ``rates``: the benefit month, hence the rates in force (new rates on 1 January; LAB § 123, stk. 1–2);
2. ``wage``: the wage income of the basis month, split by the trace into the change of the 30 %
   reduction (``wage_low``), of the 55 % reduction incl. the floor at zero (``wage_high``) and of what
   the ceiling cuts (``ceiling``);
3. ``ceiling_amount``: the ceiling (lønloft) itself;
4. any registered stage (:func:`register_stage`; e.g. ``holiday_sickness`` from the month events);
5. ``other``: every remaining input, so the chain always ends exactly at the second month.

The own ATP share's change is one cause (``atp``, LAB § 137) and each adjustment kind another
(``correction``). Amounts are rounded to whole øre; the rounding remainder of a stage goes to its
largest inexact part, so the causes add up to the difference **exactly**. The order is a decision
(docs/decisions.md, "Month-to-month explanation"): another order can move amounts between causes,
never the total.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from flexcalc.errors import InvariantError, require
from flexcalc.law.provisions import base as cite_base
from flexcalc.law.provisions import cite
from flexcalc.money import ORE, ZERO, amount_str
from flexcalc.month import MonthInput, MonthResult, calculate_month
from flexcalc.period import Month
from flexcalc.rules import atp, ceiling, reduction
from flexcalc.text_da.format import kr, month_name, percent
from flexcalc.trace import Step

Calculator = Callable[[MonthInput], MonthResult]

ADJUSTMENT_LABELS_DA: dict[str, str] = {
    "correction": "efterregulering af en tidligere måned",
}
"""Kinds of :class:`Adjustment`, with their Danish label. Other modules may add kinds here."""

CAUSE_TITLES_DA: dict[str, str] = {
    "rates": "Nye satser",
    "wage_low": "Løn under grænsen (30 %)",
    "wage_high": "Løn over grænsen (55 %)",
    "ceiling": "Lønloftet",
    "ceiling_amount": "Lønloftet er ændret",
    "atp": "Eget ATP-bidrag",
    "correction": "Efterregulering",
    "holiday_sickness": "Ferie eller sygdom",
    "other": "Andre forhold",
    "events": "Ferie, sygdom og andre hændelser i måneden",
    "no_fleksjob_wage": "Ingen løn fra fleksjobbet",
}
"""A short Danish title per cause key, for tables. A registered stage adds its own."""


@dataclass(frozen=True, slots=True)
class Adjustment:
    """An amount paid (positive) or withheld (negative) with a month's payout that is not that month's
    own calculation, e.g. an efterregulering of an earlier month (``kind="correction"``, ``month`` the
    month corrected). Amounts are in kroner with at most two decimals."""

    kind: str
    amount: Decimal
    month: Month | None = None
    label_da: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ADJUSTMENT_LABELS_DA:
            raise ValueError(f"unknown adjustment kind {self.kind!r}; known: {sorted(ADJUSTMENT_LABELS_DA)}")
        if self.amount != self.amount.quantize(ORE):
            raise ValueError("an adjustment is in whole øre")

    def text_da(self) -> str:
        label = self.label_da or ADJUSTMENT_LABELS_DA[self.kind]
        of = f" for {month_name(self.month)}" if self.month else ""
        return f"{label}{of}: {kr(self.amount, sign=True)}"


@dataclass(frozen=True, slots=True)
class MonthSide:
    """One side of the comparison: the month's inputs and what is paid with it besides."""

    inp: MonthInput
    adjustments: tuple[Adjustment, ...] = ()
    label_da: str | None = None
    """How the month is named in sentences; default the benefit month ("marts 2024")."""

    @property
    def name_da(self) -> str:
        return self.label_da or month_name(self.inp.benefit_month)

    def adjustment_total(self, kind: str | None = None) -> Decimal:
        return sum((a.amount for a in self.adjustments if kind is None or a.kind == kind), ZERO)


class CaseMonths(Protocol):
    """What a stored case offers (the case ledger): the side of a benefit month as it stands."""

    def month_side(self, benefit_month: Month) -> MonthSide: ...


@dataclass(frozen=True, slots=True)
class Cause:
    """One cause of the change: its signed effect on the payout in whole øre and a Danish sentence."""

    key: str
    amount: Decimal
    text_da: str
    provision: str

    @property
    def title_da(self) -> str:
        return CAUSE_TITLES_DA.get(self.key, self.key)

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "title_da": self.title_da, "amount": amount_str(self.amount),
                "text_da": self.text_da, "provision": self.provision}


@dataclass(frozen=True, slots=True)
class Part:
    """An exact (unrounded) share of a stage's subsidy change; ``text`` writes the sentence for the
    rounded amount."""

    key: str
    amount: Decimal
    text: Callable[[Decimal], str]
    provision: str
    exact_in_ore: bool = False


@dataclass(frozen=True, slots=True)
class StageChange:
    """One substitution step: the month recalculated before and after a group of inputs changed."""

    start: MonthResult
    end: MonthResult
    start_input: MonthInput
    end_input: MonthInput

    @property
    def subsidy_change(self) -> Decimal:
        return self.end.subsidy - self.start.subsidy


@dataclass(frozen=True, slots=True)
class Stage:
    """A group of inputs replaced together, and how its subsidy change splits into parts.

    ``substitute(current, target)`` returns ``current`` with this group's inputs taken from ``target``.
    ``split(change)`` returns parts whose exact amounts add up to ``change.subsidy_change``;
    ``note(change)`` says in Danish that the inputs changed without effect (or ``None``).
    """

    key: str
    substitute: Callable[[MonthInput, MonthInput], MonthInput]
    split: Callable[[StageChange], list[Part]]
    note: Callable[[StageChange], str | None] = lambda change: None


# ---------------------------------------------------------------- sentences


def _effect(amount: Decimal) -> str:
    if amount > 0:
        return f"Det giver {kr(amount)} mere i udbetaling."
    return f"Det giver {kr(-amount)} mindre i udbetaling."


def _end(text: str) -> str:
    """End a sentence with one full stop (an amount already ends with "kr.")."""
    return text if text.endswith(".") else text + "."


def _rose(amount: Decimal) -> str:
    return "steg" if amount > 0 else "faldt"


def _step(result: MonthResult, key: str) -> Step | None:
    return next((s for s in result.steps if s.key == key), None)


def _trace_effect(result: MonthResult, key: str) -> Decimal:
    """The effect on the subsidy of a trace step that appears only when it applies (floor, rounding)."""
    step = _step(result, key)
    return step.effect if step is not None and step.effect is not None else ZERO


def _base(result: MonthResult, key: str) -> Decimal:
    value = require(_step(result, key), f"the trace step {key}").inputs["base"]
    if not isinstance(value, Decimal):
        raise InvariantError(f"the base of the trace step {key} is not an amount")
    return value


# ---------------------------------------------------------------- the stages


def _rates_split(change: StageChange) -> list[Part]:
    old, new = change.start.rates, change.end.rates
    start = new.entries["max_subsidy"].start
    when = f"{start.day}. {month_name(Month.of(start))}"
    changed = []
    if old.max_subsidy != new.max_subsidy:
        changed.append(f"det største tilskud {_rose(new.max_subsidy - old.max_subsidy)} fra "
                       f"{kr(old.max_subsidy, decimals=0)} til {kr(new.max_subsidy, decimals=0)}")
    if old.threshold != new.threshold:
        changed.append(f"grænsen mellem nedsættelse med 30 % og 55 % {_rose(new.threshold - old.threshold)} fra "
                       f"{kr(old.threshold, decimals=0)} til {kr(new.threshold, decimals=0)}")
    if old.reduction_rate_low != new.reduction_rate_low or old.reduction_rate_high != new.reduction_rate_high:
        changed.append(f"nedsættelsen er nu {percent(new.reduction_rate_low)} og {percent(new.reduction_rate_high)}")
    what = " og ".join(changed) or "satserne er ændret"
    lead = (f"Nye satser fra {when}: " if change.end_input.benefit_month > change.start_input.benefit_month
            else f"Satserne for {month_name(change.end_input.benefit_month)} er andre: ")
    text = _end(lead + what)
    return [Part("rates", change.subsidy_change, lambda amount: f"{text} {_effect(amount)}",
                 f"{reduction.PROVISION_MAX}; {reduction.PROVISION_LOW}", exact_in_ore=True)]


def _wage_split(change: StageChange) -> list[Part]:
    start, end = change.start, change.end
    threshold = end.rates.threshold
    low = -(end.reduction_low - start.reduction_low)
    high = -(end.reduction_high - start.reduction_high) + (
        _trace_effect(end, "floor_at_zero") - _trace_effect(start, "floor_at_zero"))
    cut = -(end.ceiling_cut - start.ceiling_cut)
    rounding = _trace_effect(end, "rounding") - _trace_effect(start, "rounding")
    low_base = _base(end, "reduction_low") - _base(start, "reduction_low")
    high_base = _base(end, "reduction_high") - _base(start, "reduction_high")
    floored = _step(end, "floor_at_zero") is not None or _step(start, "floor_at_zero") is not None

    def low_text(amount: Decimal) -> str:
        return (f"Den del af din løn, der ligger under grænsen på {kr(threshold, decimals=0)}, {_rose(low_base)} "
                f"med {kr(abs(low_base))} Tilskuddet nedsættes med 30 % af den del. {_effect(amount)}")

    def high_text(amount: Decimal) -> str:
        zero = " Tilskuddet kan dog ikke blive mindre end 0 kr." if floored else ""
        return (f"Den del af din løn, der ligger over grænsen på {kr(threshold, decimals=0)}, {_rose(high_base)} "
                f"med {kr(abs(high_base))} Tilskuddet nedsættes med 55 % af den del.{zero} {_effect(amount)}")

    def ceiling_text(amount: Decimal) -> str:
        return (f"Løn og tilskud må tilsammen højst udgøre lønloftet på {kr(end.ceiling)} Med den nye løn "
                f"skærer loftet {kr(end.ceiling_cut)} af tilskuddet mod {kr(start.ceiling_cut)} før. "
                f"{_effect(amount)}")

    no_wage = _trace_effect(end, "no_fleksjob_wage") - _trace_effect(start, "no_fleksjob_wage")

    def no_wage_text(amount: Decimal) -> str:
        paid = _step(end, "no_fleksjob_wage") is None
        what = ("Du fik igen løn fra dit fleksjob. Så kan der igen gives tilskud."
                if paid else "Du fik ingen løn fra dit fleksjob. Uden løn er der intet tilskud.")
        return f"{what} {_effect(amount)}"

    parts = [
        Part("wage_low", low, low_text, reduction.PROVISION_LOW),
        Part("wage_high", high, high_text, reduction.PROVISION_HIGH),
        Part("ceiling", cut, ceiling_text, ceiling.PROVISION, exact_in_ore=True),
    ]
    if no_wage:
        parts.append(Part("no_fleksjob_wage", no_wage, no_wage_text, cite_base("no_fleksjob_wage"),
                          exact_in_ore=True))
    # The øre rounding of the subsidy belongs with the reductions it rounds: the larger of the two.
    target = 0 if abs(low) >= abs(high) else 1
    parts[target] = dataclasses.replace(parts[target], amount=parts[target].amount + rounding)
    return parts


def _ceiling_split(change: StageChange) -> list[Part]:
    old, new = change.start_input.ceiling, change.end_input.ceiling

    def text(amount: Decimal) -> str:
        return (f"Dit lønloft {_rose(new - old)} fra {kr(old)} til {kr(new)}, og løn og tilskud må tilsammen "
                f"højst udgøre lønloftet. {_effect(amount)}")

    return [Part("ceiling_amount", change.subsidy_change, text, ceiling.PROVISION, exact_in_ore=True)]


def _ceiling_note(change: StageChange) -> str | None:
    old, new = change.start_input.ceiling, change.end_input.ceiling
    if old != new and change.subsidy_change == 0:
        return (f"Dit lønloft {_rose(new - old)} fra {kr(old)} til {kr(new)}, men loftet begrænsede ikke "
                f"tilskuddet, så det ændrede ikke udbetalingen.")
    return None


def _wage_zero_note(change: StageChange) -> str | None:
    if change.start.wage_income != change.end.wage_income and change.subsidy_change == 0:
        return (f"Din løn ændrede sig fra {kr(change.start.wage_income)} til {kr(change.end.wage_income)}, men "
                f"det ændrede ikke tilskuddet.")
    return None


def _other_split(change: StageChange) -> list[Part]:
    def text(amount: Decimal) -> str:
        return f"Andre forhold i måneden (fx ferie eller sygdom) ændrede tilskuddet. {_effect(amount)}"

    return [Part("other", change.subsidy_change, text, "LAB §§ 123–124", exact_in_ore=True)]


RATES_STAGE = Stage("rates", lambda cur, tgt: dataclasses.replace(cur, benefit_month=tgt.benefit_month),
                    _rates_split)
WAGE_STAGE = Stage("wage", lambda cur, tgt: dataclasses.replace(
    cur, wage=tgt.wage, other_wage=tgt.other_wage, other_income=tgt.other_income), _wage_split, _wage_zero_note)
CEILING_STAGE = Stage("ceiling_amount", lambda cur, tgt: dataclasses.replace(cur, ceiling=tgt.ceiling),
                      _ceiling_split, _ceiling_note)
_PLAIN_KEYS = frozenset({"timing", "wage_income", "max_subsidy", "reduction_low", "reduction_high", "floor_at_zero",
                         "rounding", "subsidy_before_ceiling", "ceiling", "subsidy", "atp_own", "payout"})


def _event_labels(result: MonthResult) -> list[str]:
    """The labels of the trace steps that the month's events added (holiday, sickness, incomes …)."""
    labels: list[str] = []
    for step in result.steps:
        if step.key not in _PLAIN_KEYS and step.label not in labels:
            labels.append(step.label)
    return labels


def _events_split(change: StageChange) -> list[Part]:
    before, after = _event_labels(change.start), _event_labels(change.end)

    def text(amount: Decimal) -> str:
        now = "; ".join(label[0].lower() + label[1:] for label in after) or "ingen særlige hændelser"
        then = "; ".join(label[0].lower() + label[1:] for label in before) or "ingen særlige hændelser"
        return (f"Måneden indeholder andre hændelser end før (ferie, sygdom, barsel, andre indtægter eller "
                f"ansættelsens start eller slut). Nu: {now}. Før: {then}. {_effect(amount)}")

    return [Part("events", change.subsidy_change, text, cite("events_change", change.end_input.benefit_month),
                 exact_in_ore=True)]


def _events_note(change: StageChange) -> str | None:
    if change.start_input.events != change.end_input.events and change.subsidy_change == 0:
        return "Månedens hændelser (fx ferie eller sygdom) er ændret, men det ændrede ikke tilskuddet."
    return None


EVENTS_STAGE = Stage("events", lambda cur, tgt: dataclasses.replace(cur, events=tgt.events), _events_split,
                     _events_note)
OTHER_STAGE = Stage("other", lambda cur, tgt: tgt, _other_split)

STAGES: list[Stage] = [RATES_STAGE, WAGE_STAGE, CEILING_STAGE, EVENTS_STAGE]
"""The substitution order before the closing ``other`` stage. Extend with :func:`register_stage`."""


def register_stage(stage: Stage) -> None:
    """Add a stage (e.g. ``holiday_sickness`` for the month events) after the built-in ones and before
    the closing ``other`` stage. A stage registered twice under one key replaces the first."""
    for index, existing in enumerate(STAGES):
        if existing.key == stage.key:
            STAGES[index] = stage
            return
    STAGES.append(stage)


# ---------------------------------------------------------------- the result


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def _round_parts(parts: Sequence[Part], total: Decimal) -> list[tuple[Part, Decimal]]:
    """Round each part to øre; the remainder goes to the largest part whose amount was not exact in øre."""
    rounded = [(part, _round(part.amount)) for part in parts]
    remainder = total - sum((amount for _, amount in rounded), ZERO)
    if remainder:
        candidates = [i for i, (part, _) in enumerate(rounded) if not part.exact_in_ore] or list(range(len(rounded)))
        target = max(candidates, key=lambda i: abs(parts[i].amount))
        part, amount = rounded[target]
        rounded[target] = (part, amount + remainder)
    return rounded


@dataclass(slots=True)
class MonthChange:
    """Two months, their calculations, and the causes of the difference in payout."""

    first: MonthSide
    second: MonthSide
    first_result: MonthResult
    second_result: MonthResult
    causes: list[Cause]
    notes_da: list[str] = field(default_factory=list)

    @property
    def first_payout(self) -> Decimal:
        """The first month's payout before tax: subsidy − own ATP + adjustments."""
        return self.first_result.payout + self.first.adjustment_total()

    @property
    def second_payout(self) -> Decimal:
        return self.second_result.payout + self.second.adjustment_total()

    @property
    def difference(self) -> Decimal:
        return self.second_payout - self.first_payout

    @property
    def first_total_income(self) -> Decimal:
        """Wage + payment for the first month: the wage of its basis month (incl. pension) and the payout
        it determined (docs/decisions.md, "Explainer, second pass": the wage and the payment it pays for)."""
        return self.first_result.wage_income + self.first_payout

    @property
    def second_total_income(self) -> Decimal:
        return self.second_result.wage_income + self.second_payout

    @property
    def total_income_change(self) -> Decimal:
        """The change in total income (wage + payment), before tax."""
        return self.second_total_income - self.first_total_income

    def headline_da(self) -> str:
        """The change in total income first, then its two parts: "I alt har du 1.092,00 kr. mere end for
        december 2024: lønnen steg 1.400,00 kr., og udbetalingen faldt 308,00 kr."."""
        change, wage = self.total_income_change, self.second_result.wage_income - self.first_result.wage_income
        consecutive = self.second_result.benefit_month == self.first_result.benefit_month.next()
        than = "end sidste måned" if consecutive else f"end for {self.first.name_da}"
        if change > 0:
            lead = f"I alt har du {kr(change)} mere {than}"
        elif change < 0:
            lead = f"I alt har du {kr(-change)} mindre {than}"
        else:
            lead = ("I alt har du det samme som sidste måned" if consecutive
                    else f"I alt har du det samme som for {self.first.name_da}")

        def moved(what: str, amount: Decimal) -> str:
            if amount == 0:
                return f"{what} er den samme"
            return f"{what} {'steg' if amount > 0 else 'faldt'} {kr(abs(amount))}"

        return f"{lead}: {moved('lønnen', wage)}, og {moved('udbetalingen', self.difference)}"

    def summary_da(self) -> str:
        d, a, b = self.difference, self.first.name_da, self.second.name_da
        if d == 0:
            return f"Du får det samme udbetalt for {b} som for {a}: {kr(self.second_payout)} før skat."
        more = "mere" if d > 0 else "mindre"
        return (f"Du får {kr(abs(d))} {more} udbetalt for {b} end for {a}: {kr(self.second_payout)} mod "
                f"{kr(self.first_payout)} før skat.")

    def to_dict(self) -> dict[str, Any]:
        def side(s: MonthSide, result: MonthResult, payout: Decimal) -> dict[str, Any]:
            return {
                "label_da": s.name_da,
                "benefit_month": str(result.benefit_month),
                "basis_month": str(result.basis_month),
                "wage_income": amount_str(result.wage_income),
                "ceiling": amount_str(result.ceiling),
                "subsidy": amount_str(result.subsidy),
                "atp_own": amount_str(result.atp_own),
                "adjustments": [{"kind": a.kind, "amount": amount_str(a.amount),
                                 "month": None if a.month is None else str(a.month), "text_da": a.text_da()}
                                for a in s.adjustments],
                "payout": amount_str(payout),
                "total_income": amount_str(result.wage_income + payout),
                "calculation": result.to_dict(),
            }

        return {
            "first": side(self.first, self.first_result, self.first_payout),
            "second": side(self.second, self.second_result, self.second_payout),
            "difference": amount_str(self.difference),
            "total_income_change": amount_str(self.total_income_change),
            "headline_da": self.headline_da(),
            "summary_da": self.summary_da(),
            "causes": [cause.to_dict() for cause in self.causes],
            "notes_da": self.notes_da,
        }


def _payout_causes(first: MonthSide, second: MonthSide, first_result: MonthResult,
                   second_result: MonthResult) -> list[Cause]:
    """The causes of the payout beside the subsidy: the own ATP, and the adjustments paid with the month."""
    causes: list[Cause] = []
    atp_change = -(second_result.atp_own - first_result.atp_own).quantize(ORE)
    if atp_change:
        causes.append(Cause(
            "atp", atp_change,
            f"Dit eget ATP-bidrag af tilskuddet ({percent(second_result.rates.atp_own_share_rate)}, højst "
            f"{kr(second_result.rates.atp_own_share_cap, decimals=0)}) er {kr(second_result.atp_own)} for "
            f"{second.name_da} mod {kr(first_result.atp_own)} for {first.name_da}. {_effect(atp_change)}",
            atp.PROVISION))
    for kind, label in ADJUSTMENT_LABELS_DA.items():
        before, after = first.adjustment_total(kind), second.adjustment_total(kind)
        if before != after:
            causes.append(Cause(
                kind, (after - before).quantize(ORE),
                f"Med udbetalingen for {second.name_da} følger {label} på {kr(after, sign=True)} mod "
                f"{kr(before, sign=True)} for {first.name_da}. {_effect(after - before)}",
                cite("regulation", second_result.benefit_month)))
    return causes


def explain_month_change(first: MonthSide, second: MonthSide, *, calculate: Calculator = calculate_month,
                         stages: Sequence[Stage] | None = None) -> MonthChange:
    """The payout of ``second`` minus that of ``first``, split into causes that add up exactly.

    ``calculate`` is the month calculation (default :func:`calculate_month`; a caller whose months carry
    events passes the calculation that models them). ``stages`` overrides the substitution order.
    """
    chain = [*(STAGES if stages is None else stages), OTHER_STAGE]
    first_result = calculate(first.inp)
    current_input, current = first.inp, first_result
    causes: list[Cause] = []
    notes: list[str] = []
    for stage in chain:
        next_input = stage.substitute(current_input, second.inp)
        following = current if next_input == current_input else calculate(next_input)
        change = StageChange(current, following, current_input, next_input)
        parts = stage.split(change)
        exact_sum = sum((p.amount for p in parts), ZERO)
        if exact_sum != change.subsidy_change:
            raise AssertionError(f"stage {stage.key}: parts add up to {exact_sum}, not {change.subsidy_change}")
        for part, amount in _round_parts(parts, change.subsidy_change):
            if amount:
                causes.append(Cause(part.key, amount.quantize(ORE), part.text(amount), part.provision))
        note = stage.note(change)
        if note:
            notes.append(note)
        current_input, current = next_input, following
    second_result = current
    if next_input != second.inp:
        raise AssertionError("the substitution chain must end at the second month's inputs")

    causes += _payout_causes(first, second, first_result, second_result)
    result = MonthChange(first, second, first_result, second_result, causes, notes)
    total = sum((c.amount for c in causes), ZERO)
    if total != result.difference:
        raise AssertionError(f"causes add up to {total}, not {result.difference}")
    return result


def explain_case_change(case: CaseMonths, first_month: Month, second_month: Month,
                        **kwargs: Any) -> MonthChange:
    """The same for two benefit months of a stored case (the case ledger implements ``CaseMonths``)."""
    return explain_month_change(case.month_side(first_month), case.month_side(second_month), **kwargs)
