"""The draft request to the municipality after a check: a complaint (klage) or a request to reopen
(genoptagelse), with the months, amounts, causes and the computations attached, as text, HTML and PDF.

Which applies (docs/decisions.md, "The check of the municipality's calculation"):

- **Complaint** while the deadline runs: 4 weeks from the day the decision was received
  (retssikkerhedsloven § 67, stk. 1), moved to the next open day when it falls on a weekend or holiday
  (as ``flexcalc.letters.deadline`` counts it). The complaint goes to the municipality, which must look at
  the decision again (§ 66) and, if it keeps it, send the complaint on to Ankestyrelsen.
- **Reopening** after the deadline, or when the day of receipt is not known: the municipality may reopen
  a decision built on wrong facts (the unwritten rules of administrative law on reopening); no deadline is
  set in law. A person who received the decision within 4 weeks is told that a complaint is possible too.

The person decides whether to send it; nothing is sent or stored here.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal

from flexcalc.check.compute import CheckResult, MonthCheck
from flexcalc.errors import require
from flexcalc.letters.deadline import is_open_day
from flexcalc.letters.document import html_to_pdf
from flexcalc.letters.profile import letters_data
from flexcalc.text_da.citizen_pages import without_file_names
from flexcalc.text_da.format import date_da, kr, month_name

COMPLAINT_PROVISION = "Retssikkerhedsloven § 67, stk. 1 (4 uger); retssikkerhedsloven § 66 (kommunen ser på sagen igen)"
REOPENING_PROVISION = "Forvaltningsretlige grundsætninger om genoptagelse (ulovbestemt genoptagelse)"


def complaint_deadline_from_receipt(received: dt.date) -> dt.date:
    """The last day to complain: 4 weeks after the day of receipt, moved to the next open day."""
    day = received + dt.timedelta(weeks=int(letters_data()["complaint"]["weeks"]))
    while not is_open_day(day):
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """A draft the person may send: its kind ("complaint" or "reopening"), the deadline, and the text."""

    kind: str
    deadline: dt.date | None
    title: str
    paragraphs: tuple[str, ...]
    rows: tuple[tuple[str, str, str, str, str], ...]
    computations: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
    closing: tuple[str, ...]
    provision: str

    @property
    def text(self) -> str:
        lines = [self.title, "", *(p + "\n" for p in self.paragraphs), "Måned | Rigtigt tilskud | Udbetalt | "
                 "Forskel | Årsag"]
        lines += [" | ".join(row) for row in self.rows]
        lines += ["", *self.closing, "", f"Regler: {self.provision}", "", "Bilag: beregningen for hver måned"]
        for heading, steps in self.computations:
            lines += ["", heading]
            lines += [f"  {label}: {amount} ({provision})" if amount else f"  {label} ({provision})"
                      for label, amount, provision in steps]
        return "\n".join(lines).rstrip() + "\n"

    @property
    def html(self) -> str:
        e = html.escape
        rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        appendix = "".join(
            f"<h3>{e(heading)}</h3><table><thead><tr><th scope=\"col\">Trin</th><th scope=\"col\">Beløb</th>"
            f"<th scope=\"col\">Regel</th></tr></thead><tbody>"
            + "".join(f"<tr><td>{e(a)}</td><td>{e(b)}</td><td>{e(c)}</td></tr>" for a, b, c in steps)
            + "</tbody></table>" for heading, steps in self.computations)
        return (
            "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\">"
            f"<title>{e(self.title)}</title><style>body{{font-family:sans-serif;font-size:10.5pt}}"
            "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:3px;text-align:left}"
            "</style></head><body>"
            f"<h1>{e(self.title)}</h1>" + "".join(f"<p>{e(p)}</p>" for p in self.paragraphs)
            + "<table><thead><tr>" + "".join(f"<th scope=\"col\">{h}</th>" for h in (
                "Måned", "Rigtigt tilskud", "Udbetalt", "Forskel", "Årsag")) + f"</tr></thead><tbody>{rows}</tbody>"
            "</table>" + "".join(f"<p>{e(p)}</p>" for p in self.closing)
            + f"<p>Regler: {e(self.provision)}</p><h2>Bilag: beregningen for hver måned</h2>{appendix}</body></html>")

    def pdf(self) -> bytes:
        return html_to_pdf(self.html)


def _months_da(months: list[MonthCheck]) -> str:
    names = [month_name(m.month) for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _row(m: MonthCheck) -> tuple[str, str, str, str, str]:
    causes = " ".join(c.text_da for c in m.causes).replace("Det gav dig", "Det gav mig") or "Ingen forskel."
    return (month_name(m.month), kr(m.right_subsidy), kr(m.paid_subsidy), kr(m.difference, sign=True), causes)


def _computation(m: MonthCheck) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    steps = tuple((s.label, "" if s.amount is None else kr(s.amount), without_file_names(str(s.provision)))
                  for s in m.right.steps)
    return f"Fleksløntilskud for {month_name(m.month)} (løn i {month_name(m.right.basis_month)})", steps


def draft_request(result: CheckResult, *, today: dt.date | None = None) -> DraftRequest:
    """The draft request for the months where the check found a difference."""
    day = today or dt.date.today()
    check = result.check
    decision = check.decision
    received = decision.received if decision is not None else None
    deadline = complaint_deadline_from_receipt(received) if received is not None else None
    kind = "complaint" if deadline is not None and day <= deadline else "reopening"
    differing = result.differing or result.months
    under = [m for m in differing if m.difference > 0]
    over = [m for m in differing if m.difference < 0]
    municipality = (decision.municipality if decision is not None else None) or "kommunen"
    paragraphs: list[str] = []
    if kind == "complaint":
        title = "Klage over beregningen af mit fleksløntilskud"
        paragraphs.append(f"Til {municipality}. Jeg klager over beregningen af mit fleksløntilskud for "
                          f"{_months_da(differing)}.")
        got, last = require(received, "the day of receipt"), require(deadline, "the complaint deadline")
        paragraphs.append(f"Jeg fik afgørelsen den {date_da(got)}. Fristen for at klage er {date_da(last)}. "
                          "Se sagen igen. Hvis I holder fast, så send klagen videre til Ankestyrelsen.")
        provision = COMPLAINT_PROVISION
    else:
        title = "Anmodning om genoptagelse af mit fleksløntilskud"
        paragraphs.append(f"Til {municipality}. Jeg beder jer genoptage beregningen af mit fleksløntilskud for "
                          f"{_months_da(differing)}. Beregningen bygger på forkerte tal.")
        if received is None:
            paragraphs.append("Har jeg fået afgørelsen for under 4 uger siden, er brevet også en klage.")
        provision = REOPENING_PROVISION
    paragraphs.append("Min kontrol er regnet efter reglerne. Tallene står herunder. Beregningen er vedlagt.")
    closing: list[str] = []
    if under:
        owed = sum((m.difference for m in under), Decimal(0))
        closing.append(f"Jeg beder om at få udbetalt {kr(owed)} for {_months_da(under)}.")
    if over:
        extra = -sum((m.difference for m in over), Decimal(0))
        closing.append(f"Kontrollen viser også, at jeg har fået {kr(extra)} for meget for {_months_da(over)}. "
                       "Det oplyser jeg, så afgørelsen bliver rigtig.")
    closing.append(f"Forskel i alt: {kr(result.total_difference, sign=True)}")
    if check.adviser is not None and check.consent is not None:
        org = f", {check.adviser.organisation}" if check.adviser.organisation else ""
        closing.append(f"Sendt af {check.adviser.name}{org} med samtykke fra {check.consent.given_by}, "
                       f"givet den {date_da(check.consent.date)}.")
    closing.append(f"Med venlig hilsen {check.person or ''}".rstrip())
    return DraftRequest(kind=kind, deadline=deadline, title=title, paragraphs=tuple(paragraphs),
                        rows=tuple(_row(m) for m in differing), computations=tuple(_computation(m) for m in differing),
                        closing=tuple(closing), provision=provision)


def summary_lines(result: CheckResult) -> list[str]:
    """The check in plain Danish, month by month, for the CLI and the page."""
    lines: list[str] = []
    for m in result.months:
        lines.append(f"{month_name(m.month)}: rigtigt tilskud {kr(m.right_subsidy)}, udbetalt {kr(m.paid_subsidy)}, "
                     f"forskel {kr(m.difference, sign=True)}")
        lines.append(f"  {m.verdict_da}")
        lines += [f"  - {c.title_da}: {c.text_da} ({c.provision})" for c in m.causes]
    lines.append(da_total(result))
    return lines


def da_total(result: CheckResult) -> str:
    from flexcalc.text_da.check import total_text

    return total_text(result.total_difference)
