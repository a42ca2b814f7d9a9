"""The normal-wage check told in Danish: lines for the terminal, and a printable summary the employer can
sign (HTML or Markdown). Presentation only: every figure comes from ``flexcalc.normal_wage``.
"""

from __future__ import annotations

import html
from decimal import Decimal

from flexcalc.errors import require
from flexcalc.format import date_da, kr, month_name, number
from flexcalc.normal_wage import TITLES, CheckResult, Finding, describe_source

SEVERITY_DA = {"error": "FEJL", "warning": "ADVARSEL", "info": "OPLYSNING"}
DECLARATION_DA = (
    "Jeg bekræfter, at oplysningerne er rigtige, og at lønloftet er lønnen for en almindelig fuldtidsansat på "
    "ordinære vilkår i stillingen, inkl. pension og tillæg, uden overarbejde og uden nedsættelse for den nedsatte "
    "arbejdsevne. Ændres lønnen, tillæggene eller pensionen, giver jeg kommunen besked (Ankestyrelsen PM 48-22)."
)


def hours_da(hours: Decimal) -> str:
    """Weekly hours in Danish without needless decimals: ``37``, ``20,6``, ``12,25``."""
    if hours == hours.to_integral_value():
        return number(hours, decimals=0)
    text = number(hours, decimals=2)
    return text.rstrip("0").rstrip(",")


def _heading(result: CheckResult) -> list[str]:
    form = result.form
    where = " – ".join(part for part in (form.position, form.employer) if part)
    lines = [f"Lønloft (normalløn){': ' + where if where else ''}"]
    if form.employee_name:
        lines.append(f"Medarbejder: {form.employee_name}")
    lines.append(f"Gælder fra {date_da(form.effective_date)}. {describe_source(form)} "
                 f"Fuld tid efter overenskomsten: {hours_da(form.full_time_hours)} timer om ugen.")
    return lines


def breakdown_rows(result: CheckResult) -> list[tuple[str, str, str, str]]:
    """(kind, label, amount, provision) per breakdown line, the total last. ``kind`` is ``"line"`` for a line
    that counts (amount with its sign), ``"info"`` for one that informs (in brackets), ``"total"``."""
    rows = []
    for step in result.breakdown.steps:
        if step.key == "ceiling":
            rows.append(("total", step.label, f"= {kr(result.ceiling)}", step.provision))
        elif step.part_of == "ceiling":
            sign = "− " if require(step.effect, f"the effect of {step.key}") < 0 else "+ "
            rows.append(("line", step.label, f"{sign}{kr(require(step.amount, step.key))}", step.provision))
        else:
            rows.append(("info", f"({step.label})", f"({kr(require(step.amount, step.key))})", step.provision))
    return rows


def finding_lines(finding: Finding) -> list[str]:
    title_da, _ = TITLES[finding.code]
    return [f"[{SEVERITY_DA[finding.severity]}] {title_da} ({finding.code})",
            f"  {finding.message_da}",
            f"  Gør: {finding.action_da}  ({finding.provision})"]


def effect_lines(result: CheckResult) -> list[str]:
    effect = result.effect
    if effect is None:
        return ["Hvad betyder det for medarbejderen? Skriv timeløn og timer for at se det."]
    current = effect.current
    lines = [
        f"Betydning for medarbejderen (ydelsesmåned {month_name(effect.benefit_month)}):",
        f"  Med {hours_da(effect.hours_per_week)} timer om ugen à {kr(effect.hourly_wage)} (inkl. pension): "
        f"løn {kr(current.wage_income)} om måneden, fleksløntilskud {kr(current.subsidy)}, "
        f"i alt {kr(current.wage_income + current.subsidy)}",
    ]
    if effect.binds_from_hours is None:
        lines.append("  Lønloftet rammer ikke, heller ikke ved 48 timer om ugen. Tilskuddet er væk, før løn og "
                     "tilskud når lønloftet.")
    elif effect.binds_from_hours == 0:
        lines.append(f"  Lønloftet rammer ved alle timetal. Løn og tilskud giver højst {kr(result.ceiling)} "
                     "i alt. Flere timer giver ikke flere penge.")
    else:
        lines.append(f"  Lønloftet rammer fra {hours_da(effect.binds_from_hours)} timer om ugen. Derfra giver "
                     f"flere timer ikke flere penge i alt. Løn og tilskud er så {kr(result.ceiling)}")
    if effect.binds_now:
        lines.append(f"  Lønloftet rammer allerede nu. Tilskuddet bliver {kr(current.ceiling_cut)} mindre.")
    lines.append(f"  (LAB § 123, stk. 2–3; beregnet med satserne for {month_name(effect.benefit_month)})")
    return lines


def running_text_da(result: CheckResult) -> str:
    """The sentences an employer reads in the check, without the breakdown's figures and without the provisions
    (those stand apart): the heading, the summary, each finding and what to do, the effect for the employee.
    Its LIX is measured in the tests (target ≤ 35)."""
    parts = [*_heading(result)[1:]]
    for finding in result.findings:
        parts += [finding.message_da, finding.action_da]
    parts += [line.strip() for line in effect_lines(result) if not line.strip().startswith("(")]
    return " ".join(parts)


