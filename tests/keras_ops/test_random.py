"""keras.random: Keras 3's seed semantics (an int seed repeats, a SeedGenerator advances, set_random_seed makes
unseeded draws reproducible), the distributions' shapes, dtypes and moments, dropout's gradient, and replays in
tf.function drawing anew."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras
from tensorlet.keras import random


def test_integer_seed_repeats_the_same_draw():
    a, b = random.normal((3,), seed=5), random.normal((3,), seed=5)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), random.normal((3,), seed=6).numpy())


def test_seed_generator_advances_and_reproduces():
    g1, g2 = random.SeedGenerator(42), random.SeedGenerator(42)
    first = [random.uniform((4,), seed=g1).numpy() for _ in range(3)]
    second = [random.uniform((4,), seed=g2).numpy() for _ in range(3)]
    assert not np.array_equal(first[0], first[1])
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert random.SeedGenerator.from_config(g1.get_config()).get_config() == {"seed": 42}
    assert int(g1.state.numpy()[1]) == 3


def test_set_random_seed_makes_unseeded_draws_reproducible():
    keras.utils.set_random_seed(123)
    a = [random.normal((2,)).numpy(), random.randint((3,), 0, 10).numpy()]
    keras.utils.set_random_seed(123)
    b = [random.normal((2,)).numpy(), random.randint((3,), 0, 10).numpy()]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], random.normal((2,)).numpy())


def test_distributions_have_their_shapes_dtypes_and_moments():
    n = 20000
    x = random.normal((n,), mean=2.0, stddev=3.0, seed=1).numpy()
    assert x.dtype == np.float32 and abs(x.mean() - 2) < 0.1 and abs(x.std() - 3) < 0.1
    u = random.uniform((n,), minval=-1, maxval=3, seed=1).numpy()
    assert u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1) < 0.05
    t = random.truncated_normal((n,), seed=1).numpy()
    assert np.abs(t).max() <= 2 and abs(t.std() - 0.88) < 0.03
    i = random.randint((n,), 2, 5, seed=1).numpy()
    assert i.dtype == np.int32 and set(np.unique(i)) == {2, 3, 4}
    g = random.gamma((n,), alpha=3.0, seed=1).numpy()
    assert abs(g.mean() - 3) < 0.1
    b = random.beta((n,), alpha=2.0, beta=6.0, seed=1).numpy()
    assert abs(b.mean() - 0.25) < 0.01
    k = random.binomial((n,), counts=10.0, probabilities=0.3, seed=1).numpy()
    assert k.dtype == np.float32 and abs(k.mean() - 3) < 0.1
    c = random.categorical(np.log([[0.1, 0.9]]), 5000, seed=1).numpy()
    assert c.shape == (1, 5000) and c.dtype == np.int32 and abs(c.mean() - 0.9) < 0.03
    assert random.normal((2, 3), dtype="float64", seed=0).dtype == "float64"


def test_uniform_refuses_integer_dtypes_and_seeds_are_checked():
    with pytest.raises(ValueError, match="randint"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="seed must be None, an integer or a keras.random.SeedGenerator"):
        random.normal((2,), seed="abc")
    with pytest.raises(ValueError, match="maxval"):
        random.randint((2,), 3, 3)


def test_dropout_scales_kept_entries_and_passes_their_gradient():
    x = tf.Variable(np.ones((1000,), np.float32))
    with tf.GradientTape() as tape:
        y = random.dropout(x, 0.25, seed=3)
    values = y.numpy()
    assert np.allclose(np.unique(values), [0.0, 1 / 0.75])
    assert 0.2 < (values == 0).mean() < 0.3
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), values)
    shaped = random.dropout(np.ones((4, 5), np.float32), 0.5, noise_shape=(None, 1), seed=1).numpy()
    assert all(len(set(row)) == 1 for row in shaped)  # one decision per row


def test_shuffle_permutes_along_an_axis():
    x = np.arange(12.0).reshape(3, 4)
    s = random.shuffle(x, axis=1, seed=2).numpy()
    assert sorted(s[0].tolist()) == x[0].tolist() and (s - x[:, :1] == s[0] - x[0, 0]).all()  # rows permuted alike
    assert sorted(random.shuffle(x, seed=2).numpy()[:, 0].tolist()) == [0.0, 4.0, 8.0]


def test_traced_functions_draw_anew_on_each_replay():
    gen = random.SeedGenerator(7)

    @tf.function
    def noisy(x):
        return x + random.normal((3,), seed=gen), x + random.normal((3,)), x + random.normal((3,), seed=1)

    outs = [[o.numpy() for o in noisy(tf.zeros(3))] for _ in range(3)]
    assert noisy.experimental_get_tracing_count() == 1
    assert not np.array_equal(outs[0][0], outs[1][0]) and not np.array_equal(outs[1][1], outs[2][1])
    np.testing.assert_array_equal(outs[0][2], outs[2][2])  # an int seed repeats, traced or not
    eager = random.SeedGenerator(7)
    first = random.normal((3,), seed=eager).numpy()
    np.testing.assert_array_equal(outs[0][0], first)  # the trace itself did not advance the generator


@pytest.mark.parity
def test_shapes_and_dtypes_match_keras():
    real = pytest.importorskip("keras")
    calls = [("normal", ((2, 3),), {}), ("uniform", ((4,),), {"dtype": "float64"}), ("randint", ((3,), 0, 5), {}),
             ("truncated_normal", ((2,),), {}), ("gamma", ((3,), 2.0), {}), ("beta", ((3,), 2.0, 3.0), {}),
             ("binomial", ((3,), 5.0, 0.5), {}), ("categorical", (np.zeros((2, 3), np.float32), 4), {})]
    for name, args, kwargs in calls:
        ours = getattr(random, name)(*args, seed=1, **kwargs)
        theirs = getattr(real.random, name)(*args, seed=1, **kwargs)
        assert tuple(ours.shape) == tuple(theirs.shape), name
        assert ours.dtype.name == real.backend.standardize_dtype(theirs.dtype), name
