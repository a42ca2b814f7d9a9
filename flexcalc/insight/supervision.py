"""Management supervision (ledelsestilsyn) of sampled cases.

A supervision draws a random sample of the cases active in a period with a recorded seed (the same seed and
the same cases give the same sample: ``draw_sample``), runs the checklist on each case from the ledger's own
facts (``CHECKS``; each names its provision), and stores the result of every check on every case and the
share of cases passing each check, append-only, so the shares can be followed across supervisions
(``supervision_trend``). The checks read the ledger through its read model only.

A check is ``pass``, ``fail`` or ``not_applicable`` (the case has nothing the check is about: no repayment
decision, no released month …). The share passing a check is counted over the cases it applies to.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.ledger.oversight import store_supervision
from flexcalc.ledger.read import insight as read
from flexcalc.period import Month

CHECKLIST_VERSION = "2026-12"
RECONCILE_DAYS = 30
"""The default time from a late report to the correction of the month it concerns (the municipality's own
standard: the issue leaves N open; 30 days is one payment cycle)."""
MAX_SAMPLE = 500
_SECTION = re.compile(r"§\s*\d+")


@dataclass(frozen=True)
class Check:
    id: str
    provision: str
    label_da: str
    run: Callable[[read.CaseRecord, int], tuple[str, str]]


def _hearing_before_repayment(case: read.CaseRecord, _days: int) -> tuple[str, str]:
    collects = [d for d in case.decisions if d.outcome == "collect"]
    if not collects:
        return "not_applicable", "Ingen afgørelse om at kræve penge tilbage."
    missing = []
    for d in collects:
        day = d.decided_at.astimezone(read.LOCAL_ZONE).date()
        heard = any(h.correction_id == d.correction_id and h.sent_on <= day for h in case.hearings)
        excepted = any(at <= d.decided_at for at in case.exceptions.get(d.correction_id, []))
        if not (heard or excepted):
            missing.append(str(d.correction_id))
    if missing:
        return "fail", f"Krav uden partshøring eller registreret undtagelse: efterregulering {', '.join(missing)}."
    return "pass", f"{len(collects)} afgørelse(r) om tilbagebetaling, alle efter partshøring eller med undtagelse."


def _decision_letter(case: read.CaseRecord, _days: int) -> tuple[str, str]:
    if not case.decisions:
        return "not_applicable", "Ingen afgørelse om tilbagebetaling."
    missing = []
    for d in case.decisions:
        ok = any(str(d.correction_id) in ids and sent and deadline is not None and _SECTION.search(text)
                 and "klage" in text.lower() for ids, text, deadline, sent in case.decision_letters)
        if not ok:
            missing.append(str(d.correction_id))
    if missing:
        return "fail", ("Intet sendt afgørelsesbrev med hjemmel og klagevejledning for efterregulering "
                        f"{', '.join(missing)}.")
    return "pass", f"{len(case.decisions)} afgørelse(r), alle med sendt brev med hjemmel og klagevejledning."


def _released_documented(case: read.CaseRecord, _days: int) -> tuple[str, str]:
    if not case.released:
        return "not_applicable", "Ingen frigivet måned."
    bad = [str(m) for m, doc, by in case.released if not (doc or "").strip() or not (by or "").strip()]
    if bad:
        return "fail", f"Frigivet uden dokumentation: {', '.join(bad)}."
    return "pass", f"{len(case.released)} frigivet måned(er), alle dokumenteret."


def _ceiling_form(case: read.CaseRecord, _days: int) -> tuple[str, str]:
    if not case.ceilings:
        return "not_applicable", "Intet lønloft registreret."
    bad = [str(m) for m, note in case.ceilings if not (note or "").strip()]
    if bad:
        return "fail", f"Lønloft uden henvisning til lønloftskema: {', '.join(bad)}."
    return "pass", f"{len(case.ceilings)} lønloft, alle med henvisning til skema."


def _events_documented(case: read.CaseRecord, _days: int) -> tuple[str, str]:
    if not case.events:
        return "not_applicable", "Ingen hændelser registreret."
    bad = sorted({str(m) for m, doc in case.events if not (doc or "").strip()})
    if bad:
        return "fail", f"Hændelser uden dokument: {', '.join(bad)}."
    return "pass", f"{len(case.events)} registrering(er), alle med dokument."


def _corrections_in_time(case: read.CaseRecord, days: int) -> tuple[str, str]:
    caused = [c for c in case.corrections if any(r in case.report_received for r in c.caused_by)]
    if not caused:
        return "not_applicable", "Ingen efterregulering efter en indberetning."
    slow = []
    for c in caused:
        received = max(case.report_received[r] for r in c.caused_by if r in case.report_received)
        if (c.created_at - received).days > days:
            slow.append(f"{c.benefit_month} ({(c.created_at - received).days} dage)")
    if slow:
        return "fail", f"Efterreguleret senere end {days} dage efter indberetningen: {', '.join(slow)}."
    return "pass", f"{len(caused)} efterregulering(er), alle inden for {days} dage."


def _claims_limitation(case: read.CaseRecord, _days: int) -> tuple[str, str]:
    if not case.claims:
        return "not_applicable", "Intet krav."
    bad = [c for c in case.claims if c.limitation_date < c.decided_on or c.status == "time_barred"]
    if bad:
        return "fail", f"{len(bad)} krav uden gyldig forældelsesdato eller forældet uden inddrivelse."
    return "pass", f"{len(case.claims)} krav, alle med forældelsesdato, ingen forældet."


CHECKS: tuple[Check, ...] = (
    Check("hearing_before_repayment", "Forvaltningsloven § 19 (partshøring)",
          "Partshøring før krav om tilbagebetaling", _hearing_before_repayment),
    Check("decision_letter", "Forvaltningsloven §§ 22, 24 og 25 (begrundelse, hjemmel og klagevejledning)",
          "Afgørelsesbrev med hjemmel og klagevejledning", _decision_letter),
    Check("released_documented", "Offentlighedsloven § 13 (notatpligt); BEK nr. 227 af 2024 § 14",
          "Frigivne måneder er dokumenteret", _released_documented),
    Check("ceiling_form", "LAB § 123, stk. 3 (lønloft); kommunens lønloftskema",
          "Lønloftet er dokumenteret med skema", _ceiling_form),
    Check("events_documented", "Offentlighedsloven § 13 (notatpligt)",
          "Hændelser er dokumenteret", _events_documented),
    Check("corrections_in_time", "Ankestyrelsens principmeddelelse 48-22 (efterregulering)",
          "Efterregulering kort efter den sene indberetning", _corrections_in_time),
    Check("claims_limitation", "Forældelsesloven §§ 3 og 19",
          "Krav har forældelsesdato og forældes ikke", _claims_limitation),
)
CHECK_IDS = tuple(c.id for c in CHECKS)


def draw_sample(population: list[str], size: int, seed: int) -> list[str]:
    """``size`` cases of ``population`` (all of them if fewer) drawn with ``seed``, sorted: the same seed and
    the same population give the same sample."""
    ordered = sorted(population)
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def check_case(case: read.CaseRecord, days: int) -> list[tuple[str, str, str]]:
    """(check id, result, detail) of every check on ``case``."""
    return [(c.id, *c.run(case, days)) for c in CHECKS]


def shares(results: list[tuple[str, str, str, str]]) -> dict[str, dict[str, Any]]:
    """Per check: cases passing, failing, applicable, and the share passing ("0.75"; ``None`` if none apply)."""
    out: dict[str, dict[str, Any]] = {}
    for check in CHECK_IDS:
        rows = [r for _, k, r, _ in results if k == check]
        passing, failing = rows.count("pass"), rows.count("fail")
        applicable = passing + failing
        out[check] = {"pass": passing, "fail": failing, "not_applicable": rows.count("not_applicable"),
                      "share_passing": None if not applicable else f"{passing / applicable:.4f}"}
    return out


def _period(start: dt.date | str, end: dt.date | str) -> tuple[dt.date, dt.date]:
    from flexcalc.parsing.inputs import parse_date

    first, last = parse_date(start, "period_start"), parse_date(end, "period_end")
    if last < first:
        raise InputError("period_end", "is before period_start", "er før period_start", code="period")
    return first, last


def run_supervision(factory: Callable[[], Session], start: dt.date | str, end: dt.date | str, size: int, by: str,
                    *, seed: int | None = None, reconcile_days: int = RECONCILE_DAYS,
                    as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Draw the sample of the period, check each case, store it all; the supervision as ``supervision_dict``."""
    from flexcalc.ledger.store import transaction

    first, last = _period(start, end)
    if not 1 <= size <= MAX_SAMPLE:
        raise InputError("size", f"must be 1 to {MAX_SAMPLE}", f"skal være 1 til {MAX_SAMPLE}", code="size")
    if not 0 <= reconcile_days <= 365:
        raise InputError("reconcile_days", "must be 0 to 365", "skal være 0 til 365", code="days")
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif not 0 <= seed < 2**31:
        raise InputError("seed", "must be 0 to 2147483647", "skal være 0 til 2147483647", code="seed")
    at = as_of or dt.datetime.now(dt.UTC)
    with factory() as session:
        population = read.cases_active(session, Month.of(first), Month.of(last))
        sample = draw_sample(population, size, seed)
        records = read.case_records(session, sample, at)
    results = [(case_id, check, result, detail) for case_id in sample
               for check, result, detail in check_case(records[case_id], reconcile_days)]
    with transaction(factory) as session:
        run_id = store_supervision(session, period_start=first, period_end=last, seed=seed, size=size,
                                   population=len(population), reconcile_days=reconcile_days,
                                   checklist=CHECKLIST_VERSION, by=by, results=results, at=at)
    with factory() as session:
        return supervision_dict(read.supervision_runs(session, run_id)[0])


