"""``flexcalc corrections release ID``: pay a correction's open back payment (efterbetaling) at once.

Acts on the version of the correction's worklist item (``--expect-version``, as every write on an item);
audited with the write; bad input or nothing to release exits 2 naming the field, nothing stored.
"""

from __future__ import annotations

from typing import Annotated

import typer

from flexcalc.cli.cli_audit import audit_write
from flexcalc.cli.common import print_json
from flexcalc.cli.item_version import ExpectVersionOption
from flexcalc.cli.ledger import DbOption, _ledger, corrections_app
from flexcalc.text_da.format import kr, month_name


@corrections_app.command("release")
def corrections_release(
    correction: Annotated[int, typer.Argument(help="The correction's id (flexcalc corrections list).")],
    by: Annotated[str, typer.Option("--by", help="Who releases the back payment.")],
    expect_version: ExpectVersionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the line as JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Pay the open back payment (efterbetaling) of the correction's month now, not with the next payment."""
    from decimal import Decimal

    from flexcalc.cli.item_version import correction_write
    from flexcalc.ledger.release import release_back_payment

    with correction_write(_ledger(db), correction, expect_version) as (session, case_id, benefit_month):
        line = release_back_payment(session, case_id, correction, by)
        audit_write(session, f"corrections release {correction}", case_id=case_id, by=by)
    if as_json:
        print_json(line)
        return
    typer.echo(f"efterbetaling frigivet: {kr(Decimal(line['amount']))} for {month_name(benefit_month)} "
               f"(sag {case_id}, efterregulering #{correction}, {line['released_by']})")
