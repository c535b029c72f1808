"""The base Optimizer: classic keywords, clipping, learning rate access, state, minimize and the fast path."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.optimizers import SGD, Adam, Optimizer, RMSprop, schedules
from tests.optimizers.hand import GRADS, W0, check, run
from tests.optimizers.test_sgd import sgd_by_hand


# -- Keras 2 keywords ----------------------------------------------------------------------------------------
def test_lr_alias_takes_effect_and_warns():
    with pytest.warns(DeprecationWarning, match="learning_rate") as record:
        opt = SGD(lr=0.5)
    assert record[0].filename == __file__  # points at the caller's line
    assert float(opt.learning_rate) == 0.5
    check(opt, sgd_by_hand(0.5))
    assert not np.allclose(run(SGD())[-1], sgd_by_hand(0.5)[-1])


@pytest.mark.parametrize("cls", [Adam, RMSprop])
def test_lr_alias_works_for_every_optimizer(cls):
    with pytest.warns(DeprecationWarning):
        opt = cls(lr=0.25)
    assert run(opt)[-1].tolist() == run(cls(learning_rate=0.25))[-1].tolist()


def test_classic_decay_is_time_based():
    with pytest.warns(DeprecationWarning, match="decay"):
        opt = SGD(0.1, decay=0.5)
    w, expected = W0.copy(), []
    for k, g in enumerate(GRADS):
        w = w - 0.1 / (1 + 0.5 * k) * g
        expected.append(w)
    check(opt, expected)
    assert SGD.from_config(opt.get_config()).decay == 0.5


def test_unknown_keyword_is_rejected():
    with pytest.raises(ValueError, match="not recognized"):
        SGD(learning_rat=0.1)


# -- clipping ------------------------------------------------------------------------------------------------
def test_clipnorm_clips_each_gradient_to_its_norm():
    clipped = [g * 1.0 / max(np.linalg.norm(g), 1.0) for g in GRADS]
    check(SGD(0.1, clipnorm=1.0), sgd_by_hand(0.1, grads=clipped))


def test_clipvalue_clips_elements():
    check(SGD(0.1, clipvalue=0.5), sgd_by_hand(0.1, grads=[np.clip(g, -0.5, 0.5) for g in GRADS]))


def test_global_clipnorm_scales_all_gradients_together():
    opt = SGD(0.1, global_clipnorm=1.0)
    a, b = tf.Variable([1.0, -2.0, 0.5]), tf.Variable([3.0, 4.0])
    ga, gb = np.array([0.5, -1.0, 2.0], np.float32), np.array([1.0, -1.0], np.float32)
    scale = 1.0 / max(np.sqrt(np.sum(ga.astype(float) ** 2) + np.sum(gb.astype(float) ** 2)), 1.0)
    opt.apply_gradients([(ga, a), (gb, b)])
    np.testing.assert_allclose(a.numpy(), np.array([1.0, -2.0, 0.5]) - 0.1 * scale * ga, rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), np.array([3.0, 4.0]) - 0.1 * scale * gb, rtol=1e-6)


def test_only_one_clipping_option():
    with pytest.raises(ValueError, match="Only one"):
        SGD(clipnorm=1.0, clipvalue=1.0)


def test_loss_scale_factor_unscales_gradients():
    check(SGD(0.1, loss_scale_factor=4.0), sgd_by_hand(0.1, grads=[g / 4 for g in GRADS]))
    assert float(SGD(loss_scale_factor=4.0).scale_loss(tf.constant(2.0))) == 8.0


def test_exclude_from_weight_decay_by_name():
    opt = SGD(0.1, weight_decay=0.5)
    kernel, bias = tf.Variable([1.0], name="kernel"), tf.Variable([1.0], name="bias")
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply_gradients([(np.zeros(1, np.float32), kernel), (np.zeros(1, np.float32), bias)])
    assert kernel.numpy()[0] == pytest.approx(0.95) and bias.numpy()[0] == 1.0


# -- learning rate -------------------------------------------------------------------------------------------
def test_learning_rate_can_be_read_and_set():
    opt = SGD(0.1)
    assert float(opt.learning_rate) == pytest.approx(0.1) and float(opt.lr) == pytest.approx(0.1)
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5
    check(opt, sgd_by_hand(0.5))
    opt.lr = 0.25
    assert float(opt.learning_rate) == 0.25
    opt.learning_rate.assign(0.125)  # Keras 2's K.set_value(opt.lr, x) path
    assert opt.get_config()["learning_rate"] == 0.125


def test_schedule_as_learning_rate_uses_iterations_before_the_update():
    schedule = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = SGD(schedule)
    w, expected = W0.copy(), []
    for k, g in enumerate(GRADS):
        w = w - 0.1 * 0.5 ** k * g
        expected.append(w)
    check(opt, expected)
    assert float(opt.learning_rate) == pytest.approx(0.1 * 0.5 ** 3)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_callable_learning_rate():
    check(SGD(lambda: 0.2), sgd_by_hand(0.2))


# -- state ---------------------------------------------------------------------------------------------------
def test_iterations_counts_steps_and_reads_as_int():
    opt = Adam()
    run(opt)
    assert int(opt.iterations) == 3 and opt.iterations.numpy() == 3


def test_set_weights_restores_state_and_resumes_identically():
    a, b = Adam(0.1), Adam(0.1)
    wa = tf.Variable(W0.astype(np.float32))
    for g in GRADS[:2]:
        a.apply_gradients([(g.astype(np.float32), wa)])
    wb = tf.Variable(wa.numpy())
    b.build([wb])
    b.set_weights(a.get_weights())
    assert [w.shape for w in b.get_weights()] == [w.shape for w in a.get_weights()]
    for opt, w in ((a, wa), (b, wb)):
        opt.apply_gradients([(GRADS[2].astype(np.float32), w)])
    assert wa.numpy().tolist() == wb.numpy().tolist()
    assert int(b.iterations) == 3


def test_set_weights_checks_build_count_and_shapes():
    opt = Adam()
    with pytest.raises(ValueError, match="build"):
        opt.set_weights([])
    opt.build([tf.Variable([1.0, 2.0])])
    with pytest.raises(ValueError, match="state arrays"):
        opt.set_weights([np.array(0)])
    weights = opt.get_weights()
    weights[-1] = np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="shape"):
        opt.set_weights(weights)


def test_variables_order_is_keras3s_interleaved_order():
    opt = Adam()
    opt.build([tf.Variable([1.0], name="a"), tf.Variable([1.0, 2.0], name="b")])
    assert [v.path for v in opt.variables] == ["iteration", "learning_rate", "a_momentum", "a_velocity",
                                                "b_momentum", "b_velocity"]
    assert [v.path for v in opt.legacy_variables()] == ["iteration", "learning_rate", "a_momentum",
                                                        "b_momentum", "a_velocity", "b_velocity"]


@pytest.mark.parametrize("make, expected", [
    (lambda: Adam(amsgrad=True), ["a_momentum", "a_velocity", "b_momentum", "b_velocity", "a_velocity_hat",
                                  "b_velocity_hat"]),
    (lambda: tf.keras.optimizers.RMSprop(momentum=0.5, centered=True),
     ["a_velocity", "b_velocity", "a_momentum", "b_momentum", "a_average_gradient", "b_average_gradient"]),
    (lambda: tf.keras.optimizers.Ftrl(), ["a_accumulator", "a_linear", "b_accumulator", "b_linear"]),
])
def test_variables_order_follows_keras3_build_calls(make, expected):
    opt = make()
    opt.build([tf.Variable([1.0], name="a"), tf.Variable([1.0, 2.0], name="b")])
    assert [v.path for v in opt.variables][2:] == expected


def test_state_has_the_variables_dtype():
    opt = Adam()
    w = tf.Variable(np.ones(3, np.float32))
    opt.apply_gradients([(np.ones(3, np.float64), w)])  # float64 gradient, float32 state
    assert all(v.dtype == tf.float32 for v in opt.variables[1:]) and w.dtype == tf.float32


# -- gradients -----------------------------------------------------------------------------------------------
def test_none_gradients_are_skipped():
    opt = Adam(0.1, weight_decay=0.1)
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    opt.apply_gradients([(np.ones(2, np.float32), a), (None, b)])
    assert b.numpy().tolist() == [3.0] and a.numpy()[0] != 1.0
    with pytest.raises(ValueError, match="No gradients"):
        opt.apply_gradients([(None, a), (None, b)])


def test_gradient_shape_mismatch_is_an_error():
    with pytest.raises(ValueError, match="shape"):
        SGD().apply_gradients([(np.ones(3, np.float32), tf.Variable([1.0, 2.0]))])


def testapply_gradient_arrays_updates_in_place_and_leaves_gradients_alone():
    opt = Adam(0.1)
    w = tf.Variable(W0.astype(np.float32))
    buffer = w._value
    g = backend.asarray(GRADS[0].astype(np.float32))  # the trainer passes arrays of the backend
    if hasattr(g, "setflags"):  # NumPy-backed arrays: a write would raise (CuPy has no read-only arrays)
        g.setflags(write=False)
    opt.apply_gradient_arrays([g], [w])
    assert w._value is buffer and g.tolist() == GRADS[0].astype(np.float32).tolist()
    reference = tf.Variable(W0.astype(np.float32))
    Adam(0.1).apply_gradients([(tf.constant(g), reference)])
    assert w.numpy().tolist() == reference.numpy().tolist()


def test_new_variables_get_state_lazily():
    opt = SGD(0.1, momentum=0.9)
    a, b = tf.Variable([1.0]), tf.Variable([2.0])
    opt.apply_gradients([(np.ones(1, np.float32), a)])
    opt.apply_gradients([(np.ones(1, np.float32), a), (np.ones(1, np.float32), b)])
    assert b.numpy()[0] == pytest.approx(1.9) and len(opt.variables) == 4


def test_constraints_apply_after_the_update():
    w = tf.Variable([1.0, -1.0], constraint=lambda x: tf.clip_by_value(x, -0.5, 0.5))
    SGD(0.1).apply_gradients([(np.array([1.0, 1.0], np.float32), w)])
    assert w.numpy().tolist() == [0.5, -0.5]


# -- minimize ------------------------------------------------------------------------------------------------
def test_minimize_converges_on_a_quadratic():
    target = tf.constant([3.0, -1.0])
    w = tf.Variable([0.0, 0.0])
    opt = Adam(0.1)
    for _ in range(300):
        opt.minimize(lambda: tf.reduce_sum(tf.square(w - target)), [w])
    np.testing.assert_allclose(w.numpy(), [3.0, -1.0], atol=1e-2)


def test_minimize_with_a_tape_and_a_tensor_loss():
    w = tf.Variable(1.0)
    opt = SGD(0.1)
    for _ in range(50):
        with tf.GradientTape() as tape:
            loss = w * w
        opt.minimize(loss, [w], tape=tape)
    assert abs(float(w)) < 1e-4
    with pytest.raises(ValueError, match="tape"):
        opt.minimize(w * w, [w])


# -- EMA and gradient accumulation ---------------------------------------------------------------------------
def test_ema_tracks_the_weights_and_finalize_copies_it():
    opt = SGD(1.0, use_ema=True, ema_momentum=0.5)
    w = tf.Variable([0.0])
    averages = []
    for _ in range(3):
        opt.apply_gradients([(np.array([-1.0], np.float32), w)])  # w = 1, 2, 3
        averages.append(float(opt.variables[2].numpy()[0]))
    assert averages == [1.0, 1.5, 2.25]
    opt.finalize_variable_values([w])
    assert w.numpy()[0] == 2.25


def test_gradient_accumulation_applies_the_mean_every_n_steps():
    opt = SGD(1.0, gradient_accumulation_steps=2)
    w = tf.Variable([0.0])
    opt.apply_gradients([(np.array([1.0], np.float32), w)])
    assert w.numpy()[0] == 0.0
    opt.apply_gradients([(np.array([3.0], np.float32), w)])
    assert w.numpy()[0] == -2.0 and int(opt.iterations) == 1


# -- subnormals ----------------------------------------------------------------------------------------------
def test_decaying_state_never_goes_subnormal():
    opt = Adam()
    w = tf.Variable(np.ones(4, np.float32))
    opt.apply_gradients([(np.ones(4, np.float32), w)])
    opt.get_slot(w, "momentum").assign(np.full(4, 1e-30, np.float32))
    for _ in range(300):  # zero gradients: m shrinks by 0.9 per step
        opt.apply_gradient_arrays([backend.xp().zeros(4, np.float32)], [w])
    m = opt.get_slot(w, "momentum").numpy()
    tiny = np.finfo(np.float32).tiny
    assert np.all((m == 0) | (np.abs(m) >= tiny))


# -- Keras 3 style subclasses --------------------------------------------------------------------------------
def test_user_subclass_with_update_step():
    class SignDescent(Optimizer):
        def build(self, var_list):
            if self.built:
                return
            super().build(var_list)
            self.counts = [self.add_variable_from_reference(v, "count") for v in var_list]

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, tf.sign(gradient) * learning_rate)
            self.assign_add(self.counts[self._get_variable_index(variable)], tf.ones_like(gradient))

    opt = SignDescent(learning_rate=0.5)
    w = tf.Variable([1.0, -1.0])
    opt.apply_gradients([(np.array([2.0, -3.0], np.float32), w)])
    assert w.numpy().tolist() == [0.5, -0.5] and opt.counts[0].numpy().tolist() == [1.0, 1.0]
    assert len(opt.variables) == 3


def test_clipping_and_accumulation_keep_each_variables_gradient():
    a, b = tf.Variable([0.0, 0.0]), tf.Variable([0.0, 0.0])
    ga, gb = np.array([3.0, 4.0], np.float32), np.array([-6.0, 8.0], np.float32)
    SGD(1.0, clipnorm=1.0).apply_gradients([(ga, a), (gb, b)])
    np.testing.assert_allclose(a.numpy(), [-0.6, -0.8], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [0.6, -0.8], rtol=1e-6)
    opt = SGD(1.0, gradient_accumulation_steps=2)
    for _ in range(2):
        opt.apply_gradients([(ga, a), (gb, b)])
    np.testing.assert_allclose(a.numpy(), [-3.6, -4.8], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [6.6, -8.8], rtol=1e-6)


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_copied_optimizer_keeps_its_state_with_its_variables(how):
    import copy
    import pickle

    opt = Adam(0.1)
    w = tf.Variable(W0.astype(np.float32))
    for g in GRADS[:2]:
        opt.apply_gradients([(g.astype(np.float32), w)])
    w2, opt2 = pickle.loads(pickle.dumps((w, opt))) if how == "pickle" else copy.deepcopy((w, opt))
    for o, v in ((opt, w), (opt2, w2)):
        o.apply_gradients([(GRADS[2].astype(np.float32), v)])
    assert w2.numpy().tolist() == w.numpy().tolist()
    assert [a.tolist() for a in opt2.get_weights()] == [a.tolist() for a in opt.get_weights()]
    assert len(opt2.variables) == len(opt.variables)
