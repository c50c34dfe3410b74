"""``energy profiles``: profile tables for the model's nodes from a reanalysis cutout."""

from __future__ import annotations

import argparse
from pathlib import Path

from energy.cli.common import add_command, inputs_dir
from energy.errors import ExitCode


def cmd_profiles(args: argparse.Namespace) -> int:
    """Convert an ERA5 cutout (atlite netCDF layout) into onwind/offwind/solar profiles."""
    from energy.data.cutout import write_cutout_profiles

    cutout = Path(args.cutout)
    out = Path(args.out) if args.out else Path(f"profiles-{cutout.stem}")
    written = write_cutout_profiles(cutout, out, inputs_dir(args), args.layout)
    for carrier, path in written.items():
        print(f"{carrier:8s} {path}")
    listing = ", ".join(f"{c}: {p}" for c, p in written.items())
    print(f"\nuse them in a scenario with  profiles: {{{listing}}}")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``profiles``."""
    p = add_command(sub, "profiles", cmd_profiles, "profiles for the model's nodes from a cutout")
    p.add_argument("--cutout", required=True, metavar="FILE.nc", help="ERA5 cutout (atlite layout)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: profiles-<cutout name>)")
    p.add_argument(
        "--layout",
        metavar="CSV",
        help="sites with capacities: node, carrier, lat, lon, capacity_mw (default: every "
        "cell within 150 km of the node, equal capacities)",
    )
