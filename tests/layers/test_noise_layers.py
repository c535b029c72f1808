"""GaussianNoise, GaussianDropout, AlphaDropout and SpatialDropout1D: the layer contract, inference identity,
training statistics against the formulas, seeds, fresh noise in replayed training steps, finite-difference
gradients with the noise held fixed, bad arguments, and parity with real Keras (Keras 3, and Keras 2's tf_keras).

Statistical tolerances are 6 standard errors of the estimate (for a sample std, sigma / sqrt(2N); for a mean,
sigma / sqrt(N); for a proportion, sqrt(p (1 - p) / N)): a correct layer misses by chance with probability below
1e-8 on any seed, while the plausible mistakes (no square root in GaussianDropout's stddev, scaling by 1 / (1 - rate)
in AlphaDropout, a wrong alpha') move the statistics by tens of standard errors or more.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.autodiff.tape import GradientTape
from tensorlet.autodiff.tensor import Variable
from tensorlet.keras import layers, models
from tensorlet.layers.regularization import noise
from tensorlet.layers.regularization.noise import (
    AdditiveGaussianNoise,
    AlphaDropout,
    AlphaDropoutMask,
    GaussianDropout,
    GaussianNoise,
    MultiplicativeGaussianNoise,
)
from tensorlet.layers.regularization.spatial_dropout import SpatialDropout1D
from tests.helpers.layer_contract import run_layer_test

SETTINGS = settings(max_examples=25, deadline=None)
K = 6.0  # standard errors allowed (see the module docstring)
N_ROWS, N_COLS = 400, 500  # 200,000 values per statistical sample
ALPHA_PRIME = -1.7580993408473766  # -SELU_SCALE * SELU_ALPHA: the value dropped units take in Keras 2 and 3


def test_alpha_prime_is_selu_negative_saturation():
    assert noise.ALPHA_PRIME == ALPHA_PRIME


def _affine(rate: float) -> tuple[float, float]:
    """AlphaDropout's (a, b), written out independently of the layer."""
    a = ((1 - rate) * (1 + rate * ALPHA_PRIME ** 2)) ** -0.5
    return a, -a * ALPHA_PRIME * rate


