"""Reviewing results without solving: data summaries (:mod:`.summaries`), plots
(:mod:`.plot`, every function returns a matplotlib Figure) and the HTML report
(:mod:`.report`)."""
