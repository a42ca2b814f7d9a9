"""The worklist's labels in plain Danish: each kind's legal term stands beside a plain-language sentence, and
the plain text is at most LIX 35 (the repo's LIX helper, tests/letters/support.py). The figures are printed."""

from __future__ import annotations

from flexcalc.ledger.worklist import KINDS
from flexcalc.text_da.worklist import KIND_LABELS_DA, KIND_PLAIN_DA
from tests.letters.support import LIX_TARGET, lix


def test_every_kind_has_a_plain_sentence_beside_its_term_at_most_lix_35() -> None:
    assert set(KIND_PLAIN_DA) == set(KINDS) == set(KIND_LABELS_DA)
    figures = {kind: lix(KIND_PLAIN_DA[kind]) for kind in KINDS}
    print("LIX of the plain worklist texts: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    whole = lix(" ".join(KIND_PLAIN_DA[k] for k in KINDS))
    print(f"LIX of all of them together: {whole:.1f}")
    assert all(value <= LIX_TARGET for value in figures.values()), figures
    assert whole <= LIX_TARGET
    # the terms' own LIX, for the record: short labels, but legal words; the plain text is why they may stay
    terms = lix(". ".join(KIND_LABELS_DA[k] for k in KINDS) + ".")
    print(f"LIX of the legal terms (kind labels) together: {terms:.1f}")