def _normal_sample(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((N_ROWS, N_COLS)).astype("float32")


LAYERS = [
    (GaussianNoise, {"stddev": 0.5}, (4, 5)),
    (GaussianNoise, {"stddev": 0.1, "seed": 3}, (2, 3, 4)),
    (GaussianDropout, {"rate": 0.3}, (4, 5)),
    (GaussianDropout, {"rate": 0.5, "seed": 1}, (2, 3, 4)),
    (AlphaDropout, {"rate": 0.2}, (4, 5)),
    (AlphaDropout, {"rate": 0.4, "noise_shape": (None, 1, 4), "seed": 2}, (2, 3, 4)),
    (SpatialDropout1D, {"rate": 0.5}, (4, 3, 5)),
    (SpatialDropout1D, {"rate": 0.2, "seed": 7}, (2, 6, 3)),
]
IDS = [f"{c[0].__name__}-{i}" for i, c in enumerate(LAYERS)]
ONE_EACH = [(GaussianNoise, {"stddev": 0.3}), (GaussianDropout, {"rate": 0.3}), (AlphaDropout, {"rate": 0.3}),
            (SpatialDropout1D, {"rate": 0.3})]
ONE_IDS = [c[0].__name__ for c in ONE_EACH]


# -- contract, inference, shapes and dtypes ------------------------------------------------------------------------
@pytest.mark.parametrize("cls,kwargs,shape", LAYERS, ids=IDS)
def test_layer_contract(cls, kwargs, shape):
    run_layer_test(cls, kwargs, shape, expected_output_shape=shape, expected_num_trainable=0)


@pytest.mark.parametrize("cls,kwargs,shape", LAYERS, ids=IDS)
@pytest.mark.parametrize("training", [None, False])
def test_inference_is_identity(cls, kwargs, shape, training):
    x = np.random.default_rng(1).standard_normal(shape).astype("float32")
    np.testing.assert_array_equal(cls(**kwargs)(x, training=training).numpy(), x)
    assert cls(**kwargs).compute_output_shape((None,) + shape[1:]) == (None,) + shape[1:]


@pytest.mark.parametrize("cls,kwargs", [(GaussianNoise, {"stddev": 0.0}), (GaussianDropout, {"rate": 0.0}),
                                        (AlphaDropout, {"rate": 0.0}), (SpatialDropout1D, {"rate": 0.0})])
def test_zero_noise_is_identity_in_training(cls, kwargs):
    x = np.random.default_rng(2).standard_normal((3, 4, 5)).astype("float32")
    np.testing.assert_array_equal(cls(**kwargs)(x, training=True).numpy(), x)


@pytest.mark.parametrize("cls,kwargs,shape", LAYERS, ids=IDS)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_output_and_gradient_keep_the_input_dtype(cls, kwargs, shape, dtype):
    x = Variable(np.random.default_rng(3).standard_normal(shape).astype(dtype))
    with GradientTape() as tape:
        y = cls(**kwargs, dtype=dtype)(x, training=True)
    assert y.numpy().dtype == np.dtype(dtype)
    assert tape.gradient(y, x).numpy().dtype == np.dtype(dtype)


def test_integer_inputs_become_the_layer_float_dtype():
    x = tf.constant(np.arange(12).reshape(3, 4), dtype="int32")
    y = GaussianNoise(0.5, seed=0)(x, training=True).numpy()
    assert y.dtype == np.float32 and not np.array_equal(y, np.arange(12).reshape(3, 4))


# -- training statistics -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stddev", [0.1, 0.5, 2.0])
def test_gaussian_noise_adds_zero_mean_noise_of_stddev(stddev):
    x = _normal_sample()
    n = GaussianNoise(stddev, seed=0)(x, training=True).numpy().astype("float64") - x
    assert abs(n.mean()) < K * stddev / math.sqrt(n.size)
    assert abs(n.std() - stddev) < K * stddev / math.sqrt(2 * n.size)


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_gaussian_dropout_multiplies_by_one_centred_noise(rate):
    ones = np.ones((N_ROWS, N_COLS), "float32")
    n = GaussianDropout(rate, seed=0)(ones, training=True).numpy().astype("float64")
    s = math.sqrt(rate / (1 - rate))
    assert abs(n.mean() - 1) < K * s / math.sqrt(n.size)
    assert abs(n.std() - s) < K * s / math.sqrt(2 * n.size)


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5, 0.8])
def test_alpha_dropout_keeps_mean_and_variance_with_two_affine_values(rate):
    x = _normal_sample()
    y = AlphaDropout(rate, seed=0)(x, training=True).numpy().astype("float64")
    a, b = _affine(rate)
    dropped = np.isclose(y, a * ALPHA_PRIME + b, rtol=0, atol=1e-6)
    assert np.all(dropped | np.isclose(y, a * x + b, rtol=1e-6, atol=1e-6))  # a x + b (kept) or a alpha' + b
    assert abs(dropped.mean() - rate) < K * math.sqrt(rate * (1 - rate) / y.size)
    assert abs(y.mean()) < K / math.sqrt(y.size)  # unit variance, so the mean's standard error is 1 / sqrt(N)
    centred = y - y.mean()
    se_var = math.sqrt(np.mean(centred ** 4) - np.var(y) ** 2) / math.sqrt(y.size)
    assert abs(y.var() - 1) < K * se_var


def test_alpha_dropout_noise_shape_shares_the_mask():
    x = np.random.default_rng(4).uniform(0.1, 1.0, (50, 6, 40)).astype("float32")  # kept values > b > dropped
    y = AlphaDropout(0.5, noise_shape=(None, 1, None), seed=0)(x, training=True).numpy()
    a, b = _affine(0.5)
    dropped = y < b
    assert np.all(dropped == dropped[:, :1, :])
    assert 0.4 < dropped.mean() < 0.6
    np.testing.assert_allclose(y[dropped], a * ALPHA_PRIME + b, rtol=1e-6)


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_spatial_dropout_1d_drops_whole_channels(rate):
    batch, steps, channels = 1000, 3, 200  # 200,000 mask values
    y = SpatialDropout1D(rate, seed=0)(np.ones((batch, steps, channels), "float32"), training=True).numpy()
    assert np.all(y == y[:, :1, :])  # one value per (sample, channel), shared over the steps
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / (1 - rate)], rtol=1e-6)
    frac = float(np.mean(y[:, 0, :] == 0))
    assert abs(frac - rate) < K * math.sqrt(rate * (1 - rate) / (batch * channels))


def test_spatial_dropout_1d_needs_rank_3_inputs():
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        SpatialDropout1D(0.5)(np.ones((2, 3), "float32"))


# -- hypothesis properties -----------------------------------------------------------------------------------------
shapes3 = st.tuples(st.integers(1, 4), st.integers(1, 5), st.integers(1, 5))


