"""A case's refund history as the finance staff see it (CLI ``flexcalc finance history show CASE``,
API ``GET /v1/finance/history/{case_id}``): every period with its source, the visitation date, the fleksjob
starts, counts taken over, and the stored rows (with ids, for a retraction) — and, for the month after
the last one paid, the weeks counted before it and the step it starts on (LBK 221/2021 §§ 3, 5, 6, 30)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from flexcalc.errors import NotFoundError
from flexcalc.ledger.refund_history import history_rows, known_cases, refund_histories
from flexcalc.period import Month

from .ladder import step_of_week
from .report import place_from_history


def case_history(session: Session, case_id: str) -> dict[str, Any]:
    if case_id not in known_cases(session, [case_id]):
        raise NotFoundError("case", f"the case '{case_id}' does not exist", f"sagen '{case_id}' findes ikke",
                         code="unknown_case")
    history = refund_histories(session, [case_id])[case_id]
    paid = [Month.of(p.start) for p in history.periods if p.source.startswith("paid month")]
    data: dict[str, Any] = {
        "case_id": case_id,
        "visitation_date": history.visitation_date.isoformat() if history.visitation_date else None,
        "visitation_source": history.visitation_source or None,
        "job_starts": [{"date": d.isoformat(), "source": s} for d, s in history.job_starts],
        "counted_weeks": [{"before_week_of": d.isoformat(), "weeks": n, "source": s}
                          for d, n, s in history.counted_weeks],
        "periods": [{"kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat(), "benefit": p.benefit,
                     "source": p.source} for p in history.periods],
        "stored_rows": [{"id": r.id, "kind": r.kind, "start": r.start and r.start.isoformat(),
                         "end": r.end and r.end.isoformat(), "weeks": r.weeks, "benefit": r.benefit,
                         "source": r.source, "retracts": r.retracts, "known_at": r.known_at.isoformat(),
                         "recorded_by": r.recorded_by} for r in history_rows(session, case_id)],
        "next_month": None,
    }
    if paid:
        month = max(paid).next()
        place = place_from_history(history, month)
        data["next_month"] = {
            "month": str(month), "on_ladder": bool(place.cohort and place.cohort.on_ladder),
            "cohort": place.cohort.reason_en if place.cohort else None, "weeks_before": place.weeks_before,
            "first_step": step_of_week(place.weeks_before + 1).number if place.weeks_before is not None else None}
    return data
