"""What-if reforms: a reform file (``spec``), today's parameters with its overrides (``parameters``),
the alternative rules in exact integer øre through the batch kernel (``rules``), a Decimal reference
(``reference``), the comparison over a population (``compare``), file and Dask runs (``run``) and the
hours curve of one person before and after (``curve``). See README, "Reforms"."""

from flexcalc.reforms.spec import EMPTY, Reform, load_reform, parse_reform, reform_from_text

__all__ = ["EMPTY", "Reform", "load_reform", "parse_reform", "reform_from_text"]
