"""Settings of a run, validated with pydantic: the scenario model (:mod:`.scenario`), the one
grammar of time resolutions (:mod:`.resolution`) and the sweep-file model (:mod:`.sweep`)."""

from energy.config.scenario import Scenario, load_scenario

__all__ = ["Scenario", "load_scenario"]
