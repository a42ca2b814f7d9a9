"""The month's payouts after A-skat: every payment of a benefit month's payment run, its A-income (the subsidy
less the own ATP share, the run's ``payout``), the A-skat withheld by the case's tax card in force on the
payment date (``flexcalc.rules.a_skat``) and the net amount paid to the person's NemKonto.

The payment date is the last weekday of the benefit month unless given (the subsidy for a month is paid at its
end, in arrears of the basis month's wage). A frikort's amount already used this year is the A-income of the
case's earlier payments of the same calendar year paid on or after the card's ``valid_from`` (each paid on
its month's last weekday), up to the card's amount. A month without a payment run, or a case without a tax
card on the payment date, is an error naming them: no payout is guessed.

Read only: the lines are built from the stored payments, so their gross total is the run's payout total to
the øre (checked: a difference is an ``InvariantError``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import InputError, InvariantError
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month
from flexcalc.rules.a_skat import TaxCard, withhold_a_skat

from .claim_models import Settlement
from .models import Case, Payment
from .payees import EmployerPayout, employer_payouts
from .payments import month_totals
from .payrun import raw_ore, raw_text
from .tax_cards import HUNDRED, TaxCardRow

ORE = Decimal("0.01")
BENEFIT_TEXT = "Fleksløntilskud {month}"
MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december")


def default_payment_date(month: Month) -> dt.date:
    """The last weekday (Monday–Friday) of the benefit month."""
    day = month.last_day()
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def benefit_text(month: Month) -> str:
    """The payment's text for the person's bank statement: "Fleksløntilskud marts 2024"."""
    return BENEFIT_TEXT.format(month=f"{MONTHS_DA[month.month - 1]} {month.year}")


@dataclass(frozen=True, slots=True)
class PayoutLine:
    """One payout to one person's NemKonto."""

    case_id: str
    cpr: str | None
    benefit_month: Month
    payment_date: dt.date
    subsidy: Decimal
    atp_own: Decimal
    gross: Decimal
    """The A-income: the subsidy less the own ATP (the payment run's ``payout``)."""
    a_skat: Decimal
    net: Decimal
    card: str
    withholding_rate: str
    free_used: Decimal
    back_payment: bool = False
    """A back payment (efterbetaling) settled in this month's run; ``benefit_month`` is the month it concerns."""

    def row(self) -> dict[str, str]:
        """The JSON row (amounts as strings; no CPR number)."""
        return {"case_id": self.case_id, "gross": amount_str(self.gross), "a_skat": amount_str(self.a_skat),
                "net": amount_str(self.net)}


DEDUCTION_KINDS = {"regulation": "regulering", "setoff": "modregning"}
"""The settlement lines netted in a payment (``ledger_settlement.kind`` → the word on the payment file)."""


@dataclass(frozen=True, slots=True)
class DeductionLine:
    """A regulation or a set-off netted in the month's payment run: deducted from the person's transfer.

    Fradrag i udbetalingen: en regulering eller en modregning, trukket i det beløb, personen får overført."""

    case_id: str
    cpr: str | None
    kind: str
    """``regulation`` (an earlier month regulated, e.g. BEK 227/2024 § 10, stk. 2) or ``setoff`` (a claim set off)."""
    concerns_month: Month
    amount: Decimal
    """Positive: the amount deducted."""
    cause: str
    """The correction's reason codes, or ``claim`` for a set-off."""
    reference: str
    """``correction:<id>`` or ``claim:<id>``."""
    payment_date: dt.date


