"""Permute, RepeatVector, UpSampling1D, ZeroPadding1D and Cropping1D: the layer contract, NumPy references (fixed
cases and hypothesis properties), finite-difference gradients, shapes with unknown dimensions, bad arguments,
and parity with real Keras (Keras 3, and Keras 2's tf_keras) when installed."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensorlet.autodiff.tape import GradientTape
from tensorlet.autodiff.tensor import Variable
from tensorlet.keras import layers, models
from tensorlet.layers.reshaping.sequence import Cropping1D, Permute, RepeatVector, UpSampling1D, ZeroPadding1D
from tests.helpers.layer_contract import run_layer_test
from tests.layers.test_cnn_gradients import _check_layer

SETTINGS = settings(max_examples=25, deadline=None)


def _pad_axis(kwargs: dict[str, Any]) -> int:
    return 2 if kwargs.get("data_format") == "channels_first" else 1


def _pair(v: Any) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else tuple(v)


def _reference(cls: type, kwargs: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """What each layer computes, in NumPy."""
    if cls is Permute:
        return np.transpose(x, (0,) + tuple(kwargs["dims"]))
    if cls is RepeatVector:
        return np.repeat(x[:, None, :], kwargs["n"], axis=1)
    if cls is UpSampling1D:
        return np.repeat(x, kwargs.get("size", 2), axis=1)
    if cls is ZeroPadding1D:
        pads = [(0, 0)] * 3
        pads[_pad_axis(kwargs)] = _pair(kwargs.get("padding", 1))
        return np.pad(x, pads)
    if cls is Cropping1D:
        a, b = _pair(kwargs.get("cropping", (1, 1)))
        return x[:, a:x.shape[1] - b]
    raise AssertionError(cls)


def _kwargs(layer: Any) -> dict[str, Any]:
    config = layer.get_config()
    return {k: v for k, v in config.items() if k not in ("name", "trainable", "dtype")}


# (layer, arguments, input shape, expected output shape)
CASES = [
    (Permute, {"dims": (2, 1)}, (4, 3, 5), (4, 5, 3)),
    (Permute, {"dims": (3, 1, 2)}, (2, 3, 4, 5), (2, 5, 3, 4)),
    (Permute, {"dims": (1, 3, 2)}, (2, 3, 4, 5), (2, 3, 5, 4)),
    (Permute, {"dims": [1]}, (4, 5), (4, 5)),
    (RepeatVector, {"n": 3}, (4, 5), (4, 3, 5)),
    (RepeatVector, {"n": 1}, (2, 3), (2, 1, 3)),
    (UpSampling1D, {}, (4, 3, 2), (4, 6, 2)),
    (UpSampling1D, {"size": 3}, (2, 4, 3), (2, 12, 3)),
    (UpSampling1D, {"size": 1}, (2, 4, 3), (2, 4, 3)),
    (ZeroPadding1D, {}, (4, 3, 2), (4, 5, 2)),
    (ZeroPadding1D, {"padding": (2, 0)}, (4, 3, 2), (4, 5, 2)),
    (ZeroPadding1D, {"padding": (1, 3), "data_format": "channels_first"}, (2, 3, 4), (2, 3, 8)),
    (ZeroPadding1D, {"padding": 0}, (2, 3, 4), (2, 3, 4)),
    (Cropping1D, {}, (4, 5, 2), (4, 3, 2)),
    (Cropping1D, {"cropping": (2, 0)}, (4, 5, 2), (4, 3, 2)),
    (Cropping1D, {"cropping": 2}, (2, 6, 3), (2, 2, 3)),
    (Cropping1D, {"cropping": (0, 4)}, (2, 5, 3), (2, 1, 3)),
]
IDS = [f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape", CASES, ids=IDS)
def test_layer_contract(cls, kwargs, shape, out_shape):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=0)


@pytest.mark.parametrize("cls,kwargs,shape,out_shape", CASES, ids=IDS)
def test_values_match_numpy(cls, kwargs, shape, out_shape):
    x = np.random.default_rng(1).standard_normal(shape).astype("float32")
    y = cls(**kwargs)(x).numpy()
    np.testing.assert_array_equal(y, _reference(cls, kwargs, x))
    assert y.dtype == np.float32


def test_upsampling_repeats_each_step_in_place():
    x = np.array([[[1.0, 10.0], [2.0, 20.0]]], "float32")  # steps a, b become a a a b b b (not a b a b a b)
    expected = [[[1, 10], [1, 10], [1, 10], [2, 20], [2, 20], [2, 20]]]
    np.testing.assert_array_equal(UpSampling1D(3)(x).numpy(), expected)


def test_repeat_vector_copies_the_vector_on_a_new_axis_1():
    x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    np.testing.assert_array_equal(RepeatVector(2)(x).numpy(), [[[1, 2], [1, 2]], [[3, 4], [3, 4]]])


def test_zero_padding_adds_exact_zeros_at_each_end():
    x = np.ones((1, 2, 3), "float32")
    y = ZeroPadding1D((1, 2))(x).numpy()
    assert (y[:, :1] == 0).all() and (y[:, 3:] == 0).all() and (y[:, 1:3] == 1).all()
    y = ZeroPadding1D((2, 1), data_format="channels_first")(x).numpy()  # pads the last axis instead
    assert y.shape == (1, 2, 6) and (y[..., :2] == 0).all() and (y[..., 5:] == 0).all() and (y[..., 2:5] == 1).all()


def test_integer_inputs_keep_their_dtype():
    x = np.arange(24).reshape(2, 3, 4)
    for layer in (Permute((2, 1)), UpSampling1D(2), ZeroPadding1D(1), Cropping1D(1)):
        y = layer(x).numpy()
        assert y.dtype == x.dtype, type(layer).__name__
        np.testing.assert_array_equal(y, _reference(type(layer), _kwargs(layer), x))


# -- hypothesis: random shapes and arguments against NumPy ------------------------------------------------------
small = st.integers(1, 4)


@SETTINGS
@given(data=st.data(), rank=st.integers(1, 4))
def test_permute_matches_numpy_transpose(data, rank):
    shape = (data.draw(small),) + tuple(data.draw(small) for _ in range(rank))
    dims = tuple(data.draw(st.permutations(range(1, rank + 1))))
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    layer = Permute(dims)
    y = layer(x).numpy()
    np.testing.assert_array_equal(y, np.transpose(x, (0,) + dims))
    assert layer.compute_output_shape(shape) == y.shape


@SETTINGS
@given(batch=small, steps=small, features=small, n=st.integers(1, 5))
def test_repeat_vector_and_upsampling_match_numpy_repeat(batch, steps, features, n):
    rng = np.random.default_rng(0)
    v = rng.standard_normal((batch, features)).astype("float32")
    np.testing.assert_array_equal(RepeatVector(n)(v).numpy(), np.repeat(v[:, None], n, axis=1))
    x = rng.standard_normal((batch, steps, features)).astype("float32")
    y = UpSampling1D(n)(x).numpy()
    np.testing.assert_array_equal(y, np.repeat(x, n, axis=1))
    assert UpSampling1D(n).compute_output_shape(x.shape) == y.shape


@SETTINGS
@given(shape=st.tuples(small, st.integers(1, 6), small), start=st.integers(0, 4), end=st.integers(0, 4),
       channels_first=st.booleans())
def test_zero_padding_matches_numpy_pad(shape, start, end, channels_first):
    kwargs = {"padding": (start, end), "data_format": "channels_first" if channels_first else "channels_last"}
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    layer = ZeroPadding1D(**kwargs)
    y = layer(x).numpy()
    np.testing.assert_array_equal(y, _reference(ZeroPadding1D, kwargs, x))
    assert layer.compute_output_shape(shape) == y.shape


@SETTINGS
@given(shape=st.tuples(small, st.integers(1, 8), small), start=st.integers(0, 8), end=st.integers(0, 8))
def test_cropping_matches_numpy_slicing_or_refuses_to_crop_everything(shape, start, end):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    layer = Cropping1D((start, end))
    if start + end >= shape[1]:
        with pytest.raises(ValueError, match="Cropping1D"):
            layer(x)
        return
    y = layer(x).numpy()
    np.testing.assert_array_equal(y, x[:, start:shape[1] - end])
    assert layer.compute_output_shape(shape) == y.shape


# -- gradients ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls,kwargs,shape,out_shape", CASES, ids=IDS)
def test_gradients_match_finite_differences(cls, kwargs, shape, out_shape):
    _check_layer(cls(**kwargs, dtype="float64"), np.random.default_rng(2).standard_normal(shape))


def test_upsampling_gradient_sums_the_copies_of_each_step():
    x = Variable(np.zeros((1, 2, 1)))
    with GradientTape() as tape:
        y = UpSampling1D(3)(x)
    dy = np.arange(6.0).reshape(1, 6, 1)
    (dx,) = tape.gradient(y, [x], output_gradients=dy)
    np.testing.assert_array_equal(dx.numpy(), [[[0 + 1 + 2], [3 + 4 + 5]]])


# -- shapes: unknown dimensions, symbolic use ---------------------------------------------------------------------
UNKNOWN_DIMS = [
    (Permute, {"dims": (2, 1)}, (None, None, 4), (None, 4, None)),
    (Permute, {"dims": (3, 1, 2)}, (None, 3, None, 5), (None, 5, 3, None)),
    (RepeatVector, {"n": 3}, (None, 5), (None, 3, 5)),
    (RepeatVector, {"n": 3}, (None, None), (None, 3, None)),
    (UpSampling1D, {"size": 3}, (None, None, 5), (None, None, 5)),
    (UpSampling1D, {"size": 3}, (None, 4, None), (None, 12, None)),
    (ZeroPadding1D, {"padding": (1, 2)}, (None, None, 5), (None, None, 5)),
    (ZeroPadding1D, {"padding": (1, 2)}, (None, 4, None), (None, 7, None)),
    (ZeroPadding1D, {"padding": (1, 2), "data_format": "channels_first"}, (None, 4, None), (None, 4, None)),
    (ZeroPadding1D, {"padding": (1, 2), "data_format": "channels_first"}, (None, None, 4), (None, None, 7)),
    (Cropping1D, {"cropping": (1, 2)}, (None, None, 5), (None, None, 5)),
    (Cropping1D, {"cropping": (1, 2)}, (None, 4, None), (None, 1, None)),
]


@pytest.mark.parametrize("cls,kwargs,in_shape,out_shape", UNKNOWN_DIMS,
                         ids=[f"{c[0].__name__}-{c[1]}-{c[2]}" for c in UNKNOWN_DIMS])
def test_compute_output_shape_keeps_unknown_dimensions(cls, kwargs, in_shape, out_shape):
    assert cls(**kwargs).compute_output_shape(in_shape) == out_shape
    assert tuple(cls(**kwargs)(layers.Input(in_shape[1:])).shape) == out_shape


def test_functional_model_with_unknown_steps_runs_on_any_length():
    inp = layers.Input((None, 3))
    h = Cropping1D((1, 0))(UpSampling1D(2)(ZeroPadding1D((2, 1))(inp)))
    out = Permute((2, 1))(h)
    assert tuple(out.shape) == (None, 3, None)
    model = models.Model(inp, out)
    for steps in (1, 4):
        x = np.random.default_rng(steps).standard_normal((2, steps, 3)).astype("float32")
        expected = np.transpose(np.repeat(np.pad(x, [(0, 0), (2, 1), (0, 0)]), 2, axis=1)[:, 1:], (0, 2, 1))
        np.testing.assert_array_equal(model.predict(x, verbose=0), expected)


def test_sequential_encoder_decoder_with_repeat_vector_trains():
    model = models.Sequential([layers.Input((6,)), layers.Dense(4), RepeatVector(5), ZeroPadding1D(1),
                               Cropping1D((1, 1)), UpSampling1D(2), Permute((2, 1)), layers.Flatten(),
                               layers.Dense(1)])
    assert model.output_shape == (None, 1)
    x = np.random.default_rng(0).standard_normal((8, 6)).astype("float32")
    y = np.random.default_rng(1).standard_normal((8, 1)).astype("float32")
    model.compile(optimizer="sgd", loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before


# -- config -------------------------------------------------------------------------------------------------------
CONFIGS = [
    (Permute, {"dims": (3, 1, 2)}, {"dims": [3, 1, 2]}),
    (RepeatVector, {"n": 4}, {"n": 4}),
    (UpSampling1D, {"size": 3}, {"size": 3}),
    (ZeroPadding1D, {"padding": 2}, {"padding": [2, 2], "data_format": "channels_last"}),
    (ZeroPadding1D, {"padding": (0, 1), "data_format": "Channels_First"},
     {"padding": [0, 1], "data_format": "channels_first"}),
    (Cropping1D, {"cropping": 2}, {"cropping": [2, 2]}),
    (Cropping1D, {"cropping": (0, 3)}, {"cropping": [0, 3]}),
]


@pytest.mark.parametrize("cls,kwargs,expected", CONFIGS, ids=[f"{c[0].__name__}-{c[1]}" for c in CONFIGS])
def test_get_config_uses_keras_keys_and_round_trips(cls, kwargs, expected):
    layer = cls(**kwargs)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype"} | set(expected)
    assert {k: config[k] for k in expected} == expected
    clone = cls.from_config(config)
    assert clone.get_config() == config


# -- bad arguments and shapes -------------------------------------------------------------------------------------
BAD_ARGUMENTS = [
    (Permute, {"dims": (0, 1)}, ValueError, r"Permute: `dims` must be a permutation of \(1, 2\).*got dims=\(0, 1\)"),
    (Permute, {"dims": (1, 1)}, ValueError, r"Permute: `dims` must be a permutation of \(1, 2\).*got dims=\(1, 1\)"),
    (Permute, {"dims": (2, 3)}, ValueError, r"Permute: `dims` must be a permutation of \(1, 2\).*got dims=\(2, 3\)"),
    (Permute, {"dims": (1, 2.5)}, ValueError, r"Permute: `dims` must be an integer or a tuple of integers, got dims=\(1, 2.5\)"),
    (Permute, {"dims": None}, TypeError, r"Permute: `dims` must be a tuple of ints, got dims=None"),
    (RepeatVector, {"n": 0}, ValueError, r"RepeatVector: `n` must be a positive integer, got n=0"),
    (RepeatVector, {"n": -2}, ValueError, r"RepeatVector: `n` must be a positive integer, got n=-2"),
    (RepeatVector, {"n": 2.5}, ValueError, r"RepeatVector: `n` must be an integer, got n=2.5"),
    (RepeatVector, {"n": "2"}, TypeError, r"RepeatVector: `n` must be an integer, got n='2'"),
    (UpSampling1D, {"size": 0}, ValueError, r"UpSampling1D: `size` must be a positive integer, got size=0"),
    (UpSampling1D, {"size": (2,)}, TypeError, r"UpSampling1D: `size` must be an integer, got size=\(2,\)"),
    (ZeroPadding1D, {"padding": -1}, ValueError, r"ZeroPadding1D: `padding` must be a non-negative int.*padding=-1"),
    (ZeroPadding1D, {"padding": (1, 2, 3)}, ValueError, r"ZeroPadding1D: `padding` .*got padding=\(1, 2, 3\)"),
    (ZeroPadding1D, {"padding": (1, -2)}, ValueError, r"ZeroPadding1D: `padding` .*got padding=\(1, -2\)"),
    (ZeroPadding1D, {"padding": 1.5}, ValueError, r"ZeroPadding1D: `padding` .*got padding=1.5"),
    (ZeroPadding1D, {"padding": "ab"}, ValueError, r"ZeroPadding1D: `padding` .*got padding='ab'"),
    (ZeroPadding1D, {"data_format": "nchw"}, ValueError,
     r"ZeroPadding1D: `data_format` must be 'channels_last' or 'channels_first', got data_format='nchw'"),
    (Cropping1D, {"cropping": -1}, ValueError, r"Cropping1D: `cropping` must be a non-negative int.*got cropping=-1"),
    (Cropping1D, {"cropping": (1, 2, 3)}, ValueError, r"Cropping1D: `cropping` .*got cropping=\(1, 2, 3\)"),
    (Cropping1D, {"cropping": True}, ValueError, r"Cropping1D: `cropping` .*got cropping=True"),
]


@pytest.mark.parametrize("cls,kwargs,error,pattern", BAD_ARGUMENTS,
                         ids=[f"{c[0].__name__}-{c[1]}" for c in BAD_ARGUMENTS])
def test_bad_arguments_raise_naming_the_layer_and_argument(cls, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        cls(**kwargs)


WRONG_RANKS = [
    (Permute, {"dims": (2, 1)}, (2, 3, 4, 5), 3),
    (Permute, {"dims": (3, 1, 2)}, (2, 3, 4), 4),
    (RepeatVector, {"n": 2}, (2, 3, 4), 2),
    (RepeatVector, {"n": 2}, (2,), 2),
    (UpSampling1D, {}, (2, 3), 3),
    (ZeroPadding1D, {}, (2, 3, 4, 5), 3),
    (Cropping1D, {}, (2, 3), 3),
]


@pytest.mark.parametrize("cls,kwargs,shape,ndim", WRONG_RANKS,
                         ids=[f"{c[0].__name__}-{c[1]}-{c[2]}" for c in WRONG_RANKS])
def test_wrong_rank_raises_naming_the_layer_eagerly_and_symbolically(cls, kwargs, shape, ndim):
    layer = cls(**kwargs)
    pattern = rf'layer "{layer.name}" is incompatible .*expected ndim={ndim}, found ndim={len(shape)}'
    with pytest.raises(ValueError, match=pattern):
        layer(np.zeros(shape, "float32"))
    with pytest.raises(ValueError, match=pattern):
        layer(layers.Input(shape[1:]))
    with pytest.raises(ValueError, match=pattern):
        layer.compute_output_shape((None,) + shape[1:])


@pytest.mark.parametrize("cropping,steps", [((2, 1), 3), ((3, 0), 3), (2, 4), ((0, 5), 3)])
def test_cropping_everything_raises_eagerly_symbolically_and_in_shape_inference(cropping, steps):
    pattern = r'\(Cropping1D\): `cropping` \(\d, \d\) removes all \d steps .*fewer than \d steps'
    layer = Cropping1D(cropping)
    with pytest.raises(ValueError, match=pattern):
        layer(np.zeros((2, steps, 4), "float32"))
    with pytest.raises(ValueError, match=pattern):
        layer(layers.Input((steps, 4)))
    with pytest.raises(ValueError, match=pattern):
        layer.compute_output_shape((None, steps, 4))


def test_cropping_with_unknown_steps_is_checked_when_the_model_runs():
    inp = layers.Input((None, 2))
    model = models.Model(inp, Cropping1D((1, 1))(inp))
    assert model.predict(np.zeros((1, 3, 2), "float32"), verbose=0).shape == (1, 1, 2)
    with pytest.raises(ValueError, match=r"Cropping1D.*removes all 2 steps"):
        model.predict(np.zeros((1, 2, 2), "float32"), verbose=0)


# -- parity with real Keras -----------------------------------------------------------------------------------------
def _keras_layer(keras: Any, cls: type, kwargs: dict[str, Any]) -> Any:
    return getattr(keras.layers, cls.__name__)(**kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("cls,kwargs,shape,out_shape", CASES, ids=IDS)
def test_parity_outputs_shapes_and_config_with_keras(cls, kwargs, shape, out_shape):
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(3).standard_normal(shape).astype("float32")
    theirs, ours = _keras_layer(keras, cls, kwargs), cls(**kwargs)
    expected = np.asarray(theirs(x))
    np.testing.assert_array_equal(ours(x).numpy(), expected)
    unknown = (None,) + tuple(None if i % 2 else d for i, d in enumerate(shape[1:]))  # some None dims
    for s in (tuple(shape), unknown, (None,) + tuple(shape[1:])):
        assert ours.compute_output_shape(s) == tuple(theirs.compute_output_shape(s))
    assert tuple(ours(layers.Input(shape[1:])).shape) == tuple(theirs(keras.Input(shape[1:])).shape)
    their_config = theirs.get_config()
    assert set(ours.get_config()) == set(their_config)
    np.testing.assert_array_equal(cls.from_config(their_config)(x).numpy(), expected)  # a Keras config loads


@pytest.mark.parity
@pytest.mark.parametrize("cls,kwargs,shape,out_shape", CASES, ids=IDS)
def test_parity_gradients_with_tensorflow(cls, kwargs, shape, out_shape):
    keras = pytest.importorskip("keras")
    tf_real = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(4)
    x = rng.standard_normal(shape).astype("float32")
    w = rng.standard_normal(out_shape).astype("float32")
    xt = tf_real.Variable(x)
    with tf_real.GradientTape() as tape:
        loss = tf_real.reduce_sum(_keras_layer(keras, cls, kwargs)(xt) * w)
    expected = tape.gradient(loss, xt).numpy()
    xv = Variable(x)
    with GradientTape() as ours:
        y = cls(**kwargs)(xv)
    (dx,) = ours.gradient(y, [xv], output_gradients=w)
    np.testing.assert_allclose(dx.numpy(), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("cls,kwargs", [
    (Permute, {"dims": (0, 1)}), (Permute, {"dims": (1, 1)}), (Permute, {"dims": None}),
    (RepeatVector, {"n": 0}), (UpSampling1D, {"size": -1}),
    (UpSampling1D, {"size": (2,)}), (ZeroPadding1D, {"padding": -1}), (ZeroPadding1D, {"padding": (1, 2, 3)}),
    (ZeroPadding1D, {"padding": 1.5}), (ZeroPadding1D, {"data_format": "nchw"}), (Cropping1D, {"cropping": -1}),
    (Cropping1D, {"cropping": (1, 2, 3)}),
])
def test_parity_keras_rejects_the_same_arguments_with_the_same_exception_type(cls, kwargs):
    keras = pytest.importorskip("keras")
    with pytest.raises((TypeError, ValueError)) as theirs:
        _keras_layer(keras, cls, kwargs)
    with pytest.raises(theirs.type):
        cls(**kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("cls,kwargs,shape,out_shape", [c for c in CASES if "data_format" not in c[1]],
                         ids=[i for i, c in zip(IDS, CASES) if "data_format" not in c[1]])
def test_parity_outputs_with_keras_2(cls, kwargs, shape, out_shape):
    """Keras 2 (tf_keras) has no ``data_format`` on ZeroPadding1D; its configs load here too."""
    k2 = pytest.importorskip("tf_keras")
    x = np.random.default_rng(5).standard_normal(shape).astype("float32")
    theirs = _keras_layer(k2, cls, kwargs)
    expected = np.asarray(theirs(x))
    np.testing.assert_array_equal(cls(**kwargs)(x).numpy(), expected)
    np.testing.assert_array_equal(cls.from_config(theirs.get_config())(x).numpy(), expected)
