"""tf.function: traced once per signature, replayed after; training steps, assignments and metrics replay too."""
from __future__ import annotations

import collections
import threading
import warnings

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models


def test_traces_once_per_signature_and_python_side_effects_happen_while_tracing():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return tf.reduce_sum(x * x)

    assert float(f(tf.constant([1.0, 2.0]))) == 5.0
    assert float(f(tf.constant([3.0, 4.0]))) == 25.0  # new values, same signature: replayed
    assert len(calls) == 1 and f.experimental_get_tracing_count() == 1
    f(tf.constant([1.0, 2.0, 3.0]))  # a new shape
    f(tf.constant([1, 2]))  # a new dtype
    assert f.experimental_get_tracing_count() == 3


def test_python_arguments_are_part_of_the_signature():
    @tf.function
    def f(x, power):
        return x ** power

    assert float(f(tf.constant(3.0), 2)) == 9.0
    assert float(f(tf.constant(3.0), 3)) == 27.0
    assert float(f(tf.constant(2.0), 2)) == 4.0
    assert f.experimental_get_tracing_count() == 2


def test_numpy_arguments_are_fed_not_frozen():
    @tf.function
    def f(x):
        return x + 1.0

    np.testing.assert_allclose(f(np.array([1.0, 2.0])).numpy(), [2.0, 3.0])
    np.testing.assert_allclose(f(np.array([5.0, 6.0])).numpy(), [6.0, 7.0])
    assert f.experimental_get_tracing_count() == 1
    assert f(np.array([1.0])).dtype == tf.float32  # NumPy floats become float32 tensors, as in TF


def test_input_signature_with_none_batch_traces_once_for_every_batch_size():
    @tf.function(input_signature=[tf.TensorSpec(shape=(None, 3), dtype=tf.float32)])
    def f(x):
        return tf.reduce_sum(x, axis=1) * 2.0

    for n in (1, 4, 9):
        x = np.arange(3 * n, dtype=np.float32).reshape(n, 3)
        np.testing.assert_allclose(f(x).numpy(), x.sum(1) * 2)
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(ValueError, match="input_signature"):
        f(np.zeros((2, 4), np.float32))


def test_nested_structures_in_and_out():
    @tf.function
    def f(d, pair):
        return {"sum": d["a"] + d["b"], "pair": (pair[0] * 2.0, "label")}

    out = f({"a": tf.constant(1.0), "b": tf.constant(2.0)}, (tf.constant(3.0), None))
    assert float(out["sum"]) == 3.0 and float(out["pair"][0]) == 6.0 and out["pair"][1] == "label"


def _data(seed=0, n=32):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 6)).astype("float32"), rng.integers(0, 3, n)


@pytest.mark.parametrize("make_opt", [lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
                                      lambda: tf.keras.optimizers.Adam(0.01)])
def test_a_gradient_tape_training_step_replays_exactly_as_eager(make_opt):
    model = models.Sequential([layers.Input((6,)), layers.Dense(16, activation="relu"),
                               layers.BatchNormalization(), layers.Dense(3)])
    ref = models.clone_model(model)
    ref.set_weights(model.get_weights())
    opt, ref_opt = make_opt(), make_opt()
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    acc, ref_acc = tf.keras.metrics.SparseCategoricalAccuracy(), tf.keras.metrics.SparseCategoricalAccuracy()
    mean = tf.keras.metrics.Mean()

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        acc.update_state(y, logits)
        mean(loss)
        return loss

    losses, ref_losses = [], []
    for i in range(6):
        x, y = _data(i)
        losses.append(float(step(x, y)))
        with tf.GradientTape() as tape:
            logits = ref(x, training=True)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, ref.trainable_variables)
        ref_opt.apply_gradients(zip(grads, ref.trainable_variables))
        ref_acc.update_state(y, logits)
        ref_losses.append(float(loss))
    assert step.experimental_get_tracing_count() == 1
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-5)
    for a, b in zip(model.get_weights(), ref.get_weights()):  # incl. BatchNorm's moving statistics, once a step
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(opt.iterations) == 6
    assert float(acc.result()) == pytest.approx(float(ref_acc.result()))
    assert float(mean.result()) == pytest.approx(np.mean(ref_losses), rel=1e-5)


