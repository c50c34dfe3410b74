"""The backcast's sub-year and per-border rows: ``statistics.csv`` rows with a ``month`` range
(generation by fuel, gross imports and exports in those months) or a ``partner`` (flows over
one border; a border pair no link joins, such as AZ->TR, is the transit through a third
country), compared with the same months and borders of the solved backcast. They join the
annual rows of :mod:`energy.validation.backcast` and are judged by the same rules (a
checked fuel's share ±5 pp, a country's total ±5 %); flows are shown, not judged — the
tolerance on trade is the one on annual net imports. Flows are gross, except for the countries
of ``TRANSIT_APART``, whose statistics count transit apart: their own flows are compared. A
flow over a border the model does not have is an input (boundary_flows.csv): status ``input``."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from energy.data.inputs import Inputs
from energy.errors import InputError
from energy.model import economics as eco
from energy.results.folder import Results

FLOWS = ("imports", "exports")
# countries whose statistics report transit apart from imports and exports (GNERC, ESCO): their
# rows compare the model's own flows, gross less what the country passes on
TRANSIT_APART = ("GE",)
MONTHS = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")


def months_of(text: str, where: str) -> list[int]:
    """``'4'`` → [4], ``'1-4'`` → [1, 2, 3, 4], ``''`` → the whole year; InputError else."""
    if not text:
        return list(range(1, 13))
    match = MONTHS.match(text)
    first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
    if not 1 <= first <= last <= 12:
        raise InputError([f"{where}, column 'month': '{text}' is not a month or a range a-b"])
    return list(range(first, last + 1))


def read_detail(path: Path | str, period: str) -> pd.DataFrame:
    """Rows of ``period`` with a month range or a partner, in TWh or % (with the row's
    position in the file for error messages)."""
    from energy.validation.backcast import check_rows

    stats = pd.read_csv(
        path,
        dtype={"period": str, "year": str, "month": str, "partner": str},
        keep_default_na=False,
    )
    stats["row"] = np.arange(len(stats)) + 2
    rows = stats[(stats["period"] == period) & ((stats["month"] != "") | (stats["partner"] != ""))]
    check_rows(rows, path)
    return rows.assign(value=pd.to_numeric(rows["value"]))


def generation_in(results: Results, inputs: Inputs, months: list[int]) -> pd.DataFrame:
    """Generation by country and statistics category in ``months``, TWh."""
    from energy.validation.backcast import category_of

    ts = results.timeseries
    pick = ts["snapshot"].dt.month.isin(months)
    mwh = (ts["dispatch"].sel(snapshot=pick) * ts["weight"].sel(snapshot=pick)).sum("snapshot")
    table = pd.DataFrame(
        {
            "twh": mwh.to_numpy() * 1e-6,
            "country": pd.Series(ts["generator_node"].to_numpy()).map(inputs.nodes["country"]),
            "category": category_of(pd.Series(ts["generator_carrier"].to_numpy())),
        }
    ).dropna()
    return table.groupby(["country", "category"])["twh"].sum().unstack(fill_value=0.0)


def link_ends(results: Results, inputs: Inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sending country, receiving country and efficiency of every one-way link."""
    ts = results.timeseries
    corridor = pd.Series(ts["link_corridor"].to_numpy())
    reverse = ts["link_reverse"].to_numpy().astype(bool)
    info = inputs.links.loc[corridor]
    country = inputs.nodes["country"]
    c0, c1 = info["bus0"].map(country).to_numpy(), info["bus1"].map(country).to_numpy()
    eff = eco.link_efficiency(inputs, info).to_numpy()
    return np.where(reverse, c1, c0), np.where(reverse, c0, c1), eff


def flows_in(results: Results, inputs: Inputs, months: list[int]) -> pd.DataFrame:
    """Per one-way link in ``months`` (and per fixed flow from outside the model): sending and
    receiving country, TWh sent and received."""
    ts = results.timeseries
    pick = ts["snapshot"].dt.month.isin(months)
    sent = (ts["link_flow"].sel(snapshot=pick) * ts["weight"].sel(snapshot=pick)).sum("snapshot")
    sender, receiver, eff = link_ends(results, inputs)
    links = pd.DataFrame(
        {
            "sender": sender,
            "receiver": receiver,
            "sent_twh": sent.to_numpy() * 1e-6,
            "received_twh": sent.to_numpy() * eff * 1e-6,
            "fixed": False,
        }
    )
    return pd.concat([links, boundary_in(results, inputs, months)], ignore_index=True)


