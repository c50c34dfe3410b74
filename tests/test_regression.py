"""The model's answer on a small window of base is unchanged (refactoring guard).

The reference (``tests/data/regression_base.json``) was written before the package was split
into layers; regenerate it only for a deliberate change of model or inputs
(``python -m tests.regression --update``)."""

from __future__ import annotations

import json

import pytest

from tests.regression import REFERENCE, pinned_figures


@pytest.mark.slow
def test_base_window_matches_reference() -> None:
    reference = json.loads(REFERENCE.read_text())
    figures = pinned_figures()
    assert sorted(figures) == sorted(reference), "the set of KPIs and capacities changed"
    off = {
        key: (figures[key], value)
        for key, value in reference.items()
        if figures[key] != pytest.approx(value, rel=1e-6, abs=1e-6)
    }
    assert not off, f"changed (now, reference): {off}"
