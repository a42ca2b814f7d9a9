"""One benefit month: the input, the pipeline of named stages, the result and its trace.

``input`` (``MonthInput``), ``result`` (``MonthResult``, ``EventMonthResult``), ``pipeline`` (the
stages in the law's order and ``calculate_month``), ``steps`` (the trace keys, written once). The
Danish labels are in ``flexcalc.text_da.month``.
"""

from flexcalc.month.input import MonthInput
from flexcalc.month.pipeline import STAGES, calculate_month, run_pipeline
from flexcalc.month.result import EventMonthResult, MonthResult

__all__ = ["STAGES", "EventMonthResult", "MonthInput", "MonthResult", "calculate_month", "run_pipeline"]
