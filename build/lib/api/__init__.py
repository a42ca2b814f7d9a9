"""The flexcalc HTTP API (FastAPI). It asks the core; it never repeats a rule."""
