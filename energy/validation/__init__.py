"""Is the model right? The backcast against published statistics (:mod:`.backcast`) and the
independent Pyomo formulation that cross-checks PyPSA (:mod:`.crosscheck`)."""