def supervision_dict(run: read.StoredRun) -> dict[str, Any]:
    cases: dict[str, dict[str, Any]] = {}
    for case_id, check, result, detail in run.results:
        cases.setdefault(case_id, {"case_id": case_id, "checks": []})["checks"].append(
            {"check": check, "result": result, "detail_da": detail})
    for c in cases.values():
        c["passed"] = all(x["result"] != "fail" for x in c["checks"])
    return {"id": run.run_id, "period_start": run.period_start.isoformat(), "period_end": run.period_end.isoformat(),
            "seed": run.seed, "size": run.size, "population": run.population, "sampled": len(cases),
            "reconcile_days": run.reconcile_days, "checklist": run.checklist, "by": run.drawn_by,
            "drawn_at": run.drawn_at.isoformat(),
            "checks": [{"check": c.id, "provision": c.provision, "label_da": c.label_da} for c in CHECKS],
            "shares": shares(run.results), "cases_passing": sum(c["passed"] for c in cases.values()),
            "cases": list(cases.values())}


def get_supervision(factory: Callable[[], Session], run_id: int) -> dict[str, Any]:
    from flexcalc.errors import NotFoundError

    with factory() as session:
        runs = read.supervision_runs(session, run_id)
    if not runs:
        raise NotFoundError("supervision", f"no supervision {run_id}", f"intet tilsyn {run_id}",
                            code="unknown_supervision")
    return supervision_dict(runs[0])


def supervision_trend(factory: Callable[[], Session]) -> list[dict[str, Any]]:
    """Every supervision's period, seed, sample size and shares passing each check, oldest first."""
    with factory() as session:
        runs = read.supervision_runs(session)
    return [{"id": r.run_id, "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
             "seed": r.seed, "sampled": len({c for c, _, _, _ in r.results}), "drawn_at": r.drawn_at.isoformat(),
             "shares": {k: v["share_passing"] for k, v in shares(r.results).items()}} for r in runs]
