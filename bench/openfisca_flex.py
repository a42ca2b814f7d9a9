"""The fleksløntilskud formula written in OpenFisca, for the benchmark only (never used by flexcalc).

Run by bench/bench_batch.py with a Python that has ``openfisca-core`` and ``pyarrow``
(``--openfisca-python``), in its own process:

    python bench/openfisca_flex.py PEOPLE.parquet RATES.json OUT.npz REPEAT

It writes the subsidy and payout of every person (as OpenFisca stores them: float32) and the times;
the benchmark compares them with the exact kernel. The formula is the one of LAB § 123 as an OpenFisca
country package would write it: variables per person per month, parameters by date, ``np.round`` for
the roundings (to øre for the subsidy, to whole kroner for the ATP share).
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pyarrow.parquet as pq
from openfisca_core.entities import build_entity
from openfisca_core.model_api import max_, min_
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import MONTH
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Person = build_entity(key="person", plural="persons", label="Person", is_person=True)


class wage_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Lønindtægt i basismåneden inkl. pension (alle arbejdsgivere og anden indtægt)"


class ceiling(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Lønloft"


class reduction(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    reference = "LAB § 123, stk. 2"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).flex
        w = person("wage_income", period)
        return p.reduction_rate_low * min_(w, p.threshold) + p.reduction_rate_high * max_(w - p.threshold, 0)


class subsidy_before_ceiling(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    reference = "LAB § 123, stk. 1-2"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).flex
        return np.round(max_(p.max_subsidy - person("reduction", period), 0), 2)


class subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    reference = "LAB § 123, stk. 3"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        room = person("ceiling", period) - person("wage_income", period)
        return max_(min_(person("subsidy_before_ceiling", period), room), 0)


class atp_own(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    reference = "LAB § 137; BEK 1344/2015 § 2"

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).flex
        return np.round(min_(p.atp_own_share_rate * person("subsidy", period), p.atp_own_share_cap))


class payout(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        return person("subsidy", period) - person("atp_own", period)


def system(rates: dict[str, str], start: str) -> TaxBenefitSystem:
    tbs = TaxBenefitSystem([Person])
    for variable in (wage_income, ceiling, reduction, subsidy_before_ceiling, subsidy, atp_own, payout):
        tbs.add_variable(variable)
    tbs.parameters = ParameterNode("", data={
        "flex": {name: {"values": {start: {"value": float(value)}}} for name, value in rates.items()},
    })
    return tbs


def main() -> None:
    people, rates_path, out, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(rates_path) as handle:
        spec = json.load(handle)
    table = pq.read_table(people, columns=["wage_ore", "ceiling_ore", "other_wage_ore", "other_income_ore"])
    col = {name: table.column(name).to_numpy() for name in table.column_names}
    w = (col["wage_ore"] + col["other_wage_ore"] + col["other_income_ore"]) / 100
    c = col["ceiling_ore"] / 100
    tbs = system(spec["rates"], spec["start"])
    period = spec["month"]
    times, builds, cpu, totals, total_cpu = [], [], [], [], []
    result: dict[str, np.ndarray] = {}
    for _ in range(repeat + 1):  # the first run is a warm-up
        started, started_cpu = time.perf_counter(), time.process_time()
        simulation = SimulationBuilder().build_default_simulation(tbs, len(w))
        simulation.set_input("wage_income", period, w)
        simulation.set_input("ceiling", period, c)
        built, built_cpu = time.perf_counter(), time.process_time()
        result = {name: simulation.calculate(name, period) for name in ("payout", "subsidy")}
        done = time.perf_counter()
        cpu.append(time.process_time() - built_cpu)
        totals.append(done - started)
        total_cpu.append(time.process_time() - started_cpu)
        builds.append(built - started)
        times.append(done - built)
    with open("/proc/self/status") as status:  # VmHWM: ru_maxrss would include the parent's memory
        hwm = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    np.savez(out, subsidy=result["subsidy"], payout=result["payout"], maxrss=np.array(hwm),
             seconds=np.array(min(times[1:])), cpu_seconds=np.array(min(cpu[1:])),
             build_seconds=np.array(min(builds[1:])), total_seconds=np.array(min(totals[1:])),
             total_cpu_seconds=np.array(min(total_cpu[1:])),
             dtype=np.array(str(result["subsidy"].dtype)))


if __name__ == "__main__":
    main()