def boundary_in(results: Results, inputs: Inputs, months: list[int]) -> pd.DataFrame:
    """Fixed flows from neighbours outside the model in ``months`` (boundary_flows.csv), in
    the columns of :func:`flows_in` (``fixed``: an input, not a model decision): the partner
    sends, the node's country receives."""
    ts = results.timeseries
    if "boundary_flow" not in ts:
        return pd.DataFrame(columns=["sender", "receiver", "sent_twh", "received_twh", "fixed"])
    pick = ts["snapshot"].dt.month.isin(months)
    twh = (ts["boundary_flow"].sel(snapshot=pick) * ts["weight"].sel(snapshot=pick)).sum(
        "snapshot"
    ).to_numpy() * 1e-6
    return pd.DataFrame(
        {
            "sender": ts["boundary_partner"].to_numpy(),
            "receiver": pd.Series(ts["boundary_node"].to_numpy()).map(inputs.nodes["country"]),
            "sent_twh": twh,
            "received_twh": twh,
            "fixed": True,
        }
    )


def through_flow(into: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Origin x destination split of what passes through one country (snapshot x origin x
    destination, MW) from what its borders deliver into it (``into``, snapshot x origin) and
    send out of it (``out``, snapshot x destination): in each snapshot the smaller of the two
    totals passes through, shared over origins by what each delivers and over destinations by
    what each takes. What is left is the country's own imports and exports."""
    total_in, total_out = into.sum(axis=1), out.sum(axis=1)
    through = np.minimum(total_in, total_out)
    share_in = np.divide(
        into, total_in[:, None], out=np.zeros_like(into), where=total_in[:, None] > 0
    )
    share_out = np.divide(
        out, total_out[:, None], out=np.zeros_like(out), where=total_out[:, None] > 0
    )
    return through[:, None, None] * share_in[:, :, None] * share_out[:, None, :]


def transit_in(results: Results, inputs: Inputs, months: list[int]) -> pd.DataFrame:
    """Trade between two countries that crosses a third in ``months``: origin, via,
    destination and TWh leaving ``via`` for the destination (see :func:`through_flow`)."""
    ts = results.timeseries
    pick = ts["snapshot"].dt.month.isin(months)
    weight = ts["weight"].sel(snapshot=pick).to_numpy()
    sent = ts["link_flow"].sel(snapshot=pick).to_numpy()  # snapshot x link, MW
    sender, receiver, eff = link_ends(results, inputs)
    cross = sender != receiver
    frame = pd.DataFrame(sent[:, cross])
    into = (frame * eff[cross]).T.groupby([receiver[cross], sender[cross]]).sum().T
    out = frame.T.groupby([sender[cross], receiver[cross]]).sum().T
    rows = []
    for via in sorted(set(into.columns.get_level_values(0)) & set(out.columns.get_level_values(0))):
        origins, destinations = into[via], out[via]
        split = through_flow(origins.to_numpy(), destinations.to_numpy())
        twh = np.einsum("t,tod->od", weight, split) * 1e-6
        for i, origin in enumerate(origins.columns):
            for j, destination in enumerate(destinations.columns):
                if origin != destination:
                    rows.append((origin, via, destination, twh[i, j]))
    return pd.DataFrame(rows, columns=["origin", "via", "destination", "twh"])


def flow_value(
    flows: pd.DataFrame,
    country: str,
    carrier: str,
    partner: str,
    transit: pd.DataFrame | None = None,
) -> float:
    """Gross imports into / exports out of ``country`` (from / to ``partner`` if given), TWh.
    A partner that no modelled link joins to ``country`` is reached in transit: the value is
    then what crosses a third country between the two (``transit``, :func:`transit_in`), NaN
    when none does."""
    cross = flows[flows["sender"] != flows["receiver"]]
    own, other, energy = (
        ("sender", "receiver", "sent_twh")
        if carrier == "exports"
        else ("receiver", "sender", "received_twh")
    )
    mine = cross[(cross[own] == country) & ((cross[other] == partner) | (not partner))]
    if len(mine):
        return float(mine[energy].sum())
    if partner and transit is not None:
        origin, destination = (country, partner) if carrier == "exports" else (partner, country)
        hit = transit[(transit["origin"] == origin) & (transit["destination"] == destination)]
        if len(hit):
            return float(hit["twh"].sum())
    return np.nan


def is_input(flows: pd.DataFrame, country: str, carrier: str, partner: str) -> bool:
    """True if the flow between ``country`` and ``partner`` is a fixed input (a boundary flow)."""
    ends = (country, partner) if carrier == "exports" else (partner, country)
    hit = flows[(flows["sender"] == ends[0]) & (flows["receiver"] == ends[1])]
    return bool(partner) and len(hit) > 0 and bool(hit["fixed"].all())


def hydro_input_months(inputs: Inputs, period: str) -> dict[str, set[int]]:
    """Per country, the months in which hydro_months.csv holds the hydro output of every node
    of the country that has hydro in ``period``: hydro there is an input, not a result."""
    if inputs.hydro_months is None:
        return {}
    rows = inputs.hydro_months.reset_index(drop=True)
    covered: dict[str, set[int]] = {}
    for r in rows[rows["period"] == period].itertuples():
        covered.setdefault(r.node, set()).update(range(int(r.first_month), int(r.last_month) + 1))
    fleet = inputs.fleet.reset_index(drop=True)
    hydro = fleet[(fleet["period"] == period) & (fleet["carrier"] == "hydro")]
    hydro = hydro[hydro["p_nom_mw"] > 0]
    return {
        country: set.intersection(*(covered.get(node, set()) for node in nodes))
        for country, nodes in hydro.groupby(hydro["node"].map(inputs.nodes["country"]))["node"]
    }


def passed_on(transit: pd.DataFrame, country: str, carrier: str, partner: str) -> float:
    """What ``country`` passes on in transit, TWh: the part of its gross imports (from
    ``partner`` if given) or exports (to ``partner``) that crosses it (see :func:`transit_in`)."""
    end = "destination" if carrier == "exports" else "origin"
    hit = transit[(transit["via"] == country) & ((transit[end] == partner) | (not partner))]
    return float(hit["twh"].sum())


def detail_rows(path: Path | str, period: str, results: Results, inputs: Inputs) -> pd.DataFrame:
    """Published vs modelled for every month-range or per-border row of ``period``, in the
    columns of the annual validation table (the months or the partner in year and carrier)."""
    from energy.validation.backcast import CATEGORIES

    stats = read_detail(path, period)
    known = ("total", *CATEGORIES)
    held = hydro_input_months(inputs, period)
    by_months: dict[tuple, tuple[pd.DataFrame, ...]] = {}  # solved once per window
    rows = []
    for r in stats.itertuples():
        where = f"{Path(path).name}, row {r.row}"
        months = months_of(r.month, where)
        if tuple(months) not in by_months:
            by_months[tuple(months)] = (
                generation_in(results, inputs, months),
                flows_in(results, inputs, months),
                transit_in(results, inputs, months),
            )
        gen, flow_table, transit = by_months[tuple(months)]
        flow = r.carrier in FLOWS
        if not flow and not all(p in known for p in r.carrier.split("+")):
            continue  # e.g. 'other', 'demand' by month: nothing modelled to compare
        same = stats[(stats["country"] == r.country) & (stats["year"] == r.year)]
        same = same[(same["month"] == r.month) & (same["partner"] == "")]
        total = same.loc[same["carrier"] == "total", "value"]
        published_total = float(total.iloc[0]) if len(total) else np.nan
        published = r.value / 100 * published_total if r.unit == "%" else r.value
        if flow:
            value, share, published_share = (
                flow_value(flow_table, r.country, r.carrier, r.partner, transit),
                np.nan,
                np.nan,
            )
            if r.country in TRANSIT_APART:
                value -= passed_on(transit, r.country, r.carrier, r.partner)
        else:
            g = gen.loc[r.country] if r.country in gen.index else pd.Series(dtype=float)
            value = float(g.sum()) if r.carrier == "total" else float(
                sum(g.get(c, 0.0) for c in r.carrier.split("+"))
            )  # fmt: skip
            share = np.nan if r.carrier == "total" else 100 * value / float(g.sum() or np.nan)
            published_share = np.nan if r.carrier == "total" else 100 * published / published_total
        label = f"{r.year} ({r.month})" if r.month else r.year
        carrier = f"{r.carrier} {r.partner}".strip()
        rows.append(
            {
                "country": r.country,
                "carrier": carrier,
                "year": label,
                "published_twh": published,
                "model_twh": value,
                "published_share": published_share,
                "model_share": share,
                "input": (flow and is_input(flow_table, r.country, r.carrier, r.partner))
                or (r.carrier == "hydro" and set(months) <= held.get(r.country, set())),
            }
        )
    return pd.DataFrame(rows)
