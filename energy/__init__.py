"""green-corridor: planning model of the Central Asia – Caspian – Europe green-energy corridor."""

from energy.api import load_results
from energy.pipeline import run_scenario
from energy.scenario import load_scenario

__all__ = ["load_results", "load_scenario", "run_scenario"]
__version__ = "0.1.0"
