"""Synthetic hourly profiles for 2030: a design year and a weather ensemble.

Replaces ``energy/profiles.py``.  Modules: ``wind`` (zonal fleets from correlated sub-sites and a
multi-turbine power curve), ``solar`` (pvlib clear sky x stochastic clearness), ``hydro_load``
(inflow regime, load shape), ``stats`` (the checks against ``inputs/profile_targets.csv``) and
``make`` (files and command line).  Method and measured targets: ``docs/profiles.md``.
"""
