"""Reviewing results without solving: data summaries (:mod:`.summaries`), plots
(:mod:`.plot`, every function returns a matplotlib Figure) the HTML report
(:mod:`.report`) and its weather-year section (:mod:`.robust`)."""
