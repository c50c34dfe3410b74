"""The optimisation model: component identity (:mod:`.naming`), cost arithmetic
(:mod:`.economics`), time resolution (:mod:`.timeseries`), the PyPSA network (:mod:`.network`,
one ``add_*`` per component family), the corridor rules (:mod:`.constraints`, one
``define_*`` per rule), the HiGHS solve (:mod:`.solve`) and the two-stage problem over
stacked weather years (:mod:`.stochastic`)."""