def test_gradients_with_respect_to_an_input_are_recomputed():
    @tf.function
    def grad_of_square(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x * x * x)
        return tape.gradient(y, x)

    np.testing.assert_allclose(grad_of_square(tf.constant([1.0, 2.0])).numpy(), [3.0, 12.0])
    np.testing.assert_allclose(grad_of_square(tf.constant([3.0, -1.0])).numpy(), [27.0, 3.0])
    assert grad_of_square.experimental_get_tracing_count() == 1


def test_assignments_happen_on_every_call_and_not_while_tracing():
    counter = tf.Variable(0)
    total = tf.Variable(0.0)

    @tf.function
    def f(x):
        counter.assign_add(1)
        total.assign(total + tf.reduce_sum(x))
        return total.read_value()

    assert float(f(tf.constant([1.0, 2.0]))) == 3.0
    assert float(f(tf.constant([4.0, 0.0]))) == 7.0
    assert int(counter) == 2 and f.experimental_get_tracing_count() == 1


def test_a_value_read_back_to_python_runs_the_function_eagerly_after_one_warning():
    @tf.function
    def f(x):
        if float(tf.reduce_sum(x)) > 0:
            return x * 2.0
        return x * -1.0

    with pytest.warns(UserWarning, match="runs eagerly"):
        assert f(tf.constant([1.0])).numpy().tolist() == [2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(tf.constant([-1.0])).numpy().tolist() == [1.0]  # right, and no second warning


def test_dropout_draws_new_masks_on_every_call():
    drop = layers.Dropout(0.5)

    @tf.function
    def f(x):
        return drop(x, training=True)

    x = tf.ones((1000,))
    a, b = f(x).numpy(), f(x).numpy()
    assert not np.array_equal(a, b) and f.experimental_get_tracing_count() == 1


def test_nested_traced_functions_are_inlined():
    @tf.function
    def inner(x):
        return x * 3.0

    @tf.function
    def outer(x):
        return inner(x) + 1.0

    assert float(outer(tf.constant(2.0))) == 7.0
    assert float(outer(tf.constant(3.0))) == 10.0
    assert inner.experimental_get_tracing_count() == 0


def test_methods_are_traced_per_instance():
    class Scaler(tf.Module if hasattr(tf, "Module") else object):
        def __init__(self, k):
            self.k = tf.Variable(k)

        @tf.function
        def __call__(self, x):
            return x * self.k

    a, b = Scaler(2.0), Scaler(5.0)
    assert float(a(tf.constant(1.0))) == 2.0 and float(b(tf.constant(1.0))) == 5.0
    b.k.assign(6.0)
    assert float(b(tf.constant(1.0))) == 6.0


def test_returning_a_variable_returns_a_snapshot():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f():
        return v

    out = f()
    v.assign([5.0, 5.0])
    assert out.numpy().tolist() == [1.0, 2.0]


def test_get_concrete_function_and_python_function():
    def square(x):
        return x * x

    f = tf.function(square, input_signature=[tf.TensorSpec([None], tf.float32)])
    concrete = f.get_concrete_function()
    assert float(concrete(tf.constant([3.0]))[0]) == 9.0
    assert f.python_function is square and f.experimental_get_tracing_count() == 1
    g = tf.function(square)
    g.get_concrete_function(tf.TensorSpec([2], tf.float32))
    assert g.experimental_get_tracing_count() == 1


def test_get_concrete_function_reads_specs_inside_namedtuples_and_dicts():
    Pair = collections.namedtuple("Pair", "left right")

    def combine(p, d):
        return p.left * 2.0 + p.right + d["scale"]

    f = tf.function(combine)
    concrete = f.get_concrete_function(Pair(tf.TensorSpec([3], tf.float32), tf.TensorSpec([3], tf.float32)),
                                       {"scale": tf.TensorSpec([], tf.float32)})
    out = concrete(Pair(tf.constant([1.0, 2.0, 3.0]), tf.ones(3)), {"scale": tf.constant(10.0)})
    np.testing.assert_allclose(out.numpy(), [13.0, 15.0, 17.0])
    assert f.experimental_get_tracing_count() == 1


def test_run_functions_eagerly_runs_the_python_every_time():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x + 1.0

    from tensorlet.autodiff.traced_function import run_functions_eagerly

    run_functions_eagerly(True)
    try:
        f(tf.constant(1.0))
        f(tf.constant(2.0))
    finally:
        run_functions_eagerly(False)
    assert len(calls) == 2


def test_decorator_arguments_of_tensorflow_are_accepted():
    @tf.function(jit_compile=True, reduce_retracing=True, experimental_relax_shapes=True, autograph=False)
    def f(x):
        return x * 2.0

    for n in (2, 3, 4):
        assert f(tf.ones((n, 2))).shape == (n, 2)
    assert f.experimental_get_tracing_count() == 1


def test_two_threads_calling_one_traced_function_get_their_own_results():
    w = tf.Variable(np.ones((8, 8), "float32"))

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.matmul(x, w) ** 2)
        return tape.gradient(y, w)

    xs = [np.full((4, 8), k, np.float32) for k in (1.0, 2.0)]
    expected = [f(x).numpy() for x in xs]
    results: list = [None, None]

    def run(i):
        for _ in range(50):
            results[i] = f(xs[i]).numpy()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    for got, want in zip(results, expected):
        np.testing.assert_array_equal(got, want)


