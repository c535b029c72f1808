"""PReLU, ELU, ThresholdedReLU and Dot: the layer contract, values against NumPy, finite-difference gradients,
bad arguments, and parity with real Keras (Keras 3; Keras 2's tf_keras for ThresholdedReLU) when installed."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers
from tests.helpers.layer_contract import run_layer_test
from tests.layers.test_cnn_gradients import _check_layer

CASES = [
    (layers.PReLU, {}, (4, 5), (4, 5), 1),
    (layers.PReLU, {"alpha_initializer": "ones", "shared_axes": [1, 2]}, (4, 3, 3, 2), (4, 3, 3, 2), 1),
    (layers.PReLU, {"alpha_regularizer": "l2", "shared_axes": 1}, (4, 3, 2), (4, 3, 2), 1),
    (layers.ELU, {}, (4, 5), (4, 5), 0),
    (layers.ELU, {"alpha": 0.5}, (4, 2, 3), (4, 2, 3), 0),
    (layers.ThresholdedReLU, {"theta": 0.3}, (4, 5), (4, 5), 0),
    (layers.Dot, {"axes": 1}, [(4, 3), (4, 3)], (4, 1), 0),
    (layers.Dot, {"axes": 2, "normalize": True}, [(4, 2, 3), (4, 5, 3)], (4, 2, 5), 0),
    (layers.Dot, {"axes": (1, 2)}, [(4, 3, 2), (4, 5, 3)], (4, 2, 5), 0),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_trainable", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_layer_contract(cls, kwargs, shape, out_shape, n_trainable):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=n_trainable)


def test_prelu_values_and_alpha_shape():
    x = np.random.default_rng(0).standard_normal((3, 2, 4)).astype("float32")
    layer = layers.PReLU(shared_axes=[1])
    layer.build(x.shape)
    assert layer.alpha.shape == (1, 4) and layer.alpha.path == f"{layer.name}/alpha"
    alpha = np.array([[0.1, -0.5, 2.0, 0.0]], dtype="float32")
    layer.set_weights([alpha])
    np.testing.assert_allclose(layer(x).numpy(), np.where(x >= 0, x, alpha * x), rtol=1e-6)
    assert np.all(layers.PReLU()(x).numpy() == np.maximum(x, 0))  # alpha starts at zero: a ReLU


def test_elu_and_thresholded_relu_values():
    x = np.linspace(-3, 3, 25, dtype="float32").reshape(5, 5)
    np.testing.assert_allclose(layers.ELU(alpha=0.7)(x).numpy(), np.where(x > 0, x, 0.7 * np.expm1(x)), rtol=1e-6)
    y = layers.ThresholdedReLU(theta=0.5)(x).numpy()
    np.testing.assert_array_equal(y, np.where(x > 0.5, x, 0.0))
    assert layers.ThresholdedReLU()(np.array([[1.0, 1.5]], "float32")).numpy().tolist() == [[0.0, 1.5]]


def _dot_reference(a, b, ka, kb, normalize):
    if normalize:
        a = a / np.sqrt(np.maximum((a * a).sum(ka, keepdims=True), 1e-12))
        b = b / np.sqrt(np.maximum((b * b).sum(kb, keepdims=True), 1e-12))
    out = np.stack([np.tensordot(a[i], b[i], axes=(ka - 1, kb - 1)) for i in range(len(a))])
    return out.reshape(len(a), 1) if out.ndim == 1 else out


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("axes,sa,sb", [(1, (3, 4), (3, 4)), (2, (3, 2, 4), (3, 5, 4)), ((1, 1), (3, 4, 2), (3, 4, 5)),
                                        ((2, 1), (3, 2, 4, 3), (3, 4, 2)), (-1, (2, 3, 4), (2, 5, 4))])
def test_dot_matches_tensordot_per_sample(axes, sa, sb, normalize):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    ka, kb = [ax % len(s) for ax, s in zip(axes if isinstance(axes, tuple) else (axes, axes), (sa, sb))]
    got = layers.Dot(axes, normalize=normalize)([tf.constant(a), tf.constant(b)]).numpy()
    np.testing.assert_allclose(got, _dot_reference(a, b, ka, kb, normalize), rtol=1e-10, atol=1e-12)
    assert layers.Dot(axes).compute_output_shape([(None,) + sa[1:], (None,) + sb[1:]]) == (None,) + got.shape[1:]


@pytest.mark.parametrize("normalize", [False, True])
def test_dot_gradients(normalize):
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))
    gradcheck(lambda u, v: layers.Dot(2, normalize=normalize)([u, v]), [a, b], name=f"Dot(normalize={normalize})")


def test_prelu_gradients():
    x = np.random.default_rng(3).standard_normal((3, 2, 4))
    x[np.abs(x) < 0.05] = 0.3  # away from the kink at 0
    _check_layer(layers.PReLU(shared_axes=[1], dtype="float64"), x, ("alpha",))


@pytest.mark.parametrize("layer", [layers.ELU(alpha=0.6, dtype="float64"),
                                   layers.ThresholdedReLU(theta=0.2, dtype="float64")], ids=["ELU", "ThresholdedReLU"])
def test_elementwise_activation_gradients(layer):
    x = np.random.default_rng(4).standard_normal((4, 3))
    x[np.abs(x - 0.2) < 0.05] = 0.8  # away from the threshold
    x[np.abs(x) < 0.05] = -0.4
    _check_layer(layer, x)


def test_bad_arguments_name_the_layer_and_argument():
    with pytest.raises(ValueError, match="PReLU.*shared_axes.*\\[1, 2\\]"):
        layers.PReLU(shared_axes=[3])(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="theta must be a number >= 0"):
        layers.ThresholdedReLU(theta=-1)
    with pytest.raises(ValueError, match="axes must be an int or a pair"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="same size; got 3 .* and 5"):
        layers.Dot(axes=1)([np.zeros((2, 3, 4), "float32"), np.zeros((2, 5, 4), "float32")])
    with pytest.raises(ValueError, match="axis 0 is not a non-batch axis"):
        layers.Dot(axes=0)([np.zeros((2, 3), "float32"), np.zeros((2, 3), "float32")])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Dot(axes=1)([np.zeros((2, 3), "float32")] * 3)


def test_dot_in_a_functional_model_with_unknown_lengths():
    a, b = layers.Input((None, 4)), layers.Input((None, 4))
    model = tf.keras.Model([a, b], layers.Dot(2)([a, b]))
    out = model.predict([np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")], verbose=0)
    np.testing.assert_array_equal(out, np.full((2, 3, 5), 4.0))


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", [("PReLU", {"alpha_initializer": "random_normal", "shared_axes": [1]}),
                                         ("ELU", {"alpha": 0.4})])
def test_parity_with_keras(name, kwargs):
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(5).standard_normal((3, 2, 4)).astype("float32")
    theirs, ours = getattr(keras.layers, name)(**kwargs), getattr(layers, name)(**kwargs)
    theirs(x), ours(x)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-6, atol=1e-7)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours_config, their_config = ours.get_config(), theirs.get_config()
    assert set(their_config) - {"dtype"} <= set(ours_config)
    getattr(layers, name).from_config({k: v for k, v in their_config.items() if k != "dtype"})


@pytest.mark.parity
@pytest.mark.parametrize("axes,normalize,sa,sb", [(1, True, (3, 4), (3, 4)), (2, False, (3, 2, 4), (3, 5, 4)),
                                                  ((1, 1), True, (3, 4, 2, 3), (3, 4, 5))])
def test_dot_parity_with_keras(axes, normalize, sa, sb):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal(sa).astype("float32"), rng.standard_normal(sb).astype("float32")
    theirs = np.asarray(keras.layers.Dot(axes, normalize=normalize)([a, b]))
    np.testing.assert_allclose(layers.Dot(axes, normalize=normalize)([a, b]).numpy(), theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_thresholded_relu_parity_with_keras_2():
    k2 = pytest.importorskip("tf_keras")
    x = np.random.default_rng(7).standard_normal((4, 5)).astype("float32")
    theirs = k2.layers.ThresholdedReLU(theta=0.3)
    np.testing.assert_array_equal(layers.ThresholdedReLU(theta=0.3)(x).numpy(), np.asarray(theirs(x)))
    assert layers.ThresholdedReLU.from_config(theirs.get_config()).theta == pytest.approx(0.3)


def test_dot_normalize_small_and_zero_vectors():
    a = np.array([[1e-3, 0.0, 0.0], [0.0, 0.0, 0.0]], "float32")
    b = np.array([[2.0, 0.0, 0.0], [1.0, 1.0, 0.0]], "float32")
    out = layers.Dot(1, normalize=True)([a, b]).numpy()
    np.testing.assert_allclose(out, [[1.0], [0.0]], rtol=1e-5)  # cosine 1 for a tiny vector; 0, not NaN, for zero
