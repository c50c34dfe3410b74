"""Results: extraction from a solved network (:mod:`.extract`), the results folder with the
one :class:`Results` class and its tables (:mod:`.folder`), exports for spreadsheets and data
tools (:mod:`.export`). Reading results needs no PyPSA."""

from energy.results.folder import TABLES, Results, load_results

__all__ = ["TABLES", "Results", "load_results"]
