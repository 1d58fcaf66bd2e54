"""How fast are the buurtbudget count and rules on rounds of realistic size? Prints figures.

Run: .venv/bin/python bench/bench_buurtbudget.py [--zaad 1] [--herhaal 3]
Targets (issue 8): 100,000 ballots over 40 ideas, tally plus both rules <= 10 s; a real-size
round of 15,000 ballots over 60 ideas, both rules <= 2 s. Both rules means meeste_stemmen and
equal_shares with Add1 and the leftover spent by votes (the slowest variant).

The data is random but shaped like real rounds (seeded): costs between 2,500 and 150,000
euros, a few popular ideas and a long tail, 1 to 8 ideas per ballot (15,000 ballots give
12,224 different ones). Add1 raises each voter's share one euro at a time and runs MES again
for each step, so its work depends on the budget per ballot: besides the two targets the bench
prints the same rounds at other budgets per ballot (€ 100: 106 runs, from € 100 to € 205;
pabulib's Polish district rounds run at 800 to 1,300 zloty per ballot, Amsterdam's 2022
buurtbudgetten Noord West and Rijnbuurt West at € 129 and € 472, Assen's Top Idee at € 1,190
in 2024 and € 301 in 2025). The runs share the work for the purchases they have in common
(participatie/buurtbudget/mes.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from participatie.buurtbudget.regels import (  # noqa: E402
    Project,
    equal_shares,
    meeste_stemmen,
    tel,
)


def ronde(stembiljetten: int, ideeen: int, zaad: int) -> tuple[list[Project], list[frozenset]]:
    """Ideas with realistic costs and ballots with a popular head and a long tail."""
    rng = random.Random(zaad)
    projecten = [Project(f"{i:03d}", round(rng.lognormvariate(9.9, 0.8) / 500) * 500 + 2500)
                 for i in range(1, ideeen + 1)]
    projecten = [Project(p.id, min(p.kosten, 150_000)) for p in projecten]
    gewichten = [1 / (rang + 3) for rang in range(ideeen)]
    rng.shuffle(gewichten)
    ids = [p.id for p in projecten]
    stemmen = []
    for _ in range(stembiljetten):
        aantal = min(ideeen, max(1, round(rng.triangular(1, 8, 3))))
        keuze: set[str] = set()
        while len(keuze) < aantal:
            keuze.update(rng.choices(ids, weights=gewichten, k=aantal - len(keuze)))
        stemmen.append(frozenset(keuze))
    return projecten, stemmen


def meet(functie, herhaal: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of `herhaal` calls, and the last result.

    On a shared machine the two differ: CPU time is the work, wall-clock what a user waits.
    """
    tijden, cpu, uitkomst = [], [], None
    for _ in range(herhaal):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        uitkomst = functie()
        tijden.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    return statistics.median(tijden), statistics.median(cpu), uitkomst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zaad", type=int, default=1)
    parser.add_argument("--herhaal", type=int, default=3)
    args = parser.parse_args()

    gevallen = [
        # (ballots, ideas, euros per ballot, target in seconds, what is timed)
        (100_000, 40, 10, 10.0, "tally + both rules"),
        (15_000, 60, 20, 2.0, "both rules"),
        (15_000, 60, 100, 2.0, "both rules"),
        (15_000, 60, 500, 2.0, "both rules"),
    ]
    print(f"{'ballots':>8} {'ideas':>5} {'budget':>11} {'€/ballot':>8}  {'tally':>6} "
          f"{'meeste':>7} {'MES+Add1':>9} {'total':>7} {'cpu':>6}  target  "
          "chosen (meeste/MES)")
    for stembiljetten, ideeen, per_stem, doel, wat in gevallen:
        projecten, stemmen = ronde(stembiljetten, ideeen, args.zaad)
        budget = stembiljetten * per_stem
        t_tel, c_tel, _ = meet(lambda: tel(projecten, stemmen), args.herhaal)  # noqa: B023
        t_ms, c_ms, ms = meet(lambda: meeste_stemmen(projecten, stemmen, budget),  # noqa: B023
                              args.herhaal)
        t_mes, c_mes, mes = meet(lambda: equal_shares(projecten, stemmen, budget),  # noqa: B023
                                 args.herhaal)
        met_tel = wat.startswith("tally")
        totaal = t_ms + t_mes + (t_tel if met_tel else 0)
        cpu = c_ms + c_mes + (c_tel if met_tel else 0)
        oordeel = f"<= {doel:g} s " + ("ok" if totaal <= doel else "MISSED")
        print(f"{stembiljetten:>8,} {ideeen:>5} {budget:>11,} {per_stem:>8}  {t_tel:>6.2f} "
              f"{t_ms:>7.2f} {t_mes:>9.2f} {totaal:>7.2f} {cpu:>6.2f}  {oordeel:<12} "
              f"{len(ms.gekozen)}/{len(mes.gekozen)}  ({wat})")
        print(f"{'':>8} {mes.toelichting}")


if __name__ == "__main__":
    main()
