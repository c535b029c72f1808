"""Registrations made by a saving test end with it (the registry is process-wide, as Keras')."""
from __future__ import annotations

import pytest

from tensorlet.saving import registry


@pytest.fixture(autouse=True)
def clean_registry():
    tables = (registry._CUSTOM_OBJECTS, registry._REGISTERED_NAMES, registry._BY_BARE_NAME)
    saved = [dict(t) for t in tables]
    yield
    for table, before in zip(tables, saved):
        table.clear()
        table.update(before)
