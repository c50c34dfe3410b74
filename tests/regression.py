"""Pinned KPIs of a small window of the base scenario (the refactoring guard).

``python -m tests.regression --update`` re-writes ``tests/data/regression_base.json`` — do it
only when a change of the model or of ``inputs/`` is meant to change the answer, and say so in
the commit message.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

REFERENCE = Path(__file__).parent / "data" / "regression_base.json"
WINDOW = {"start": "2030-01-08", "end": "2030-01-21"}
RESOLUTION = "3h"


def pinned_figures() -> dict[str, float]:
    """Objective, every KPI and every capacity of base on the window, unrounded."""
    from energy import load_scenario, run_scenario

    results = run_scenario(load_scenario("base", window=WINDOW, resolution=RESOLUTION), write=False)
    figures = {f"kpi:{k}": float(v) for k, v in results.kpis.set_index("kpi")["value"].items()}
    for row in results.capacities.itertuples():
        figures[f"capacity:{row.node}/{row.carrier}"] = float(row.optimal_mw)
    for row in results.links.itertuples():
        figures[f"link:{row.link}"] = float(row.optimal_mw)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="write the reference file")
    args = parser.parse_args()
    figures = pinned_figures()
    if args.update:
        REFERENCE.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(figures)} figures to {REFERENCE}")
    else:
        print(json.dumps(figures, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
