"""The worklist's Danish labels (``flexcalc.text_da.worklist``) name every kind the worklist knows, in its
order, so the caseworker page's filter offers each kind once and the API's ``kind_da`` never misses one."""

from __future__ import annotations

from flexcalc.ledger.worklist import KINDS
from flexcalc.text_da.worklist import KIND_LABELS_DA


def test_every_kind_has_its_label_in_the_worklists_order() -> None:
    assert tuple(KIND_LABELS_DA) == KINDS
    assert KIND_LABELS_DA["held_month"] == "Afventer indberetning"
    assert all(label and label[0].isupper() for label in KIND_LABELS_DA.values())
