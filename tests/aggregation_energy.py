"""Energy kept by each time aggregation, per load and availability series (docs/benchmarks.md).

``python -m tests.aggregation_energy [--window START END] [--resolutions ...]`` builds the
hourly base network once, aggregates it at each resolution and prints, per resolution, the
largest relative energy error of any series and the series it belongs to, twice: for the old
rescaling (one factor, availabilities then clipped at 1.0) and for :func:`preserve_means`.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pypsa

RESOLUTIONS = ("3h", "mean:4h", "days:7", "days:24", "segments:200")


def weighted_totals(n: pypsa.Network) -> pd.Series:
    """Σ_t w_t · x_t of every load (p_set) and availability (p_max_pu) series."""
    w = n.snapshot_weightings["generators"]
    return pd.concat(
        {
            "load": n.c.loads.dynamic["p_set"].mul(w, axis=0).sum(),
            "availability": n.c.generators.dynamic["p_max_pu"].mul(w, axis=0).sum(),
        }
    )


def raw_aggregate(n: pypsa.Network, resolution: str) -> pypsa.Network:
    """The aggregated network before any rescaling."""
    from energy.config.resolution import parse_resolution
    from energy.model.timeseries import typical_days

    res = parse_resolution(resolution)
    if res.method == "sample":
        return n.cluster.temporal.downsample(res.count)
    if res.method == "mean":
        return n.cluster.temporal.resample(f"{res.count}h")
    if res.method == "segments":
        return n.cluster.temporal.segment(res.count)
    return typical_days(n, res.count)


def old_rescale(hourly: pypsa.Network, m: pypsa.Network) -> pypsa.Network:
    """The rescaling before issue 11: one factor per series, availabilities clipped at 1."""
    m = m.copy()
    w_hourly = hourly.snapshot_weightings["generators"]
    w_agg = m.snapshot_weightings["generators"]
    for attr, dynamic in (("p_set", m.c.loads.dynamic), ("p_max_pu", m.c.generators.dynamic)):
        source = (hourly.c.loads if attr == "p_set" else hourly.c.generators).dynamic[attr]
        target = dynamic[attr]
        agg_total = target.mul(w_agg, axis=0).sum()
        factor = (source.mul(w_hourly, axis=0).sum() / agg_total.where(agg_total > 0)).fillna(1)
        scaled = target * factor
        dynamic[attr] = scaled.clip(upper=1.0) if attr == "p_max_pu" else scaled
    return m


def errors(hourly: pypsa.Network, m: pypsa.Network) -> pd.Series:
    """Relative energy error (aggregated / hourly − 1) of every series with energy."""
    reference = weighted_totals(hourly)
    reference = reference[reference > 0]
    return weighted_totals(m).reindex(reference.index) / reference - 1


def main() -> None:
    from energy.config.scenario import load_scenario
    from energy.data.inputs import load_inputs
    from energy.model.network import build_network
    from energy.model.timeseries import preserve_means

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--window", nargs=2, metavar=("START", "END"))
    parser.add_argument("--resolutions", nargs="+", default=list(RESOLUTIONS))
    args = parser.parse_args()
    window = {"start": args.window[0], "end": args.window[1]} if args.window else None
    hourly = build_network(load_inputs(), load_scenario("base", window=window, resolution="1h"))
    print("| resolution | snapshots | method | worst series | error | series off by > 1e-9 |")
    print("|---|---|---|---|---|---|")
    for resolution in args.resolutions:
        raw = raw_aggregate(hourly, resolution)
        for label, m in (
            ("raw", raw),
            ("before", old_rescale(hourly, raw)),
            ("after", preserve_means(hourly, raw.copy())),
        ):
            err = errors(hourly, m)
            worst = err.abs().idxmax()
            print(
                f"| {resolution} | {len(m.snapshots)} | {label} | {worst[1]} | "
                f"{100 * err[worst]:+.2g} % | {int((err.abs() > 1e-9).sum())} of {len(err)} |"
            )
            assert np.all(m.c.generators.dynamic["p_max_pu"].to_numpy() <= 1.0 + 1e-12) or (
                label == "raw"
            )


if __name__ == "__main__":
    main()