@dataclass(frozen=True, slots=True)
class MonthPayouts:
    month: Month
    payment_date: dt.date
    lines: list[PayoutLine]
    run_totals: dict[str, str]
    back_lines: list[PayoutLine] = field(default_factory=list)
    """The back payments paid with this month's run, each on its own line (the month it concerns)."""
    employer_lines: list[EmployerPayout] = field(default_factory=list)
    """The old scheme's transfers to employers (CVR) for this period: no A-skat, not the person's income."""
    deductions: list[DeductionLine] = field(default_factory=list)
    """The regulations and set-offs netted in this month's run, by case: deducted from the transfer after
    A-skat (the month's A-income stays the run's payout)."""

    def totals(self) -> dict[str, str | int]:
        back = self.back_lines
        return {"back_payments": len(back), "back_gross": amount_str(sum((x.gross for x in back), ZERO)),
                "back_a_skat": amount_str(sum((x.a_skat for x in back), ZERO)),
                "employer_payees": len(self.employer_lines),
                "employer_gross": amount_str(sum((x.amount for x in self.employer_lines), ZERO)),
                **self._month_totals()}

    def _month_totals(self) -> dict[str, str | int]:
        return {"count": len(self.lines), "gross": amount_str(sum((x.gross for x in self.lines), ZERO)),
                "a_skat": amount_str(sum((x.a_skat for x in self.lines), ZERO)),
                "net": amount_str(sum((x.net for x in self.lines), ZERO)),
                "run_total_payout": self.run_totals["total_payout"],
                "run_total_subsidy": self.run_totals["total_subsidy"],
                "run_total_atp_own": self.run_totals["total_atp_own"]}

    def to_dict(self) -> dict[str, object]:
        return {"benefit_month": str(self.month), "payment_date": self.payment_date.isoformat(),
                "rows": [x.row() for x in self.lines],
                "back_payment_rows": [{**x.row(), "concerns_month": str(x.benefit_month)} for x in self.back_lines],
                "employer_rows": [x.row() for x in self.employer_lines], "totals": self.totals()}


def _kr(ore: int) -> Decimal:
    return Decimal(ore) * ORE


def _cards(session: Session, on: dt.date) -> dict[str, tuple[TaxCard, dt.date, str]]:
    """Every case's card in force on ``on``: (card, valid_from, rate text), read as plain columns."""
    query = (select(TaxCardRow.case_id, TaxCardRow.card, TaxCardRow.withholding_rate,
                    raw_ore(TaxCardRow.monthly_deduction), raw_ore(TaxCardRow.free_amount), TaxCardRow.valid_from)
             .where(TaxCardRow.valid_from <= on).order_by(TaxCardRow.case_id, TaxCardRow.valid_from, TaxCardRow.id))
    out: dict[str, tuple[TaxCard, dt.date, str]] = {}
    for case_id, kind, rate, deduction, free, valid_from in session.execute(query):
        out[case_id] = (TaxCard(kind, Decimal(rate) / HUNDRED, _kr(int(deduction)), _kr(int(free))), valid_from, rate)
    return out


def _free_used_before(session: Session, month: Month, cards: dict[str, tuple[TaxCard, dt.date, str]]
                      ) -> dict[str, Decimal]:
    """For each frikort case: the A-income of its earlier payments this year paid from the card's date on."""
    free_cases = {case_id for case_id, (card, _, _) in cards.items() if card.kind == "frikort"}
    if not free_cases or month.month == 1:
        return {}
    earlier = [str(Month(month.year, m)) for m in range(1, month.month)]
    used: dict[str, Decimal] = defaultdict(lambda: ZERO)
    query = select(Payment.case_id, raw_text(Payment.benefit_month), raw_ore(Payment.payout)).where(
        Payment.benefit_month.in_(earlier))
    for case_id, text, payout in session.execute(query):
        if case_id in free_cases and default_payment_date(Month.parse(text)) >= cards[case_id][1]:
            used[case_id] += _kr(int(payout))
    return dict(used)


