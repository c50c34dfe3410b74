"""The ``energy`` command. Each module here registers its subcommands; this one runs them.

Each ``cmd_*`` imports the layer it needs when it runs, so ``energy run`` loads neither
matplotlib nor Dask. Exit codes are :class:`energy.errors.ExitCode`. A new subcommand goes in
its own module with a ``register(sub)`` function, listed in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from energy.errors import ExitCode, InputError
from energy.logs import configure_console

COMMAND_MODULES = ("run", "sweep", "results", "validate", "profiles", "sizing")


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``energy`` with every subcommand."""
    p = argparse.ArgumentParser(
        prog="energy", description="Green-corridor planning model (PyPSA + HiGHS)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="more log output")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"energy.cli.{name}").register(sub)
    return p


def exit_on_sigterm() -> None:
    """SIGTERM ends the run like Ctrl-C: staging folders are removed, results stay intact."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """Run the ``energy`` command; returns its exit code."""
    args = parser().parse_args(argv)
    configure_console(args.verbose)
    exit_on_sigterm()
    try:
        return int(args.func(args))
    except InputError as err:
        if args.debug:
            raise
        print("error: " + "\n  ".join(err.problems), file=sys.stderr)
        return ExitCode.INPUT
    except KeyboardInterrupt:
        print(
            "interrupted: no results written, existing results left as they were", file=sys.stderr
        )
        return ExitCode.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
