"""Danish answers of the citizen pages that are not a calculation of their own: 0 hours a week, and what
one more hour a week gives at the person's own hours (from the extra-hour steps, never recomputed here)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flexcalc.law.provisions import cite
from flexcalc.period import Month
from flexcalc.text_da.format import kr
from flexcalc.text_da.month import EXCEPTION_TEXT


def zero_hours_da(month: Month) -> tuple[str, str]:
    """The answer at 0 hours a week (no wage from the fleksjob, no subsidy: LAB § 123, stk. 1), with the
    exceptions, and its provision as cited in ``month``."""
    names = [EXCEPTION_TEXT[k] for k in ("employer_holiday_pay", "feriekonto", "unpaid_absence", "resource_benefit")]
    exceptions = ", ".join(names[:-1]) + " og " + names[-1]
    text = ("Ved 0 timer får du ingen løn fra fleksjobbet. Uden løn fra fleksjobbet er der intet tilskud. "
            f"Der er undtagelser. Det gælder fx {exceptions}. Fra 2024 gælder det også tabt arbejdsfortjeneste "
            "og plejevederlag.")
    return text, str(cite("no_fleksjob_wage", month))


def one_more_hour_da(hours: int | Decimal, kept: Decimal, extra_wage: Decimal, kept_after_tax: Decimal | None) -> str:
    """What one more hour a week gives a month at ``hours``, before tax and (an estimate) after tax."""
    whole = int(hours)
    ore = (kept / extra_wage * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) if extra_wage else Decimal(0)
    text = (f"Går du fra {whole} til {whole + 1} timer om ugen, tjener du {kr(extra_wage)} mere om måneden. "
            f"Du beholder {kr(kept)} før skat. Det er {ore} øre af hver krone.")
    if kept_after_tax is not None:
        text += f" Efter skat er det cirka {kr(kept_after_tax)}."
    return text.replace("kr..", "kr.")




FIELD_DA: dict[str, str] = {
    "wage": "løn", "other_wage": "løn fra andre", "ceiling": "lønloft", "month": "måned", "amount": "beløb",
    "by": "initialer", "reason": "begrundelse", "summary": "resumé", "outcome": "udfald", "knowledge": "viden",
    "received_on": "modtaget den", "received_at": "modtaget", "sent_on": "sendt den", "reply_by": "svarfrist",
    "held_by": "holdt af", "explanation": "forklaring", "employer": "arbejdsgiver", "correction": "efterregulering",
    "start": "start", "date": "dato", "hours": "timer", "paid_subsidy": "udbetalt tilskud",
    "used_wage": "løn kommunen brugte", "used_ceiling": "lønloft kommunen brugte", "cpr": "CPR-nummer",
    "file": "fil", "body": "indhold", "method": "metode", "source": "kilde", "ground": "grundlag",
    "document": "dokument", "events": "hændelser", "pension_own": "egen pension",
    "pension_employer": "arbejdsgiverens pension", "payment_date": "udbetalingsdato", "months": "måned",
    "payslips": "lønseddel",
}
"""The API's field names in Danish, for the messages a page shows (the API's own field names stay English)."""


def field_da(field: str) -> str:
    """A field path from an API error in Danish: ``wage`` → "løn", ``months.0.wage`` → "måned 1: løn"; an unknown
    name is shown as it is."""
    parts = [p for p in str(field).split(".") if p]
    words: list[str] = []
    for part in parts:
        if part.isdigit():
            words[-1:] = [f"{words[-1]} {int(part) + 1}" if words else f"nr. {int(part) + 1}"]
            continue
        words.append(FIELD_DA.get(part, part))
    return ": ".join(words) if words else str(field)


_FILE_REFERENCE = re.compile(r"\s*\((?:se )?(?:docs|flexcalc)/[\w./-]+(?:,[^)]*)?\)")


def without_file_names(text: str) -> str:
    """Citizen text without references to the project's files ("(docs/decisions.md)" in a citation): a person
    reading a page or a letter cannot open them."""
    return _FILE_REFERENCE.sub("", text)


__all__ = ["FIELD_DA", "field_da", "one_more_hour_da", "without_file_names", "zero_hours_da"]
