"""Buildable stages: candidate links with a ``module_mw`` (links.csv) built in whole modules
when the scenario turns ``modules`` on (PyPSA ``p_nom_mod``; the model becomes a MILP)."""

from __future__ import annotations

import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model.naming import corridor_of, is_forward


def apply_modules(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """Set ``p_nom_mod`` on the forward expansion part of every modular candidate link (the
    reverse part is tied to it, so it is a whole number of modules too)."""
    if not scenario.modules:
        return
    links = n.c.links.static
    module = corridor_of(links).map(inputs.links["module_mw"])
    modular = links["p_nom_extendable"] & is_forward(links) & (module > 0)
    if modular.any():
        n.c.links.static.loc[modular, "p_nom_mod"] = module[modular]