def explain_check_da(result: CheckResult) -> list[str]:
    """The whole check as lines of Danish text for the terminal."""
    lines = [*_heading(result), "", "Lønloftet, del for del:"]
    for _, label, amount, provision in breakdown_rows(result):
        lines.append(f"  {amount:>18}  {label}  ({provision})")
    if result.corrected_ceiling is not None:
        lines.append(f"  Uden overarbejde og nedsættelse for nedsat arbejdsevne: {kr(result.corrected_ceiling)}")
    lines.append("")
    counts = {s: sum(f.severity == s for f in result.findings) for s in ("error", "warning", "info")}
    warnings = "advarsel" if counts["warning"] == 1 else "advarsler"
    infos = "oplysning" if counts["info"] == 1 else "oplysninger"
    lines.append(f"Tjek den {date_da(result.as_of)}: {counts['error']} fejl, {counts['warning']} {warnings}, "
                 f"{counts['info']} {infos}. Intet af det stopper noget. Arbejdsgiveren beslutter.")
    for finding in result.findings:
        lines += finding_lines(finding)
    if result.not_checked:
        lines.append("Ikke tjekket, fordi vi mangler tal om medarbejderen: "
                     + "; ".join(TITLES[code][0] for code in result.not_checked) + ".")
    lines.append("")
    lines += effect_lines(result)
    return lines


# --------------------------------------------------------------------------------------------------
# Printable summary with a signature line
# --------------------------------------------------------------------------------------------------

def summary_markdown(result: CheckResult) -> str:
    """A printable summary in Markdown with a signature line."""
    e = _escape_md
    out = [f"# {e(_heading(result)[0])}", ""]
    for line in _heading(result)[1:]:
        out += [e(line), ""]
    out += ["| Del | Beløb pr. måned | Regel |", "|---|---:|---|"]
    for kind, label, amount, provision in breakdown_rows(result):
        strong = "**" if kind == "total" else ""
        out.append(f"| {strong}{e(label)}{strong} | {strong}{e(amount)}{strong} | {e(provision)} |")
    out.append("")
    if result.corrected_ceiling is not None:
        out += [f"Uden overarbejde og nedsættelse for nedsat arbejdsevne: **{e(kr(result.corrected_ceiling))}**", ""]
    out += ["## Tjek", ""]
    if not result.findings:
        out.append("Ingen bemærkninger.")
    for finding in result.findings:
        title_da, _ = TITLES[finding.code]
        out += [f"- **{SEVERITY_DA[finding.severity]}: {e(title_da)}**. {e(finding.message_da)} "
                f"*Gør:* {e(finding.action_da)}"]
    out += ["", "## Betydning for medarbejderen", ""]
    for line in effect_lines(result)[1:] if result.effect else effect_lines(result):
        out += [e(line.strip()), ""]
    out += ["", "## Erklæring", "", e(DECLARATION_DA), "",
            "Dato: ______________________", "",
            "Underskrift: __________________________________________", "",
            "Navn og stilling (blokbogstaver): ______________________________", "",
            f"*Udskrevet fra flexcalc den {e(date_da(result.as_of))}. Lønloft pr. måned: {e(kr(result.ceiling))}, "
            f"gælder fra {e(date_da(result.form.effective_date))}.*", ""]
    return "\n".join(out)


def _escape_md(text: str) -> str:
    for char in "\\|*_`<>[]#":
        text = text.replace(char, "\\" + char)
    return text


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; color: #111; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
td, th { border-bottom: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.amount { text-align: right; white-space: nowrap; }
td.provision { color: #555; font-size: .85em; }
tr.total td { font-weight: bold; border-top: 2px solid #111; }
tr.info td { color: #555; }
.error { color: #a00; } .warning { color: #8a5a00; } .info { color: #05507a; }
.signature { margin-top: 3rem; } .signature p { margin: 2.2rem 0 0; }
@media print { body { margin: 0; } button { display: none; } }
"""


def summary_html(result: CheckResult) -> str:
    """A printable, self-contained HTML summary with the breakdown, the findings, the effect for the employee
    and a signature line. Every text from the form is escaped."""
    h = html.escape
    heading = _heading(result)
    rows = []
    for kind, label, amount, provision in breakdown_rows(result):
        total = f' class="{kind}"'
        rows.append(f"<tr{total}><td>{h(label)}</td><td class=\"amount\">{h(amount)}</td>"
                    f"<td class=\"provision\">{h(provision)}</td></tr>")
    findings = []
    for finding in result.findings:
        title_da, _ = TITLES[finding.code]
        findings.append(f"<li class=\"{h(finding.severity)}\"><strong>{h(SEVERITY_DA[finding.severity])}: "
                        f"{h(title_da)}</strong><br>{h(finding.message_da)}<br><em>Gør:</em> {h(finding.action_da)}"
                        "</li>")
    effect = effect_lines(result)
    effect_html = "".join(f"<p>{h(line.strip())}</p>" for line in (effect[1:] if result.effect else effect))
    corrected = (f"<p>Uden overarbejde og nedsættelse for nedsat arbejdsevne: <strong>"
                 f"{h(kr(result.corrected_ceiling))}</strong></p>" if result.corrected_ceiling is not None else "")
    return f"""<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><title>{h(heading[0])}</title><style>{_CSS}</style></head>
<body>
<h1>{h(heading[0])}</h1>
{''.join(f'<p>{h(line)}</p>' for line in heading[1:])}
<table>
<thead><tr><th>Del</th><th>Beløb pr. måned</th><th>Regel</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
{corrected}
<h2>Tjek</h2>
{'<ul>' + ''.join(findings) + '</ul>' if findings else '<p>Ingen bemærkninger.</p>'}
<h2>Betydning for medarbejderen</h2>
{effect_html}
<h2>Erklæring</h2>
<p>{h(DECLARATION_DA)}</p>
<div class="signature">
<p>Dato: ______________________</p>
<p>Underskrift: __________________________________________</p>
<p>Navn og stilling (blokbogstaver): ______________________________</p>
</div>
<p><small>Udskrevet fra flexcalc den {h(date_da(result.as_of))}. Lønloft pr. måned: {h(kr(result.ceiling))},
gælder fra {h(date_da(result.form.effective_date))}.</small></p>
</body>
</html>
"""
