"""The batch path: the monthly calculation for a whole population at once, exactly.

``kernel``   the exact vectorised kernel over int64 øre (tested row by row against ``calculate_month``)
``io``       reading people from Parquet/CSV into øre arrays with clear errors; writing the results
``run``      a file-to-file run in chunks, with a summary (used by ``flexcalc batch``)
``scaleout`` the same run as a Dask map over the partitions of a Parquet dataset
"""

from flexcalc.batch.kernel import BatchResult, KernelRates, compute_month

__all__ = ["BatchResult", "KernelRates", "compute_month"]
