"""Running the model: :func:`run_scenario` (the single entry point for one run, used by the
CLI, sweeps, analyses, tests and notebooks), infeasibility diagnosis, the hourly check of an
aggregated plan, robust sizing against several weather years (:mod:`.robust`), and the
many-runs machinery of sweeps (:mod:`energy.run.sweep`)."""

from energy.run.pipeline import prepare_inputs, run_scenario

__all__ = ["prepare_inputs", "run_scenario"]
