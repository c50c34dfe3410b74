"""All logging set-up: the console handler of the CLI, the run log of a results folder, the
sweep log, and the quiet console of cases that run side by side."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

LOGGERS = ("energy", "pypsa", "linopy")
CONSOLE = "energy-cli"


def configure_console(verbose: bool) -> None:
    """Progress of ``energy`` on stderr (replacing an earlier console handler); PyPSA and
    linopy only warn unless ``verbose``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    handler.set_name(CONSOLE)
    logger = logging.getLogger("energy")
    for old in [h for h in logger.handlers if h.get_name() == CONSOLE]:
        logger.removeHandler(old)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False
    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)


@contextlib.contextmanager
def run_log(folder: Path) -> Iterator[logging.Handler]:
    """Copy the energy, PyPSA and linopy log records into ``folder/run.log`` while open."""
    handler = logging.FileHandler(folder / "run.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
    energy = logging.getLogger("energy")
    if energy.getEffectiveLevel() > logging.INFO:  # the run log always records progress
        energy.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(handler)
        handler.close()


@contextlib.contextmanager
def file_log(logger: logging.Logger, path: Path) -> Iterator[None]:
    """Send ``logger`` (only) to ``path`` while open, e.g. a sweep's ``sweep.log``."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        handler.close()


def silence() -> Callable[[], None]:
    """Raise the console handlers of the energy/pypsa/linopy loggers to WARNING, cut their
    propagation to the root logger and send stdout to /dev/null; return the undo."""
    undo: list[Callable[[], None]] = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        undo.append(functools.partial(setattr, logger, "propagate", logger.propagate))
        logger.propagate = False
        for handler in logger.handlers:
            if not isinstance(handler, logging.FileHandler):
                undo.append(functools.partial(handler.setLevel, handler.level))
                handler.setLevel(logging.WARNING)
    sys.stdout.flush()
    stdout, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    undo += [
        sys.stdout.flush,
        functools.partial(os.dup2, stdout, 1),
        functools.partial(os.close, stdout),
        functools.partial(os.close, devnull),
    ]

    def restore() -> None:
        for step in undo:
            step()

    return restore


_quiet: dict = {"depth": 0, "undo": None, "lock": threading.Lock()}


@contextlib.contextmanager
def quiet_console() -> Iterator[None]:
    """Keep a case's log lines and HiGHS's banner off the console (they still reach the
    case's run.log and highs.log); safe when several threads run cases."""
    with _quiet["lock"]:
        _quiet["depth"] += 1
        if _quiet["depth"] == 1:
            _quiet["undo"] = silence()
    try:
        yield
    finally:
        with _quiet["lock"]:
            _quiet["depth"] -= 1
            if _quiet["depth"] == 0:
                _quiet["undo"]()
