"""The check of the municipality's calculation ("Tjek kommunens beregning").

A citizen, or the adviser helping them, enters what the municipality's specification says it paid and
used, and the payslips or the right wage and lønloft; ``check_calculation`` computes each month right
with the month pipeline, gives the difference (right − paid) and finds its causes by swapping the
municipality's inputs in one at a time (``flexcalc.check.compute``). ``flexcalc.check.request`` drafts the
request to the municipality (reopening or complaint) with the computations attached. Nothing here writes
to a ledger: a check is a file the person or the adviser keeps.
"""

from flexcalc.check.compute import Cause, CheckResult, MonthCheck, check_calculation
from flexcalc.check.model import CheckFile, CheckFileError, CheckMonth, Payslip, dump_check, load_check, validate_check

__all__ = ["Cause", "CheckFile", "CheckFileError", "CheckMonth", "CheckResult", "MonthCheck", "Payslip",
           "check_calculation", "dump_check", "load_check", "validate_check"]
