"""The Danish labels of the month's trace steps, written once (issue 11 items 6 and 11).

The month pipeline (``flexcalc.month.pipeline``) computes facts and asks this module for the label
of each step. Labels that name a rate take it from the parameters of the month ("Eget ATP-bidrag
(5 %, højst 500 kr.)" is built from ``atp_own_share_rate`` and ``atp_own_share_cap``), so a new rate
changes the text with it. The labels of a month with today's rates read exactly as before.
Every function is cached: the plain path builds its labels once per set of rates.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from flexcalc.format import month_name as _month_name
from flexcalc.format import number, percent
from flexcalc.period import Month

TIMING = "Tilskuddet beregnes bagud på lønnen i basismåneden"
WAGE_INCOME = "Lønindtægt i basismåneden inkl. pension"
MAX_SUBSIDY = "Maksimalt fleksløntilskud (98 % af højeste dagpengesats)"
FLOOR_AT_ZERO = "Tilskuddet kan ikke blive negativt"
ROUNDING = "Afrunding til hele øre"
SUBSIDY_BEFORE_CEILING = "Tilskud før lønloftet"
CEILING = "Lønloft: løn og tilskud tilsammen højst fuldtidslønnen"
SUBSIDY = "Fleksløntilskud"
PAYOUT = "Udbetaling før skat"
NO_FLEKSJOB_WAGE = ("Ingen løn fra fleksjobbet i måneden før. Uden løn er der intet tilskud. "
                    "Løn fra et andet job giver ikke tilskud.")
BONUS_SPREAD_OUT = "Bonus fordelt på de måneder, den dækker, tælles ikke i denne måned"
FERIEKONTO_EARNED = "Feriegodtgørelse til FerieKonto trækkes ud af lønnen, når den optjenes"
FERIEKONTO = "Feriegodtgørelse fra FerieKonto, omregnet til brutto, for de holdte feriedage"
CEILING_CHANGES = "Lønloftet ændret i basismåneden: vægtet med kalenderdage"
CEILING_EMPLOYMENT_SHARE = "Lønloftet for de ansatte kalenderdage"
CEILING_RAISE = "Lønloftet hæves i den måned, særlige betalinger udbetales"
SICKNESS_BENEFIT = "Syge- eller barselsdagpenge fradrages fuldt (tilsammen 98 % af højeste dagpengesats)"
SICKNESS_ENTITLED = ("Dagpenge ved sygdom eller barsel, som du havde ret til, trækkes fra. Det gælder også, "
                     "hvis du ikke søgte dem.")
RESOURCE_BENEFIT = "Du fik ressourceforløbsydelse. Den trækkes fra krone for krone."
ATP_STATE_NONE = "Kommunens ATP-bidrag: intet, da der ikke er tilskud"

EXCEPTION_TEXT = {
    "unpaid_absence": "sygdom eller barsel uden løn",
    "resource_benefit": "ressourceforløbsydelse",
    "feriekonto": "ferie betalt fra FerieKonto",
    "employer_holiday_pay": "ferie med løn fra arbejdsgiveren",
    "tabt_arbejdsfortjeneste": "tabt arbejdsfortjeneste",
    "plejevederlag": "plejevederlag",
}


@lru_cache(maxsize=256)
def month_name(month: Month) -> str:
    """``flexcalc.format.month_name``, remembered (Babel is slow, the months few)."""
    return _month_name(month)


@lru_cache(maxsize=512)
def days(count: Decimal | int) -> str:
    """A count of days in Danish writing (decimal comma): 21.6667 → 21,6667; 10 → 10."""
    value = Decimal(count).normalize()
    exponent = value.as_tuple().exponent
    return number(value, decimals=max(0, -exponent) if isinstance(exponent, int) else 0)


@lru_cache(maxsize=64)
def _rate(rate: Decimal) -> str:
    return percent(rate)


@lru_cache(maxsize=64)
def _whole(amount: Decimal) -> str:
    return number(amount, decimals=0) if amount == amount.to_integral_value() else number(amount)


@lru_cache(maxsize=64)
def reduction_low(rate: Decimal) -> str:
    return f"Nedsættelse med {_rate(rate)} af lønindtægten op til grænsen"


@lru_cache(maxsize=64)
def reduction_high(rate: Decimal) -> str:
    return f"Nedsættelse med {_rate(rate)} af lønindtægten over grænsen"


@lru_cache(maxsize=64)
def atp_own(rate: Decimal, cap: Decimal) -> str:
    return f"Eget ATP-bidrag ({_rate(rate)}, højst {_whole(cap)} kr.) trækkes fra"


@lru_cache(maxsize=64)
def atp_state_full(min_paid_hours: Decimal) -> str:
    return f"Kommunens ATP-bidrag: fuldt bidrag (under {_whole(min_paid_hours)} løntimer om måneden)"


@lru_cache(maxsize=64)
def atp_state_hours(full_time_hours_week: Decimal) -> str:
    return f"Kommunens ATP-bidrag for timer med tilskud ({_whole(full_time_hours_week)} timer om ugen minus løntimer)"


def fleksjob_wage_exception(exceptions: tuple[str, ...]) -> str:
    named = " og ".join(EXCEPTION_TEXT[key] for key in exceptions)
    return f"Ingen løn fra jobbet i måneden før. Men der er tilskud på grund af {named}."


def regulation(month: Month, basis: Month) -> str:
    return (f"Efterregulering efter ferie med ledighedsydelse: lønnen i {month_name(month)} bruges i "
            f"stedet for lønnen i {month_name(basis)}")


def income_counted(label: str) -> str:
    return f"{label} indgår som lønindtægt"


def income_not_counted(label: str, why_not: str) -> str:
    return f"{label}: {why_not.lower()}"


def employment_share(employed: int, days_in_month: int, basis: Month) -> str:
    return (f"Ansat {employed} af {days_in_month} dage i {month_name(basis)}: tilskud kun for de ansatte "
            "kalenderdage")


def holiday_basis(basis: Month, holiday_days: int) -> str:
    return (f"Ferie med løn eller feriegodtgørelse i {month_name(basis)} ({holiday_days} arbejdsdage): tilskuddet "
            "fortsætter på lønnen")


def paid_absence(days_paid: int) -> str:
    return f"Løn under sygdom eller barsel i {days_paid} arbejdsdage indgår som løn"


def absence_days(unpaid_days: int, days_per_month: Decimal) -> str:
    return (f"Syge- eller barselsdagpenge i {unpaid_days} af {days(days_per_month)} dage: grænsen for lønnen "
            "gælder for resten af måneden")


def holiday_days(month: Month, paid: Decimal, ly: Decimal, total: Decimal, limit: Decimal) -> str:
    return (f"Ferie i {month_name(month)}: {days(paid)} dage med løn/feriegodtgørelse og {days(ly)} med "
            f"ledighedsydelse; i alt {days(total)} dage i ferieåret (højst {limit} med ledighedsydelse)")


def ledighedsydelse_days(ly: Decimal, days_per_month: Decimal) -> str:
    return (f"Intet tilskud for {days(ly)} feriedage med ledighedsydelse (forholdsmæssigt af "
            f"{days(days_per_month)} dage)")


def regulation_due(basis: Month, month: Month) -> str:
    return (f"Ferie med ledighedsydelse i {month_name(basis)}: tilskuddet skal efterreguleres på den reelle løn i "
            f"{month_name(month)}")


def absence_next_month(month: Month, later: int) -> str:
    return f"Sygdom eller barsel i {month_name(month)} ({later} arbejdsdage) indgår i næste måneds tilskud"
