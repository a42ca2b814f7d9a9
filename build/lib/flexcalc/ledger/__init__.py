"""The case ledger: wage reports kept bitemporally, monthly payment runs, and the reconciliation of
late and corrected reports into corrections (efterregulering).

- ``models``: the tables (append-only reports, payments, corrections, decisions).
- ``reports``: a wage report as the income register gives it; reading and checking a CSV file.
- ``asof``: the subsidy of a benefit month knowing only the reports received up to an instant.
- ``store``: cases, ceilings, employments and report ingestion (all of a file or none of it).
- ``payments``: the monthly payment run, held months, provisional payments.
- ``reconcile``: recompute paid months against newer reports; record corrections.
- ``corrections``: the reasons, the explanation in words, the legal basis, and decisions.
"""
