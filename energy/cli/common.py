"""What every subcommand shares: the common options and the way a subcommand is registered."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

Command = Callable[[argparse.Namespace], int]
RESULTS_ROOT_HELP = (
    "parent folder of the results folder (default: $GREEN_CORRIDOR_RESULTS or results/)"
)


def changes(args: argparse.Namespace) -> dict:
    """Scenario changes from the common options (--resolution, --time-limit, --window)."""
    found: dict = {}
    if getattr(args, "resolution", None):
        found["resolution"] = args.resolution
    if getattr(args, "time_limit", None):
        found["solver"] = {"time_limit_s": args.time_limit}
    if getattr(args, "window", None):
        found["window"] = {"start": args.window[0], "end": args.window[1]}
    return found


def inputs_dir(args: argparse.Namespace) -> Path:
    """The inputs folder of the command (``--inputs`` or the shipped ``inputs/``)."""
    from energy.paths import DEFAULT_INPUTS

    return Path(args.inputs) if args.inputs else DEFAULT_INPUTS


def cpus() -> int:
    """CPUs this process may use."""
    found = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return found or 1


def add_command(
    sub: argparse._SubParsersAction, name: str, func: Command, help: str, inputs: bool = True
) -> argparse.ArgumentParser:
    """Add subcommand ``name`` running ``func``, with ``--inputs`` unless ``inputs`` is False."""
    p = sub.add_parser(name, help=help, description=help)
    if inputs:
        p.add_argument("--inputs", metavar="DIR", help="inputs folder (default: inputs/)")
    p.set_defaults(func=func)
    return p
