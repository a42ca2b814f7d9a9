"""Real formats out of flexcalc: Digital Post messages (MeMo), the payment file and the income report."""
