"""The Danish sentences of a reform comparison (the analyst page and the CLI): built from its facts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flexcalc.format import kr, number


def _count(n: int) -> str:
    return number(Decimal(n), decimals=0)


def _pct(share: str | None) -> str:
    return "–" if share is None else number(Decimal(share) * 100, decimals=1) + " %"


def cost_sentence_da(result: dict[str, Any]) -> str:
    """"Reformen koster 12.345 kr. mere om måneden. Udgiften er … i dag og … med reformen."."""
    diff = Decimal(result["difference"])
    before, after = Decimal(result["cost_before"]), Decimal(result["cost_after"])
    if diff == 0:
        return f"Reformen ændrer ikke udgiften. Den er {kr(before, decimals=0)} om måneden som i dag."
    change = (f"Reformen koster {kr(diff, decimals=0)} mere om måneden." if diff > 0
              else f"Reformen sparer {kr(-diff, decimals=0)} om måneden.")
    return f"{change} Udgiften er {kr(before, decimals=0)} i dag og {kr(after, decimals=0)} med reformen."


def winners_sentence_da(result: dict[str, Any]) -> str:
    return (f"Af {_count(result['people'])} personer får {_count(result['winners'])} mere, "
            f"{_count(result['losers'])} får mindre, og {_count(result['unchanged'])} får det samme.")


def band_sentence_da(result: dict[str, Any]) -> str:
    """The hour band with most losers (or winners, when nobody loses)."""
    rows = result["by_hour_band"]
    key = "losers" if result["losers"] else "winners"
    top = max(rows, key=lambda row: row[key])
    if top[key] == 0:
        return "Ingen timegruppe får mere eller mindre."
    word = "tabere" if key == "losers" else "vindere"
    return (f"Flest {word} er der blandt dem, der arbejder {top['group']} timer om ugen: "
            f"{_count(top[key])} af {_count(top['people'])}.")


def keep_sentence_da(result: dict[str, Any]) -> str:
    more = result["one_more_hour"]
    return (f"Af lønnen for én time mere om ugen beholder man i gennemsnit {_pct(more['keep_share_before'])} i dag "
            f"og {_pct(more['keep_share_after'])} med reformen. {_count(more['no_gain_before'])} personer får intet "
            f"ud af en time mere i dag, {_count(more['no_gain_after'])} med reformen.")


def curve_sentence_da(hours: int, gain_today: Decimal | None, gain_reform: Decimal | None) -> str:
    """What one more hour gives the typical person at ``hours``, today and with the reform."""
    if gain_today is None or gain_reform is None:
        return f"Ved {hours} timer om ugen er man på fuld tid."
    return (f"Går personen fra {hours} til {hours + 1} timer om ugen, stiger indkomsten med "
            f"{kr(gain_today, decimals=0)} i dag og med {kr(gain_reform, decimals=0)} med reformen.")
