"""Who the refund ladder applies to (the cohorts of § 30).

Lov om kommunernes finansiering … (LBK 221/2021) § 30:
- stk. 1: weeks with benefits or self-support count from 1 July 2014;
- stk. 2: §§ 5–7 apply to fleksløntilskud paid to people visiteret to fleksjob on 1 July 2014 or later;
- stk. 3: for people visiteret from 1 January 2013 to 30 June 2014 they apply from the time the
  person, on 1 July 2014 or later, starts a fleksjob (STAR 5.58.81 adds: is re-visiteret to a
  fleksjob with the same employer, or gets a new offer as self-employed).
People visiteret before 1 January 2013 are on the old scheme (LAB § 133: the employer gets a wage
subsidy, not fleksløntilskud), which flexcalc does not compute.

The visitation date and the job's start date are kept apart on purpose: a new fleksjob never moves a
person back on the ladder (the weeks are the person's, § 3), and changing the visitation date to the
job start is the error an audit found putting people on the wrong step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flexcalc.errors import InputError

REFORM_2013 = dt.date(2013, 1, 1)
LADDER_COHORT = dt.date(2014, 7, 1)
COUNT_FROM = LADDER_COHORT
PROVISION = "Lov om kommunernes finansiering … § 30, stk. 1–3"


@dataclass(frozen=True, slots=True)
class Cohort:
    on_ladder: bool
    reason_en: str
    reason_da: str
    provision: str = PROVISION


def cohort_of(visitation_date: dt.date | None, job_start: dt.date | None, day: dt.date) -> Cohort:
    """Whether the ladder applies on ``day`` to a person visiteret on ``visitation_date`` whose
    fleksjob (or latest re-visitation to it) started on ``job_start``."""
    if visitation_date is None:
        return Cohort(True, "visitation date not given: taken as 1 July 2014 or later (§ 30 stk. 2)",
                      "visitationsdato ikke oplyst: regnet som 1. juli 2014 eller senere (§ 30, stk. 2)")
    if job_start is not None and job_start < visitation_date:
        raise InputError("job_start", "must not be before the visitation date",
                         "må ikke ligge før visitationsdatoen")
    if visitation_date < REFORM_2013:
        raise InputError("visitation_date", "visiteret before 1 January 2013: the old fleksjob scheme (LAB § 133), "
                         "which has no fleksløntilskud", "visiteret før 1. januar 2013: den gamle fleksjobordning "
                         "(LAB § 133), som ikke har fleksløntilskud", code="old_scheme")
    if visitation_date >= LADDER_COHORT:
        return Cohort(True, "visiteret on 1 July 2014 or later (§ 30 stk. 2)",
                      "visiteret 1. juli 2014 eller senere (§ 30, stk. 2)")
    if job_start is not None and job_start >= LADDER_COHORT and day >= job_start:
        return Cohort(True, "visiteret 2013–30 June 2014 and in a fleksjob started on 1 July 2014 or later "
                      "(§ 30 stk. 3)", "visiteret 2013–30. juni 2014 og i et fleksjob startet 1. juli 2014 "
                      "eller senere (§ 30, stk. 3)")
    return Cohort(False, "visiteret 2013–30 June 2014 and no fleksjob started on 1 July 2014 or later: the "
                  "previous refund rules (§ 30 stk. 3)", "visiteret 2013–30. juni 2014 uden fleksjob startet "
                  "1. juli 2014 eller senere: de hidtidige refusionsregler (§ 30, stk. 3)")


def cohort_from_history(visitation_date: dt.date | None, job_starts: list[dt.date], day: dt.date) -> Cohort | None:
    """The cohort on ``day`` from a case's refund history, or ``None`` when it cannot be established.

    - With a visitation date: ``cohort_of`` with the fleksjob start that decides § 30 stk. 3 — the first one
      on 1 July 2014 or later (up to ``day``), else the latest before it; starts before the visitation are
      not fleksjob starts and are left out.
    - Without one: a fleksjob started on 1 July 2014 or later (up to ``day``) puts the person on the ladder
      whichever the visitation date was (fleksløntilskud presupposes visitation from 2013: stk. 2 or stk. 3);
      otherwise the cohort is not established and no refund is computed (never guessed)."""
    if visitation_date is not None:
        starts = [s for s in job_starts if visitation_date <= s <= day]
        later = [s for s in starts if s >= LADDER_COHORT]
        job_start = later[0] if later else (starts[-1] if starts else None)
        return cohort_of(visitation_date, job_start, day)
    if any(LADDER_COHORT <= s <= day for s in job_starts):
        return Cohort(True, "visitation date not recorded; a fleksjob started on 1 July 2014 or later, so the "
                      "ladder applies (§ 30 stk. 2 or 3)", "visitationsdato ikke registreret; et fleksjob startede "
                      "1. juli 2014 eller senere, så trappen gælder (§ 30, stk. 2 eller 3)")
    return None
