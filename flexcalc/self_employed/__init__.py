"""The self-employed in fleksjob: the annual subsidy of LAB § 126 and BEK 233/2024 § 8, paid monthly and
settled on the tax assessment. Rules only: no storage, HTTP or CLI (the ledger's part is
``flexcalc.ledger.self_employed``)."""

from .calculation import (
    SettlementResult,
    YearResult,
    calculate_year,
    monthly_amounts,
    settle_year,
)
from .parameters import self_employed_parameters

__all__ = ["SettlementResult", "YearResult", "calculate_year", "monthly_amounts", "self_employed_parameters",
           "settle_year"]
