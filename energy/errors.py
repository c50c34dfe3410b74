"""Error types, exit codes and the "did you mean" hint shared by every layer."""

from __future__ import annotations

import difflib
import enum
from typing import Any


class ExitCode(enum.IntEnum):
    """Exit codes of the ``energy`` command."""

    OK = 0
    FAILED = 1  # a solve that did not end optimal, a check that missed, a failed sweep case
    INPUT = 2  # invalid inputs, scenario or arguments: nothing was written
    NOT_PROVEN = 3  # stopped at a limit: the best solution found is written, marked as such
    INTERRUPTED = 130  # Ctrl-C or SIGTERM: nothing written, existing results untouched


def suggest(word: str, options: Any) -> str:
    """' (did you mean 'x'?)' for the closest option, or ''."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class InputError(ValueError):
    """Invalid input data; ``problems`` lists one message per broken cell or rule."""

    def __init__(self, problems: list[str]):
        """Keep ``problems`` and list them, one per line, in the message."""
        self.problems = problems
        super().__init__("invalid inputs:\n  " + "\n  ".join(problems))


class SolveError(RuntimeError):
    """The optimisation did not end optimal; ``report`` holds status and condition."""

    def __init__(self, message: str, report: Any):
        """Keep the solver's ``report`` beside the message."""
        super().__init__(message)
        self.report = report
