"""``energy value-curve``, ``energy mga``, ``energy tornado`` and ``energy compare``: the
sizing question of a link, and results folders side by side."""

from __future__ import annotations

import argparse
import sys

from energy.cli.common import add_command, changes, inputs_dir
from energy.config.resolution import HELP as RESOLUTION_HELP
from energy.errors import ExitCode

LINK_HELP = "candidate link of links.csv (default: trans-caspian)"
PERIOD_HELP = "pathway scenarios: the investment period whose capacity in service is meant"


def scenario_of(args: argparse.Namespace):
    """The scenario with the command line's resolution, window and time limit."""
    from energy.config.scenario import load_scenario

    return load_scenario(args.scenario, args.inputs, **changes(args))


def options(args: argparse.Namespace) -> dict:
    """The keyword arguments every analysis shares."""
    from pathlib import Path

    from energy.analysis.cases import Runner, with_threads

    return {
        "inputs_dir": inputs_dir(args),
        "root": Path(args.out) if args.out else None,
        "runner": Runner(args.workers, args.scheduler, args.force),
    }, lambda s: with_threads(s, args.threads, args.workers)


def report(table, folder, failed: int) -> int:
    """Print where the files are and the failed cases; exit code 1 if any failed."""
    print(f"Results in {folder}")
    if failed:
        print(f"{failed} case(s) failed; see {folder}/cases/*.json", file=sys.stderr)
    return ExitCode.FAILED if failed else ExitCode.OK


def fmt_table(table, columns: list[str]) -> str:
    """``columns`` of ``table`` as aligned text with thousands separators."""
    return table[columns].to_string(
        index=False, float_format=lambda v: f"{v:,.3f}" if abs(v) < 10 else f"{v:,.0f}"
    )


def cmd_value_curve(args: argparse.Namespace) -> int:
    """Solve the link fixed at each size, and the optimum; write the value curve."""
    from energy.analysis.value_curve import run_value_curve

    kw, threads = options(args)
    table, folder = run_value_curve(
        threads(scenario_of(args)), args.link, args.sizes, market=args.market,
        period=args.period, **kw,
    )  # fmt: skip
    cols = ["kind", "size_mw", "status", "delta_eur", "delta_pct", "export_twh"]
    cols += ["marginal_value_eur_per_mw", "break_even_price_eur_per_mwh"]
    print(fmt_table(table, cols))
    return report(table, folder, int((table["status"] != "optimal").sum()))


def cmd_mga(args: argparse.Namespace) -> int:
    """Solve the smallest and largest size of the link within each cost slack."""
    from energy.analysis.mga import run_mga

    kw, threads = options(args)
    table, folder = run_mga(
        threads(scenario_of(args)), args.link, args.slack, market=args.market,
        period=args.period, **kw,
    )  # fmt: skip
    cols = ["slack", "min_mw", "max_mw", "export_at_min_twh", "export_at_max_twh", "status"]
    print(fmt_table(table, cols))
    return report(table, folder, int((table["status"] != "optimal").sum()))


def cmd_tornado(args: argparse.Namespace) -> int:
    """Solve every driver at its low and high value, one at a time."""
    from energy.analysis.tornado import run_tornado

    kw, threads = options(args)
    table, folder = run_tornado(threads(scenario_of(args)), args.link, **kw)
    cols = ["driver", "side", "status", "link_mw", "export_twh", "delta_objective_eur"]
    print(fmt_table(table, cols))
    return report(table, folder, int((table["status"] != "optimal").sum()))


def cmd_compare(args: argparse.Namespace) -> int:
    """KPIs, capacities and links of results folders side by side, with deltas."""
    from energy.analysis.compare import write_compare

    tables, folder = write_compare(args.results, args.out)
    print(fmt_compare(tables["kpis"]))
    print(f"\nTables and page in {folder} (compare.html)")
    return ExitCode.OK


def fmt_compare(kpis) -> str:
    """The KPI comparison as text (values and deltas)."""
    return kpis.to_string(index=False, float_format=lambda v: f"{v:,.3f}", na_rep="–")


def add_analysis(sub, name: str, func, help: str) -> argparse.ArgumentParser:
    """A subcommand over one scenario and link, with the parallel and scenario options."""
    from energy.cli.sweep import add_parallel_options

    p = add_command(sub, name, func, help)
    p.add_argument("scenario", help="scenario name in inputs/scenarios/ or a YAML file")
    p.add_argument("--link", default="trans-caspian", help=LINK_HELP)
    p.add_argument("--resolution", help=RESOLUTION_HELP)
    p.add_argument("--window", nargs=2, metavar=("START", "END"), help="e.g. 2030-01-01 2030-01-31")
    p.add_argument("--time-limit", type=float, metavar="S", help="solver time limit per case, s")
    p.add_argument(
        "--out", metavar="DIR", help="results root (default: $GREEN_CORRIDOR_RESULTS or results/)"
    )
    add_parallel_options(p)
    return p


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``value-curve``, ``mga``, ``tornado`` and ``compare``."""
    vc = add_analysis(
        sub,
        "value-curve",
        cmd_value_curve,
        "cost, exports, marginal value and break-even price of a link fixed at each size",
    )
    vc.add_argument(
        "--sizes",
        nargs="+",
        type=float,
        metavar="MW",
        help="sizes (default: the link's modules, else 7 sizes up to its maximum)",
    )
    vc.add_argument("--market", default="EU", help="landing market of the break-even price")
    vc.add_argument("--period", type=int, metavar="YEAR", help=PERIOD_HELP)
    mga = add_analysis(
        sub,
        "mga",
        cmd_mga,
        "smallest and largest size of a link (or of a sum, --link trans-caspian+black-sea) "
        "within a cost slack",
    )
    mga.add_argument(
        "--slack", nargs="+", type=float, default=[0.01, 0.02, 0.05], metavar="S",
        help="share of the optimal objective, e.g. 0.01 0.02 0.05 (default)",
    )  # fmt: skip
    mga.add_argument("--market", default="EU", help="market whose exports are reported")
    mga.add_argument("--period", type=int, metavar="YEAR", help=PERIOD_HELP)
    add_analysis(sub, "tornado", cmd_tornado, "one-at-a-time drivers (inputs/tornado_drivers.csv)")
    compare = add_command(
        sub, "compare", cmd_compare, "KPIs, capacities and links of results folders side by side",
        inputs=False,
    )  # fmt: skip
    compare.add_argument("results", nargs="+", help="results folders or scenario names (2 or more)")
    compare.add_argument(
        "--out", metavar="DIR", help="output folder (default: <results root>/compare/A-vs-B)"
    )
