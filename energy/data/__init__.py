"""The inputs: their schema (:mod:`.schema`), loading and validation of ``inputs/`` into one
typed :class:`~energy.data.inputs.Inputs` (:mod:`.inputs`), the arithmetic of a base year's
published month ranges (:mod:`.months`), and a scenario's overrides of
them (:mod:`.overrides`), weather years (:mod:`.weather`) and profiles from a reanalysis
cutout (:mod:`.cutout`). All unit handling of input figures happens here or in
:mod:`energy.model.economics`."""
