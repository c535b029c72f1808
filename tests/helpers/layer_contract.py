"""One contract for every layer (in the spirit of Keras' run_layer_test).

``run_layer_test`` checks: build on first call, output shape against ``compute_output_shape``, the number of
trainable and non-trainable weights, the ``get_config``/``from_config`` round trip (same config, same output with
the same weights), eager call against the symbolic (Functional) call, and — for layers with trainable weights —
that one SGD step on a small regression lowers the loss.
"""
from __future__ import annotations

from typing import Any

import numpy as np

import tensorlet as tf
from tensorlet.keras import layers, models


def run_layer_test(layer_cls: type, init_kwargs: dict[str, Any], input_shape: tuple[int, ...],
                   expected_output_shape: tuple[Any, ...] | None = None, expected_num_trainable: int | None = None,
                   expected_num_non_trainable: int = 0, input_dtype: str = "float32", training_step: bool = True,
                   call_kwargs: dict[str, Any] | None = None, rtol: float = 1e-5,
                   positional_inputs: bool = False) -> Any:
    """``input_shape`` a list of shapes: a layer with several inputs, called on the list (merge layers) or, with
    ``positional_inputs``, on them as separate arguments (``layer(query, value)``)."""
    rng = np.random.default_rng(0)
    call_kwargs = call_kwargs or {}
    if isinstance(input_shape, list):  # a layer with several inputs
        return _run_multi_input(layer_cls, init_kwargs, input_shape, expected_output_shape, rng, rtol,
                                positional_inputs, call_kwargs, expected_num_trainable,
                                training_step and input_dtype.startswith("float"))
    if input_dtype.startswith("int"):
        x = rng.integers(0, 5, input_shape).astype(input_dtype)
    elif input_dtype == "string":  # words of a small vocabulary (preprocessing layers)
        words = np.array(["the", "cat", "sat", "on", "a", "mat", "dog"], dtype=object)
        x = words[rng.integers(0, len(words), input_shape)]
    else:
        x = rng.standard_normal(input_shape).astype(input_dtype)

    layer = layer_cls(**init_kwargs)
    assert not layer.built
    y = layer(x, **call_kwargs)
    assert layer.built, f"{layer_cls.__name__} is not built after its first call"
    y_np = np.asarray(y)
    shape = layer.compute_output_shape(tuple(input_shape))
    assert tuple(shape) == tuple(y_np.shape), f"compute_output_shape {shape} != actual {y_np.shape}"
    if expected_output_shape is not None:
        assert tuple(y_np.shape) == tuple(expected_output_shape)
    if expected_num_trainable is not None:
        assert len(layer.trainable_weights) == expected_num_trainable
    assert len(layer.non_trainable_weights) == expected_num_non_trainable

    # config round trip: same config, and the same output once weights are copied
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    assert clone.get_config() == {**config, "name": clone.name} or clone.get_config() == config
    clone(x, **call_kwargs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x, **call_kwargs)), y_np, rtol=rtol, atol=1e-6)

    # eager against symbolic: the layer inside a Functional model gives the same values
    inp = layers.Input(shape=input_shape[1:], dtype=input_dtype)
    out = layer(inp, **call_kwargs)
    assert tuple(out.shape)[1:] == tuple(y_np.shape)[1:]
    model = models.Model(inp, out)
    np.testing.assert_allclose(model.predict(x, verbose=0), y_np, rtol=rtol, atol=1e-6)

    if training_step and layer.trainable_weights and input_dtype.startswith("float"):
        _check_training_step(layer_cls, init_kwargs, x, call_kwargs)
    return layer


def _run_multi_input(layer_cls: type, init_kwargs: dict[str, Any], shapes: list[tuple[int, ...]],
                     expected_output_shape: Any, rng: Any, rtol: float, positional: bool = False,
                     call_kwargs: dict[str, Any] | None = None, expected_num_trainable: int | None = None,
                     training_step: bool = False) -> Any:
    call_kwargs = call_kwargs or {}

    def call(layer: Any, xs: Any) -> Any:
        return layer(*xs, **call_kwargs) if positional else layer(xs, **call_kwargs)

    xs = [rng.standard_normal(s).astype("float32") for s in shapes]
    layer = layer_cls(**init_kwargs)
    y = np.asarray(call(layer, xs))
    assert layer.built
    if positional:
        assert tuple(layer.compute_output_shape(*[tuple(s) for s in shapes])) == y.shape
    else:
        assert tuple(layer.compute_output_shape([tuple(s) for s in shapes])) == y.shape
    if expected_output_shape is not None:
        assert y.shape == tuple(expected_output_shape)
    if expected_num_trainable is not None:
        assert len(layer.trainable_weights) == expected_num_trainable
    clone = layer_cls.from_config(layer.get_config())
    call(clone, xs)
    if layer.weights:
        clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(call(clone, xs)), y, rtol=rtol, atol=1e-6)
    inputs = [layers.Input(shape=s[1:]) for s in shapes]
    symbolic = layer_cls(**init_kwargs)
    model = models.Model(inputs, call(symbolic, inputs))
    if layer.weights:
        symbolic.set_weights(layer.get_weights())
    np.testing.assert_allclose(model.predict(xs, verbose=0), y, rtol=rtol, atol=1e-6)
    if training_step and layer.trainable_weights:
        tf.random.set_seed(1)
        head = layers.Dense(1)(layers.Flatten()(call(layer_cls(**init_kwargs), inputs)))
        trained = models.Model(inputs, head)
        trained.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
        target = np.random.default_rng(1).standard_normal((shapes[0][0], 1)).astype("float32")
        before = trained.evaluate(xs, target, verbose=0)
        trained.fit(xs, target, epochs=3, batch_size=shapes[0][0], verbose=0)
        after = trained.evaluate(xs, target, verbose=0)
        assert after < before, f"{layer_cls.__name__}: a training step did not lower the loss ({before} -> {after})"
    return layer


def _check_training_step(layer_cls: type, init_kwargs: dict[str, Any], x: np.ndarray,
                         call_kwargs: dict[str, Any]) -> None:
    tf.random.set_seed(1)
    layer = layer_cls(**init_kwargs)
    inp = layers.Input(shape=x.shape[1:])
    h = layer(inp, **call_kwargs)
    if len(h.shape) > 2:
        h = layers.Flatten()(h)
    out = layers.Dense(1)(h)
    model = models.Model(inp, out)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
    y = np.random.default_rng(1).standard_normal((len(x), 1)).astype("float32")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=3, batch_size=len(x), verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert after < before, f"{layer_cls.__name__}: a training step did not lower the loss ({before} -> {after})"
