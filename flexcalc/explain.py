"""A month's calculation told in Danish, step by step, from its trace (no rule is repeated here)."""

from __future__ import annotations

from flexcalc.calculate import MonthResult
from flexcalc.format import kr, month_name, percent
from flexcalc.money import ZERO
from flexcalc.params import load_parameters


def explain_month_da(result: MonthResult) -> list[str]:
    """Lines of plain Danish that walk through the result, each citing its provision."""
    rates = result.rates
    lines = [
        f"Fleksløntilskud for {month_name(result.benefit_month)}",
        f"Tilskuddet for {month_name(result.benefit_month)} beregnes på lønnen udbetalt i "
        f"{month_name(result.basis_month)}, fordi det udbetales bagud (LAB § 123, stk. 1).",
        "",
    ]
    for step in result.steps:
        if step.key == "timing":
            continue
        if step.key == "wage_income":
            text = f"Lønindtægt inkl. pension: {kr(result.wage_income)}"
        elif step.key == "max_subsidy":
            text = f"Maksimalt fleksløntilskud: {kr(result.max_subsidy)}"
        elif step.key == "reduction_low":
            base = step.inputs["base"]
            text = (f"− {percent(rates.reduction_rate_low)} af {kr(base)} (op til {kr(rates.threshold)}): "  # type: ignore[arg-type]
                    f"{kr(result.reduction_low)}")
        elif step.key == "reduction_high":
            if not result.reduction_high:
                continue
            base = step.inputs["base"]
            text = (f"− {percent(rates.reduction_rate_high)} af {kr(base)} over {kr(rates.threshold)}: "  # type: ignore[arg-type]
                    f"{kr(result.reduction_high)}")
        elif step.key == "floor_at_zero":
            text = "Lønnen er så høj, at tilskuddet er nedsat til 0 kr."
        elif step.key == "rounding":
            text = f"Afrunding til hele øre: {kr(step.effect or ZERO, sign=True)}"
        elif step.key == "subsidy_before_ceiling":
            text = f"= Tilskud før lønloftet: {kr(result.subsidy_before_ceiling)}"
        elif step.key == "ceiling":
            if result.ceiling_cut:
                if result.ceiling_room <= 0:
                    text = (f"Lønloftet er {kr(result.ceiling)}, og lønnen ({kr(result.wage_income)}) når allerede "
                            f"loftet, så tilskuddet bliver 0 kr.")
                else:
                    text = (f"Lønloftet er {kr(result.ceiling)}: løn og tilskud må højst give {kr(result.ceiling)}, "
                            f"så tilskuddet nedsættes med {kr(result.ceiling_cut)}")
            else:
                text = f"Lønloftet på {kr(result.ceiling)} nås ikke (der er {kr(result.ceiling_room)} til loftet)"
        elif step.key == "subsidy":
            text = f"= Fleksløntilskud: {kr(result.subsidy)}"
        elif step.key == "atp_own":
            text = f"− Eget ATP-bidrag: {kr(result.atp_own)}"
        elif step.key == "payout":
            text = f"= Udbetaling før skat: {kr(result.payout)}"
        else:
            text = f"{step.label}: {kr(step.amount) if step.amount is not None else ''}"
        lines.append(f"{text}  ({step.provision})")
    derived = result.rates.derived
    if derived:
        params = load_parameters()
        names = ", ".join(params[name].label_da.lower() for name in derived)
        lines += ["", f"Bemærk: følgende satser er beregnet (afledt), ikke offentliggjort: {names}."]
    return lines
