"""keras.utils.pack_x_y_sample_weight / unpack_x_y_sample_weight as a custom train_step uses them."""
from __future__ import annotations

import pytest

import tensorlet as tf

utils = tf.keras.utils


@pytest.mark.parametrize("data, expected", [
    ("x", ("x", None, None)),
    (("x",), ("x", None, None)),
    (("x", "y"), ("x", "y", None)),
    (["x", "y", "w"], ("x", "y", "w")),
])
def test_unpack_gives_three_parts(data, expected):
    assert utils.unpack_x_y_sample_weight(data) == expected


def test_pack_leaves_out_trailing_nones_and_round_trips():
    assert utils.pack_x_y_sample_weight("x") == "x"
    assert utils.pack_x_y_sample_weight(("a", "b")) == (("a", "b"),)
    assert utils.pack_x_y_sample_weight("x", "y") == ("x", "y")
    assert utils.unpack_x_y_sample_weight(utils.pack_x_y_sample_weight("x", "y", "w")) == ("x", "y", "w")


def test_unpack_refuses_four_parts():
    with pytest.raises(ValueError, match="unpack_x_y_sample_weight: data must be"):
        utils.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_keras3_utils_names_exist():
    assert utils.standardize_dtype("float") == "float32" and utils.is_keras_tensor(tf.keras.Input((2,)))
    utils.disable_interactive_logging()
    try:
        assert not utils.is_interactive_logging_enabled()
    finally:
        utils.enable_interactive_logging()
    assert utils.Progbar is not None and callable(utils.clear_session)
