"""Independent Pyomo formulation of the corridor LP, to cross-check the PyPSA model."""

from energy.validation.crosscheck.compare import Comparison, crosscheck, format_comparison
from energy.validation.crosscheck.data import LPData, lp_data
from energy.validation.crosscheck.model import build_model, solve_model

__all__ = [
    "Comparison",
    "LPData",
    "build_model",
    "crosscheck",
    "format_comparison",
    "lp_data",
    "solve_model",
]
