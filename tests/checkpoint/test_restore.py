"""Restore-on-create: values for variables that do not exist yet are restored when they are created (a subclassed
model before its first call, an unbuilt Sequential, a fresh optimizer before its first step)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, optimizers

X = np.random.default_rng(0).normal(size=(16, 3)).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)


def step(model, opt, x=X, y=Y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))


class Net(models.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


@pytest.mark.parametrize("make_opt", [lambda: optimizers.Adam(0.05), lambda: optimizers.SGD(0.05, momentum=0.9),
                                      lambda: optimizers.RMSprop(0.01), lambda: optimizers.Nadam(0.01)])
def test_fresh_optimizer_takes_the_same_next_step(tmp_path, make_opt):
    model, opt = Net(), make_opt()
    for _ in range(3):
        step(model, opt)
    path = tf.train.Checkpoint(model=model, optimizer=opt).save(str(tmp_path / "c"))
    step(model, opt)  # the step the restored pair must repeat
    expected = [w.numpy() for w in model.weights]

    model2, opt2 = Net(), make_opt()
    status = tf.train.Checkpoint(model=model2, optimizer=opt2).restore(path)
    assert not model2.weights and not opt2.built  # nothing exists yet: every value waits
    with pytest.raises(AssertionError, match="Unresolved"):
        status.assert_consumed()
    model2(X[:1])  # the first call builds the layers: their weights are restored on creation
    assert int(opt2.iterations) == 3
    step(model2, opt2)  # the optimizer's slots are created, then restored, before the update
    for a, b in zip(expected, model2.weights):
        np.testing.assert_allclose(b.numpy(), a, rtol=1e-6, atol=1e-7)
    status.assert_consumed()


def test_subclassed_model_is_restored_at_its_first_call(tmp_path):
    model = Net()
    model(X)
    path = tf.train.Checkpoint(net=model).write(str(tmp_path / "c"))
    fresh = Net()
    status = tf.train.Checkpoint(net=fresh).read(path)
    status.assert_existing_objects_matched()  # nothing exists yet, so nothing is unmatched
    np.testing.assert_allclose(fresh(X).numpy(), model(X).numpy(), rtol=1e-6)
    status.assert_consumed()


def test_unbuilt_sequential_is_restored_through_layer_edges(tmp_path):
    model = models.Sequential([layers.Dense(4), layers.Dense(1)])
    model(X)
    path = tf.train.Checkpoint(m=model).write(str(tmp_path / "c"))
    fresh = models.Sequential([layers.Dense(4), layers.Dense(1)])
    tf.train.Checkpoint(m=fresh).read(path)
    fresh.build((None, 3))
    np.testing.assert_allclose(fresh(X).numpy(), model(X).numpy(), rtol=1e-6)


def test_restored_weights_reach_a_traced_function(tmp_path):
    model = Net()
    model(X)
    path = tf.train.Checkpoint(net=model).write(str(tmp_path / "c"))
    other = Net()
    predict = tf.function(lambda x: other(x))
    before = predict(X).numpy()
    tf.train.Checkpoint(net=other).read(path)  # restored in place: the traced plan sees the new values
    after = predict(X).numpy()
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, model(X).numpy(), rtol=1e-6)


def test_fit_after_restore_uses_the_restored_optimizer_state(tmp_path):
    def make():
        m = models.Sequential([layers.Input((3,)), layers.Dense(1)])
        m.compile(optimizer=optimizers.Adam(0.05), loss="mse")
        return m

    model = make()
    model.fit(X, Y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    path = tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(str(tmp_path / "c"))
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    fresh = make()
    tf.train.Checkpoint(model=fresh, optimizer=fresh.optimizer).read(path).assert_existing_objects_matched()
    fresh.fit(X, Y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_allclose(fresh.get_weights()[0], model.get_weights()[0], rtol=1e-5)


def test_values_left_unrestored_are_logged_unless_expected(tmp_path, caplog):
    import gc

    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(2.0)).write(str(tmp_path / "c"))
    with caplog.at_level("WARNING", logger="tensorflow"):
        status = tf.train.Checkpoint(a=tf.Variable(0.0)).read(path)
        del status
        gc.collect()
    assert "unrestored values: (root).b" in caplog.text and "expect_partial" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="tensorflow"):
        status = tf.train.Checkpoint(a=tf.Variable(0.0)).read(path).expect_partial()
        del status
        gc.collect()
    assert caplog.text == ""