def test_custom_gradient_replays_in_a_traced_function():
    @tf.custom_gradient
    def scaled_identity(x):
        def grad(dy):
            return dy * 0.5
        return tf.identity(x) * 1.0, grad

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(scaled_identity(x) * x)
        return y, tape.gradient(y, x)

    for values in ([1.0, 2.0], [3.0, -1.0]):
        y, g = f(tf.constant(values))
        assert float(y) == pytest.approx(sum(v * v for v in values))
        np.testing.assert_allclose(g.numpy(), [1.5 * v for v in values])  # 0.5 x + x
    assert f.experimental_get_tracing_count() == 1


def test_input_signature_of_a_method_leaves_self_out():
    class Counter(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)

        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def add(self, x):
            self.v.assign_add(x)
            return self.v.read_value()

    c = Counter()
    assert float(c.add(2.0)) == 3.0 and float(c.add(tf.constant(1.5))) == 4.5  # a Python float takes the spec
    assert Counter.add.experimental_get_tracing_count() == 1


def test_python_values_returned_become_tensors_as_in_tensorflow():
    @tf.function
    def simple_relu(x):
        if tf.greater(x, 0):  # read back: the function runs eagerly (after a warning)
            return x
        return 0

    with pytest.warns(UserWarning, match="runs eagerly"):
        assert simple_relu(tf.constant(1)).numpy() == 1
    assert simple_relu(tf.constant(-1)).numpy() == 0

    @tf.function
    def pair(x):
        return x * 2, 3.5

    out = pair(tf.constant(1.0))
    assert isinstance(out[1], tf.Tensor) and float(out[1]) == 3.5


def test_string_tensors_through_a_traced_function():
    @tf.function
    def double(a):
        return a + a

    assert double(tf.constant("a")).numpy() == b"aa"
    assert double(tf.constant("bc")).numpy() == b"bcbc"


def test_a_tape_outside_differentiates_through_the_call_as_it_does_eagerly():
    # silent wrong result before: a replayed plan was invisible to an outer tape, and every gradient was None
    w = tf.Variable([[0.5, -1.0], [2.0, 0.25]])
    b = tf.Variable([0.1, -0.2])

    def f(x, scale):
        return tf.reduce_sum(tf.tanh(tf.matmul(x, w) + b) * scale)

    traced = tf.function(f)
    x = tf.constant([[1.0, 2.0], [-0.5, 0.3], [0.7, -1.1]])
    scale = tf.constant(1.5)
    with tf.GradientTape(persistent=True) as eager_tape:
        eager_tape.watch(x)
        expected = f(x, scale)
    for _ in range(3):  # the first call and the calls that would replay a plan
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = traced(x, scale)
        np.testing.assert_allclose(float(y), float(expected), rtol=1e-6)
        for target in (w, b, x):
            got, want = tape.gradient(y, target), eager_tape.gradient(expected, target)
            assert got is not None
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_a_traced_keras_model_call_is_differentiable_from_outside():
    model = models.Sequential([layers.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    call = tf.function(model)
    x = tf.constant(np.random.default_rng(0).standard_normal((5, 3)).astype("float32"))
    call(x)  # traced and replayed once without a tape
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(call(x)))
    grads = tape.gradient(loss, model.trainable_variables)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x)))
    for got, want in zip(grads, tape.gradient(loss, model.trainable_variables)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