@SETTINGS
@given(shape=shapes3, rate=st.floats(0.05, 0.95), seed=st.integers(0, 2**16))
def test_alpha_dropout_outputs_are_the_two_affine_values(shape, rate, seed):
    x = np.random.default_rng(seed).uniform(0.0, 2.0, shape)  # x >= 0 keeps a x + b above a alpha' + b
    y = AlphaDropout(rate, seed=seed, dtype="float64")(tf.constant(x, dtype="float64"), training=True).numpy()
    a, b = _affine(rate)
    kept = y >= b
    np.testing.assert_allclose(y[kept], a * x[kept] + b, rtol=1e-12)
    np.testing.assert_allclose(y[~kept], a * ALPHA_PRIME + b, rtol=1e-12)


@SETTINGS
@given(shape=shapes3, rate=st.floats(0.05, 0.95), seed=st.integers(0, 2**16))
def test_spatial_dropout_1d_mask_is_constant_over_steps(shape, rate, seed):
    x = np.random.default_rng(seed).uniform(0.5, 1.5, shape).astype("float32")
    ratio = SpatialDropout1D(rate, seed=seed)(x, training=True).numpy() / x
    assert np.all(np.isclose(ratio, ratio[:, :1, :], rtol=1e-6))
    assert np.all(np.isclose(ratio, 0) | np.isclose(ratio, 1 / (1 - rate), rtol=1e-5))


@SETTINGS
@given(rate=st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.0), st.just(math.nan)))
def test_rates_outside_zero_one_are_rejected(rate):
    for cls in (GaussianDropout, AlphaDropout):
        with pytest.raises(ValueError, match=rf"{cls.__name__}: .*`rate`.*\[0, 1\).*Received: rate="):
            cls(rate)
    with pytest.raises(ValueError, match="`rate`"):
        SpatialDropout1D(rate)


# -- seeds and fresh noise -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls,kwargs,shape", LAYERS, ids=IDS)
def test_seed_reproduces_the_noise_sequence(cls, kwargs, shape):
    x = np.random.default_rng(5).uniform(0.5, 1.5, (8,) + shape[1:]).astype("float32")  # 24+ mask values
    args = {**kwargs, "seed": 11}
    run1, run2 = ([layer(x, training=True).numpy() for _ in range(3)] for layer in (cls(**args), cls(**args)))
    np.testing.assert_array_equal(np.stack(run1), np.stack(run2))
    assert not np.array_equal(run1[0], run1[1])  # fresh noise per call
    assert not np.array_equal(cls(**{**kwargs, "seed": 12})(x, training=True).numpy(), run1[0])


@pytest.mark.parametrize("cls,kwargs", ONE_EACH, ids=ONE_IDS)
def test_unseeded_layers_follow_the_global_seed(cls, kwargs):
    x = np.ones((4, 6, 8), "float32")
    tf.random.set_seed(21)
    y1 = cls(**kwargs)(x, training=True).numpy()
    tf.random.set_seed(21)
    y2 = cls(**kwargs)(x, training=True).numpy()
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(cls(**kwargs)(x, training=True).numpy(), y2)


def _noisy_model(layer: Any) -> Any:
    inp = layers.Input((4, 16))
    model = models.Model(inp, layers.Dense(1, kernel_initializer="ones", use_bias=False)(layers.Flatten()(layer(inp))))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse")
    return model


@pytest.mark.parametrize("cls,kwargs", ONE_EACH, ids=ONE_IDS)
def test_replayed_training_steps_draw_fresh_noise(cls, kwargs):
    """The traced train step is replayed; with weights frozen (SGD(0)) and one fixed batch, the loss changes only
    if the noise is redrawn by the replay."""
    x, y = np.ones((8, 4, 16), "float32"), np.zeros((8, 1), "float32")
    model = _noisy_model(cls(**kwargs, seed=0))
    losses = [float(model.train_on_batch(x, y)) for _ in range(4)]
    runner = model._runner
    assert not runner.eager and all(p is not None for k, p in runner.plans.items() if k[0] == "train")
    assert len(set(losses)) >= 3, losses  # frozen noise would give one value (a discrete mask may repeat once)

    class BatchLosses(tf.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs["loss"])

    seen: list[float] = []
    model = _noisy_model(cls(**kwargs))
    model.fit(np.ones((32, 4, 16), "float32"), np.zeros((32, 1), "float32"), batch_size=8, epochs=1, shuffle=False,
              verbose=0, callbacks=[BatchLosses()])
    assert len(seen) == 4 and np.ptp(seen) > 1e-3 * np.mean(seen), seen  # identical batches, different noise


