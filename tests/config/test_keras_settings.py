"""keras.config (Keras 3) and keras.mixed_precision: backend, dtype policies, interactive logging."""
from __future__ import annotations

import logging

import numpy as np
import pytest

from tensorlet import keras
from tensorlet.config import keras_settings
from tensorlet.utils import io_utils


def test_globals_are_the_shared_ones():
    assert keras.config.backend() == "tensorflow"
    assert keras.config.floatx() == "float32" and keras.config.epsilon() == 1e-7
    assert keras.config.image_data_format() == "channels_last"
    assert keras.config.floatx is keras.backend.floatx


def test_dtype_policies_are_accepted_and_reported(monkeypatch):
    monkeypatch.setattr(keras_settings, "_policy", [None])
    assert keras.config.dtype_policy().name == "float32"
    keras.config.set_dtype_policy("mixed_float16")
    policy = keras.config.dtype_policy()
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == ("mixed_float16", "float16", "float32")
    keras.mixed_precision.set_global_policy(keras.mixed_precision.Policy("float32"))
    assert keras.mixed_precision.global_policy() == keras.DTypePolicy("float32")
    with pytest.raises(ValueError, match="Cannot convert 'float8' to a dtype policy"):
        keras.config.set_dtype_policy("float8")


def test_disabled_interactive_logging_sends_fit_output_to_the_log(monkeypatch, capsys, caplog):
    monkeypatch.setattr(io_utils, "_interactive", [True])
    keras.config.disable_interactive_logging()
    assert not keras.config.is_interactive_logging_enabled()
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with caplog.at_level(logging.INFO, logger="keras"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=1)
    assert capsys.readouterr().out == ""
    assert "Epoch 2/2" in caplog.text and "loss" in caplog.text
    keras.config.enable_interactive_logging()
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=1)
    assert "Epoch 1/1" in capsys.readouterr().out
