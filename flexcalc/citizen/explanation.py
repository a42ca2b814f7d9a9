"""A month's calculation told in Danish, step by step, from its trace (no rule is repeated here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flexcalc.law.params import load_parameters, rates_note_da, weakest_status
from flexcalc.law.provisions import cite, law_warning
from flexcalc.money import ZERO
from flexcalc.month import MonthResult
from flexcalc.text_da.format import kr, month_name, percent
from flexcalc.trace import Step


def _effect(step: Step) -> str:
    return f"− {step.label}: {kr(-(step.effect or ZERO))}"


EVENT_TEXTS: dict[str, Callable[[Step], str]] = {
    "bonus_spread_out": lambda s: f"− {s.label}: {kr(-(s.amount or ZERO))}",
    "feriekonto_earned": lambda s: f"− {s.label}: {kr(-(s.amount or ZERO))}",
    "feriekonto": lambda s: f"+ {s.label}: {kr(s.amount or ZERO)}",
    "income_counted": lambda s: f"+ {s.label}: {kr(s.amount or ZERO)}",
    "income_not_counted": lambda s: f"{s.label} ({kr(s.amount or ZERO)})",
    "employment_share": lambda s: f"{s.label}: {kr(s.amount or ZERO)}",
    "absence_days": lambda s: f"{s.label}: grænsen er {kr(s.amount or ZERO)}",
    "sickness_benefit": _effect,
    "ledighedsydelse_days": _effect,
    "ceiling_changes": lambda s: f"{s.label}: {kr(s.amount or ZERO)}",
    "ceiling_employment_share": lambda s: f"{s.label}: {kr(s.amount or ZERO)}",
    "ceiling_raise": lambda s: f"{s.label}: + {kr(s.amount or ZERO)}",
    "regulation": lambda s: f"{s.label}: {kr(s.amount or ZERO)} (foreløbigt tilskud "
                            f"{kr(s.inputs['provisional_subsidy'])})",  # type: ignore[arg-type]
    "atp_state": lambda s: f"{s.label}: {kr(s.amount or ZERO)} (betales af kommunen, ikke trukket i tilskuddet)",
}


def _ceiling_text(result: MonthResult) -> str:
    if not result.ceiling_cut:
        return f"Lønloftet på {kr(result.ceiling)} nås ikke (der er {kr(result.ceiling_room)} til loftet)"
    if result.ceiling_room <= 0:
        return (f"Lønloftet er {kr(result.ceiling)}, og lønnen ({kr(result.wage_income)}) når allerede "
                f"loftet, så tilskuddet bliver 0 kr.")
    return (f"Lønloftet er {kr(result.ceiling)}: løn og tilskud må højst give {kr(result.ceiling)}, "
            f"så tilskuddet nedsættes med {kr(result.ceiling_cut)}")


def _step_text(result: MonthResult, step: Step) -> str | None:
    """One step of the result in plain Danish (None: a step not told, as the timing or no high reduction)."""
    rates = result.rates
    if step.key == "timing":
        return None
    if step.key == "wage_income":
        text = f"Lønindtægt inkl. pension: {kr(result.wage_income)}"
    elif step.key == "max_subsidy":
        text = f"Maksimalt fleksløntilskud: {kr(result.max_subsidy)}"
    elif step.key == "reduction_low":
        base = step.inputs["base"]
        threshold = step.inputs.get("threshold", rates.threshold)
        text = (f"− {percent(rates.reduction_rate_low)} af {kr(base)} (op til {kr(threshold)}): "  # type: ignore[arg-type]
                f"{kr(result.reduction_low)}")
    elif step.key == "reduction_high":
        if not result.reduction_high:
            return None
        base = step.inputs["base"]
        threshold = step.inputs.get("threshold", rates.threshold)
        text = (f"− {percent(rates.reduction_rate_high)} af {kr(base)} over {kr(threshold)}: "  # type: ignore[arg-type]
                f"{kr(result.reduction_high)}")
    elif step.key == "floor_at_zero":
        text = "Lønnen er så høj, at tilskuddet er nedsat til 0 kr."
    elif step.key == "rounding":
        text = f"Afrunding til hele øre: {kr(step.effect or ZERO, sign=True)}"
    elif step.key == "subsidy_before_ceiling":
        text = f"= Tilskud før lønloftet: {kr(result.subsidy_before_ceiling)}"
    elif step.key == "ceiling":
        text = _ceiling_text(result)
    elif step.key == "subsidy":
        text = f"= Fleksløntilskud: {kr(result.subsidy)}"
    elif step.key == "atp_own":
        text = f"− Eget ATP-bidrag: {kr(result.atp_own)}"
    elif step.key == "payout":
        text = f"= Udbetaling før skat: {kr(result.payout)}"
    elif step.key in EVENT_TEXTS:
        text = EVENT_TEXTS[step.key](step)
    elif step.amount is None:
        text = step.label
    elif step.effect is not None and step.effect < 0:
        text = f"− {step.label}: {kr(-step.effect)}"
    else:
        text = f"{step.label}: {kr(step.amount)}"
    return text


def explain_month_da(result: MonthResult) -> list[str]:
    """Lines of plain Danish that walk through the result, each citing its provision."""
    arrears = cite("paid_in_arrears", result.benefit_month)
    lines = [
        f"Fleksløntilskud for {month_name(result.benefit_month)}",
        f"Tilskuddet for {month_name(result.benefit_month)} beregnes på lønnen udbetalt i "
        f"{month_name(result.basis_month)}, fordi det udbetales bagud ({arrears}).",
        "",
    ]
    for step in result.steps:
        text = _step_text(result, step)
        if text is not None:
            lines.append(f"{text}  ({step.provision})")
    warning = law_warning(result.benefit_month)
    if warning is not None:
        lines += ["", f"Advarsel: {warning.message_da}."]
    derived = result.rates.derived + list(getattr(result, "derived_event_parameters", []))
    if derived:
        params = load_parameters()
        kind = weakest_status(params[name].entry_at(result.benefit_month.first_day()).status for name in derived)
        names = ", ".join(params[name].label_da.lower() for name in derived)
        lines += ["", f"Bemærk: {rates_note_da(kind, result.benefit_month)} Det gælder: {names}."]
    return lines


@dataclass(frozen=True, slots=True)
class WordedLine:
    """One step of the worded arithmetic and the provision it rests on (shown apart, in a fold)."""

    text: str
    provision: str


def worded_month_da(result: MonthResult) -> list[WordedLine]:
    """The month's calculation as STAR's calculator words it: each step a short sentence with its numbers
    ("30 % af lønnen op til 16.323,00 kr.: 30 % af 10.400,00 kr. = 3.120,00 kr."), taken from the trace.
    Steps a plain month does not have (holiday, sickness …) are told as :func:`explain_month_da` tells them."""
    rates = result.rates
    low, high = percent(rates.reduction_rate_low), percent(rates.reduction_rate_high)
    total_before = result.wage_income + result.subsidy_before_ceiling
    lines: list[WordedLine] = []
    for step in result.steps:
        key = step.key
        if key in ("timing", "wage_income", "rounding", "floor_at_zero", "subsidy", "payout"):
            continue
        if key == "max_subsidy":
            text = f"Det største tilskud er {kr(result.max_subsidy)} om måneden."
        elif key == "reduction_low":
            base = step.inputs["base"]
            threshold = step.inputs.get("threshold", rates.threshold)
            text = (f"{low} af lønnen op til {kr(threshold)}: "  # type: ignore[arg-type]
                    f"{low} af {kr(base)} = {kr(result.reduction_low)}")  # type: ignore[arg-type]
        elif key == "reduction_high":
            if not result.reduction_high:
                continue
            base = step.inputs["base"]
            text = f"{high} af lønnen over grænsen: {high} af {kr(base)} = {kr(result.reduction_high)}"  # type: ignore[arg-type]
        elif key == "subsidy_before_ceiling":
            cut = result.max_subsidy - result.subsidy_before_ceiling  # the reductions as rounded once
            text = (f"Tilskud før lønloftet: {kr(result.max_subsidy)} − {kr(cut)} = "
                    f"{kr(result.subsidy_before_ceiling)}")
            if result.subsidy_before_ceiling == 0:
                text = "Lønnen er så høj, at der ikke er noget tilskud før lønloftet: 0,00 kr."
        elif key == "ceiling":
            if result.ceiling_room <= 0:
                text = (f"Lønnen ({kr(result.wage_income)}) når lønloftet på {kr(result.ceiling)}. "
                        "Så er tilskuddet 0,00 kr.")
            elif result.ceiling_cut:
                text = (f"Løn og tilskud må højst være lønloftet på {kr(result.ceiling)}: {kr(result.wage_income)} "
                        f"+ {kr(result.subsidy_before_ceiling)} = {kr(total_before)} Det er over loftet. "
                        f"Så tilskuddet er {kr(result.ceiling)} − {kr(result.wage_income)} = {kr(result.subsidy)}")
            else:
                text = (f"Løn og tilskud må højst være lønloftet på {kr(result.ceiling)}: {kr(result.wage_income)} "
                        f"+ {kr(result.subsidy_before_ceiling)} = {kr(total_before)} Det er under loftet. "
                        f"Så tilskuddet er {kr(result.subsidy)}")
        elif key == "atp_own":
            text = (f"Du betaler selv ATP af tilskuddet ({percent(rates.atp_own_share_rate)}, højst "
                    f"{kr(rates.atp_own_share_cap, decimals=0)}): {kr(result.atp_own)} Udbetalt før skat: "
                    f"{kr(result.subsidy)} − {kr(result.atp_own)} = {kr(result.payout)}")
        else:
            continue
        lines.append(WordedLine(text if text.endswith(".") else text + ".", step.provision))
    return lines
