"""Fixtures: an isolated cache and home for every dataset test, and the shared mirror of real files."""
from __future__ import annotations

import pytest

from tensorlet.utils import file_utils
from tests.datasets.helpers import SHARED


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Cache, home and Keras home in tmp_path; no mirror; no retry pauses. Returns the cache's datasets folder."""
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "tensorlet_home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("TENSORLET_DATASETS_MIRROR", raising=False)
    monkeypatch.setattr(file_utils, "RETRY_DELAY", 0.0)
    return tmp_path / "tensorlet_home" / "datasets"


@pytest.fixture
def shared_mirror(monkeypatch):
    """TENSORLET_DATASETS_MIRROR set to the shared datasets folder, or a skip when it is absent."""
    if not (SHARED / "mnist.npz").is_file():
        pytest.skip(f"the shared datasets folder is not available ({SHARED})")
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(SHARED.resolve()))
    return SHARED.resolve()
