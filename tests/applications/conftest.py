"""Fixtures for the applications tests: an isolated download cache, and cheap weight initialization for tests
that only count parameters."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.utils import file_utils


@pytest.fixture(autouse=True)
def fresh_session():
    """Automatic layer names restart from zero, as in a new Keras session (names are compared with Keras')."""
    tf.keras.backend.clear_session()


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    """The cache, home and Keras home in tmp_path, no mirror, and no network: a download attempt fails at once.
    Returns the cache's models folder."""
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "tensorlet_home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("TENSORLET_DATASETS_MIRROR", raising=False)
    monkeypatch.setattr(file_utils, "RETRY_DELAY", 0.0)

    def offline(url, folder, name):
        raise OSError(f"network disabled in tests ({url})")

    monkeypatch.setattr(file_utils, "_download", offline)
    return tmp_path / "tensorlet_home" / "models"


@pytest.fixture
def cheap_weights(monkeypatch):
    """Weights initialized to zeros (no random draws): for tests that only look at shapes and counts."""
    import tensorlet.layers.layer as layer_module

    monkeypatch.setattr(layer_module, "_init_value", lambda init, shape, dtype: np.zeros(shape, dtype))