def month_payouts(session: Session, month: Month, payment_date: dt.date | None = None) -> MonthPayouts:
    """The payouts of ``month``'s payment run after A-skat (see the module)."""
    on = payment_date or default_payment_date(month)
    query = (select(Payment.case_id, Case.cpr, raw_ore(Payment.subsidy), raw_ore(Payment.atp_own),
                    raw_ore(Payment.payout))
             .join(Case, Case.id == Payment.case_id)
             .where(Payment.benefit_month == str(month)).order_by(Payment.case_id))
    payments = session.execute(query).all()
    employers = employer_payouts(session, month, on)
    if not payments and not employers:  # a month may pay only employers (the old scheme)
        raise InputError("month", f"no payment run for {month}: run `flexcalc pay {month}` first",
                         f"ingen betalingskørsel for {month}: kør `flexcalc pay {month}` først", code="no_payment_run")
    cards = _cards(session, on)
    missing = [p[0] for p in payments if int(p[4]) > 0 and p[0] not in cards]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise InputError("tax_card", f"{len(missing)} case(s) have no tax card on {on}: {shown}",
                         f"{len(missing)} sag(er) har intet skattekort den {on}: {shown}", code="no_tax_card")
    used = _free_used_before(session, month, cards)
    lines = []
    for case_id, cpr, subsidy, atp_own, payout in payments:
        if int(payout) <= 0:
            continue  # nothing to transfer and no A-income to report
        card, _, rate = cards[case_id]
        held = withhold_a_skat(_kr(int(payout)), card, used.get(case_id, ZERO))
        lines.append(PayoutLine(case_id, cpr, month, on, _kr(int(subsidy)), _kr(int(atp_own)), held.a_income,
                                held.a_skat, held.net, card.kind, rate, held.free_used))
    run = month_totals(session, month)
    back = _back_payment_lines(session, month, on, payments, cards, used)
    result = MonthPayouts(month, on, lines, run, back, employers, _deduction_lines(session, month, on))
    if result.totals()["gross"] != run["total_payout"]:
        raise InvariantError(f"payout lines {result.totals()['gross']} differ from the run's {run['total_payout']}")
    return result


def _back_payment_lines(session: Session, month: Month, on: dt.date, payments: Sequence[Any],
                        cards: dict[str, tuple[TaxCard, dt.date, str]], used: dict[str, Decimal]) -> list[PayoutLine]:
    """The back payments (efterbetalinger) settled in ``month``'s run, one line each. They are A-income of
    the payment date (paid now), so A-skat is withheld now: the tax on the month's payout and the back
    payments together, less the tax on the month's payout alone (the monthly deduction used once)."""
    query = (select(Settlement.case_id, Case.cpr, raw_text(Settlement.concerns_month), raw_ore(Settlement.amount))
             .join(Case, Case.id == Settlement.case_id)
             .where(Settlement.payment_month == str(month), Settlement.kind == "efterbetaling")
             .order_by(Settlement.case_id, Settlement.id))
    rows = session.execute(query).all()
    if not rows:
        return []
    missing = sorted({r[0] for r in rows if r[0] not in cards})
    if missing:
        raise InputError("tax_card", f"{len(missing)} case(s) have no tax card on {on}: {', '.join(missing[:10])}",
                         f"{len(missing)} sag(er) har intet skattekort den {on}: {', '.join(missing[:10])}",
                         code="no_tax_card")
    paid = {p[0]: max(ZERO, _kr(int(p[4]))) for p in payments}
    out = []
    for case_id, cpr, concerns, ore in rows:
        card, _, rate = cards[case_id]
        amount, before = _kr(int(ore)), paid.get(case_id, ZERO)
        was = withhold_a_skat(before, card, used.get(case_id, ZERO))
        now = withhold_a_skat(before + amount, card, used.get(case_id, ZERO))
        paid[case_id] = before + amount
        a_skat = now.a_skat - was.a_skat
        out.append(PayoutLine(case_id, cpr, Month.parse(concerns), on, ZERO, ZERO, amount, a_skat, amount - a_skat,
                              card.kind, rate, now.free_used - was.free_used, back_payment=True))
    return out


def _deduction_lines(session: Session, month: Month, on: dt.date) -> list[DeductionLine]:
    """The regulations and set-offs the run of ``month`` netted (``ledger_settlement``), by case and line."""
    query = (select(Settlement.case_id, Case.cpr, Settlement.kind, raw_text(Settlement.concerns_month),
                    raw_ore(Settlement.amount), Settlement.cause, Settlement.correction_id, Settlement.claim_id)
             .join(Case, Case.id == Settlement.case_id)
             .where(Settlement.payment_month == str(month), Settlement.kind.in_(sorted(DEDUCTION_KINDS)))
             .order_by(Settlement.case_id, Settlement.id))
    return [DeductionLine(case_id, cpr, kind, Month.parse(concerns), _kr(int(ore)), cause,
                          f"claim:{claim_id}" if claim_id is not None else f"correction:{correction_id}", on)
            for case_id, cpr, kind, concerns, ore, cause, correction_id, claim_id in session.execute(query)]
