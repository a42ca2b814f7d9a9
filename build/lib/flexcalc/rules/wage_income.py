"""Wage income W of the basis month.

LAB § 123, stk. 2: the subsidy is reduced by the wage income in the fleksjob and by other wage
income. BEK 227/2024 § 1, nr. 1–2: wage income is A- or B-income liable to AM-bidrag plus the whole
pension contribution (the employee's own and the employer's), including ferietillæg; nr. 3: profit
of side self-employment. From 2024 tabt arbejdsfortjeneste and plejevederlag count like wage.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.provisions import base

PROVISION = base("wage_income")


def wage_income(wage: Decimal, other_wage: Decimal, other_income: Decimal) -> Decimal:
    """W: the wage incl. pension from the fleksjob, from any other employer, and other counted income."""
    return wage + other_wage + other_income