@pytest.mark.parametrize("cls,kwargs", ONE_EACH, ids=ONE_IDS)
def test_fit_trains_and_predict_is_deterministic(cls, kwargs):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((64, 4, 3)).astype("float32")
    y = x.reshape(64, -1).sum(1, keepdims=True)
    model = models.Sequential([layers.Input((4, 3)), cls(**kwargs, seed=1), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)
    assert np.all(np.isfinite(history.history["loss"])) and model.evaluate(x, y, verbose=0) < before
    p1, p2 = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(p1, p2)
    kernel, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(p1, x.reshape(64, -1) @ kernel + bias, rtol=1e-5, atol=1e-5)  # no noise


# -- gradients with the noise held fixed ---------------------------------------------------------------------------
FUNCTIONS = [
    ("AdditiveGaussianNoise", lambda: AdditiveGaussianNoise(0.7, np.random.default_rng(0))),
    ("MultiplicativeGaussianNoise", lambda: MultiplicativeGaussianNoise(0.6, np.random.default_rng(0))),
    ("AlphaDropoutMask", lambda: AlphaDropoutMask(0.4, np.random.default_rng(0))),
    ("AlphaDropoutMask-noise_shape", lambda: AlphaDropoutMask(0.5, np.random.default_rng(0), (None, 1, None))),
]


@pytest.mark.parametrize("name,make", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_noise_functions_gradcheck(name, make):
    x = np.random.default_rng(8).standard_normal((3, 4, 5))

    def f(xv: Any) -> Any:  # a fresh generator with the same seed per evaluation: the same noise every time
        return make()(xv) * xv  # times x, so that the gradient also depends on where x is

    assert not np.allclose(make()(Variable(x)).numpy(), x)  # the noise is really there
    gradcheck(f, [x], name=name)


@pytest.mark.parametrize("cls,kwargs", ONE_EACH, ids=ONE_IDS)
def test_layer_gradcheck_with_a_fixed_seed(cls, kwargs):
    x = np.random.default_rng(9).standard_normal((2, 4, 6))

    def f(xv: Any) -> Any:  # a fresh seeded layer per evaluation draws the same noise
        return cls(**kwargs, seed=3, dtype="float64")(xv, training=True)

    assert not np.allclose(f(Variable(x)).numpy(), x)
    gradcheck(f, [x], name=cls.__name__)


# -- bad arguments and config --------------------------------------------------------------------------------------
@pytest.mark.parametrize("stddev", [-0.1, math.nan, math.inf, "0.1", None, True])
def test_bad_stddev_is_rejected(stddev):
    with pytest.raises(ValueError, match=r"GaussianNoise: .*`stddev`.*finite float >= 0.*Received: stddev="):
        GaussianNoise(stddev)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.5", None, True])
@pytest.mark.parametrize("cls", [GaussianDropout, AlphaDropout])
def test_bad_rate_is_rejected(cls, rate):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: .*`rate`.*\[0, 1\).*Received: rate={rate!r}"):
        cls(rate)


@pytest.mark.parametrize("cls,kwargs,shape", LAYERS, ids=IDS)
def test_config_round_trips(cls, kwargs, shape):
    layer = cls(**kwargs)
    config = layer.get_config()
    for key, value in kwargs.items():
        assert config[key] == value
    assert cls.from_config(config).get_config() == config


# -- parity with real Keras ----------------------------------------------------------------------------------------
KERAS = ["keras", "tf_keras"]


@pytest.mark.parity
@pytest.mark.parametrize("module", KERAS)
@pytest.mark.parametrize("cls,kwargs", ONE_EACH, ids=ONE_IDS)
def test_parity_inference_and_config(module, cls, kwargs):
    keras = pytest.importorskip(module)
    theirs = getattr(keras.layers, cls.__name__)(**kwargs, seed=4)
    ours = cls(**kwargs, seed=4)
    x = np.random.default_rng(10).standard_normal((3, 4, 5)).astype("float32")
    for training in (None, False):
        np.testing.assert_array_equal(ours(x, training=training).numpy(), np.asarray(theirs(x, training=training)))
    assert tuple(theirs.compute_output_shape((None, 4, 5))) == ours.compute_output_shape((None, 4, 5))
    their_config, our_config = theirs.get_config(), ours.get_config()
    if module == "keras":
        assert set(our_config) == set(their_config)
    else:  # tensorlet writes Keras 3's keys; Keras 2 omits AlphaDropout's noise_shape and adds SpatialDropout1D's
        # unused noise_shape and trainable, which load here all the same
        assert set(their_config) ^ set(our_config) <= {"noise_shape", "trainable"}
    (key, value), = kwargs.items()
    loaded = cls.from_config(their_config)  # a Keras config loads here...
    assert loaded.get_config()[key] == value and loaded.seed == 4
    back = getattr(keras.layers, cls.__name__).from_config(our_config)  # ...and ours loads in Keras
    assert back.get_config()[key] == value and back.get_config()["seed"] == 4


def _stats(cls: type, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The statistics each layer is defined by, from one training-mode output (float64)."""
    if cls is GaussianNoise:
        n = y - x
        return np.array([n.mean(), n.std()])
    if cls is GaussianDropout:
        return np.array([y.mean(), y.std()])  # x = 1, so y is the noise
    if cls is AlphaDropout:  # kept values a x + b are all distinct; the dropped ones share one value
        values, counts = np.unique(y, return_counts=True)
        return np.array([y.mean(), y.var(), counts.max() / y.size, values[np.argmax(counts)]])
    return np.array([np.mean(y[:, 0, :] == 0), y.max()])  # SpatialDropout1D, x = 1: drop fraction and scale


@pytest.mark.parity
@pytest.mark.parametrize("module", KERAS)
@pytest.mark.parametrize("cls,kwargs", ONE_EACH, ids=ONE_IDS)
def test_parity_training_statistics(module, cls, kwargs):
    """Not the random values (the generators differ) but their statistics. The difference of two independent
    estimates has sqrt(2) times one estimate's standard error, so 6 sqrt(2) / sqrt(200k) ~ 0.019 covers every
    statistic here (all have a standard deviation of at most 1); AlphaDropout's dropped value agrees to 1e-6."""
    keras = pytest.importorskip(module)
    shape = (1000, 3, 200) if cls is SpatialDropout1D else (N_ROWS, N_COLS)
    x = np.ones(shape, "float32") if cls in (GaussianDropout, SpatialDropout1D) else _normal_sample(1)
    theirs = np.asarray(getattr(keras.layers, cls.__name__)(**kwargs, seed=4)(x, training=True))
    ours = cls(**kwargs, seed=4)(x, training=True).numpy()
    assert theirs.dtype == ours.dtype == np.float32 and theirs.shape == ours.shape
    s_ours, s_theirs = _stats(cls, ours.astype("float64"), x), _stats(cls, theirs.astype("float64"), x)
    np.testing.assert_allclose(s_ours, s_theirs, atol=0.019)
    if cls is AlphaDropout:
        assert abs(s_ours[-1] - s_theirs[-1]) < 1e-6


@pytest.mark.parity
@pytest.mark.parametrize("module", KERAS)
@pytest.mark.parametrize("cls,kwargs", ONE_EACH[1:], ids=ONE_IDS[1:])
def test_parity_gradient_structure_with_tensorflow(module, cls, kwargs):
    """dx given the noise: GaussianDropout's dx is y / x, AlphaDropout's is a or 0 (where y = a x + b or the
    dropped value), SpatialDropout1D's is 1 / (1 - rate) or 0, in TensorFlow as here."""
    keras = pytest.importorskip(module)
    tf_real = pytest.importorskip("tensorflow")
    if module == "keras" and keras.backend.backend() != "tensorflow":
        pytest.skip("Keras 3 runs on another backend than TensorFlow")
    x = np.random.default_rng(11).uniform(0.5, 1.5, (20, 6, 10)).astype("float32")
    xt = tf_real.Variable(x)
    with tf_real.GradientTape() as tape:
        y_theirs = getattr(keras.layers, cls.__name__)(**kwargs, seed=5)(xt, training=True)
    dx_theirs = tape.gradient(y_theirs, xt).numpy()
    xv = Variable(x)
    with GradientTape() as ours_tape:
        y_ours = cls(**kwargs, seed=5)(xv, training=True)
    dx_ours = ours_tape.gradient(y_ours, xv).numpy()
    for y, dx in ((np.asarray(y_theirs), dx_theirs), (y_ours.numpy(), dx_ours)):
        if cls is GaussianDropout:
            np.testing.assert_allclose(dx * x, y, rtol=1e-5, atol=1e-6)
        else:
            a = _affine(kwargs["rate"])[0] if cls is AlphaDropout else 1 / (1 - kwargs["rate"])
            np.testing.assert_allclose(np.unique(np.round(dx, 5)), [0.0, round(a, 5)], atol=1e-5)
