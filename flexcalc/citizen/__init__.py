"""What the citizen is shown: hour scenarios, the month-to-month change, one extra hour, the year
ahead, the after-tax estimate and the month told step by step. Each calls the month pipeline; no rule
is repeated here."""
