"""The one grammar of time resolutions (scenario key ``resolution``, ``--resolution``).

- ``1h``: every hour;
- ``Nh``: every N-th hour, each weighted N hours;
- ``mean:Nh``: N-hour means;
- ``segments:K``: K variable-length segments (tsam);
- ``days:K``: K typical days (tsam medoids), storage running through them in calendar order;
- ``linked-days:K``: K typical days whose storage is linked across the 365 days of the year
  (an inter-day level per original day, :mod:`energy.model.storage_linking`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Literal

Method = Literal["hourly", "sample", "mean", "segments", "days", "linked-days"]
PATTERN = re.compile(
    r"(?:(?P<method>mean|segments|linked-days|days):)?(?P<count>[1-9]\d*)(?P<h>h?)"
)
HELP = "'1h', 'Nh' (every Nth hour), 'mean:Nh', 'segments:K', 'days:K' or 'linked-days:K'"


@dataclasses.dataclass(frozen=True)
class Resolution:
    """A parsed resolution: ``method`` and its ``count`` (hours or periods)."""

    method: Method
    count: int

    @property
    def hours(self) -> int | None:
        """Hours per snapshot for the fixed-step methods, None for tsam methods."""
        return self.count if self.method in ("hourly", "sample", "mean") else None


def parse_resolution(text: str) -> Resolution:
    """Parse a resolution string; raise ValueError naming the grammar if it is not one."""
    match = PATTERN.fullmatch(str(text).strip())
    method = match and match["method"]
    hours = match and match["h"] == "h"
    if (
        not match
        or (method in ("segments", "days", "linked-days") and hours)
        or (method in (None, "mean") and not hours)
    ):
        raise ValueError(f"'{text}' is not a resolution: use {HELP}")
    count = int(match["count"])
    if method is None:
        return Resolution("hourly" if count == 1 else "sample", count)
    return Resolution(method, count)
