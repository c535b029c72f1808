"""Rewrite passes over traced step lists: they return new ops and leave the traced ones untouched."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.autodiff.function import StatefulFunction
from tensorlet.autodiff.plan import trace
from tensorlet.autodiff.tensor import _wrap
from tensorlet.keras import layers, models
from tensorlet.ops import conv as conv_ops
from tensorlet.ops import fusion
from tensorlet.ops import nn as nn_ops


def _dense_step_plan(activation_layer: str, rewrite=None):
    rng = np.random.default_rng(0)
    w = tf.Variable(rng.standard_normal((80, 64)).astype("float32"))
    b = tf.Variable(np.zeros(64, "float32"))
    act = {"relu": tf.nn.relu, "sigmoid": tf.sigmoid, "tanh": tf.tanh}[activation_layer]

    def step(x):
        return [tf.reduce_sum(act(nn_ops.dense(x, w, b)))]

    x = _wrap(backend.asarray(rng.standard_normal((16, 80)).astype("float32")))
    plan, _ = trace(step, [x], [w, b], rewrite=rewrite)
    return plan, x, [w, b]


def test_fuse_activations_makes_one_dense_op_with_the_activation():
    for name in ("relu", "sigmoid", "tanh"):
        unfused, x, variables = _dense_step_plan(name)
        fused, _, _ = _dense_step_plan(name, rewrite=fusion.fuse_activations)
        kinds = [type(f).__name__ for f, _, _ in fused.steps]
        assert kinds.count("Dense") == 1 and len(fused.steps) == len(unfused.steps) - 1
        dense = next(f for f, _, _ in fused.steps if type(f).__name__ == "Dense")
        assert dense.activation == name
        assert all(f.activation is None for f, _, _ in unfused.steps if type(f).__name__ == "Dense")


def test_fused_plan_computes_what_the_unfused_plan_computes():
    for name in ("relu", "sigmoid", "tanh"):
        unfused, x, _ = _dense_step_plan(name)
        fused, _, _ = _dense_step_plan(name, rewrite=fusion.fuse_activations)
        feeds = [backend.asarray(np.random.default_rng(3).standard_normal((16, 80)).astype("float32"))]
        host = backend.to_numpy
        np.testing.assert_allclose(host(fused.run(feeds)[0]), host(unfused.run(feeds)[0]), rtol=1e-5)
        for g, h in zip(fused.run_backward(), unfused.run_backward()):
            np.testing.assert_allclose(host(g), host(h), rtol=1e-5, atol=1e-6)


def test_a_dense_output_read_twice_is_not_fused():
    w = tf.Variable(np.ones((4, 3), "float32"))

    def step(x):
        z = nn_ops.dense(x, w)
        return [tf.reduce_sum(tf.nn.relu(z)) + tf.reduce_sum(z)]

    plan, _ = trace(step, [_wrap(backend.xp().ones((2, 4), "float32"))], [w], rewrite=fusion.fuse_activations)
    assert [type(f).__name__ for f, _, _ in plan.steps].count("Relu") == 1


def test_sink_into_weights_binds_new_ops_and_leaves_the_plan_alone():
    plan, x, variables = _dense_step_plan("relu", rewrite=fusion.fuse_activations)
    arrays = [v._value for v in variables]
    steps, done = fusion.sink_into_weights(plan.steps, plan.var_slots, plan.outputs, arrays)
    assert done == {0, 1}  # the 80x64 kernel is large enough to pay, and its bias goes with it
    sunk = [f for f, _, _ in steps if isinstance(f, fusion.DenseIntoWeights)]
    assert len(sunk) == 1 and sunk[0].sinks[1] is arrays[0]
    assert not any(isinstance(f, fusion.DenseIntoWeights) for f, _, _ in plan.steps)
    assert not hasattr(nn_ops.Dense, "sinks")


def test_linear_plan_adds_the_scaled_gradient_into_the_weights():
    plan, x, variables = _dense_step_plan("tanh", rewrite=fusion.fuse_activations)
    feeds = [x._value]
    plan.run(feeds)
    grads = plan.run_backward()
    before = [v.numpy() for v in variables]
    steps, done = fusion.sink_into_weights(plan.steps, plan.var_slots, plan.outputs, [v._value for v in variables])
    linear = plan.rewritten(steps)
    linear.run(feeds)
    returned = linear.run_backward(backend.asarray(-0.1, np.float32))
    assert returned[0] is None  # taken into the kernel
    np.testing.assert_allclose(variables[0].numpy(), before[0] - 0.1 * backend.to_numpy(grads[0]), rtol=1e-5, atol=1e-6)
    assert returned[1] is None
    np.testing.assert_allclose(variables[1].numpy(), before[1] - 0.1 * backend.to_numpy(grads[1]), rtol=1e-5, atol=1e-7)


def test_stateful_op_takes_effect_in_replays_only():
    counter = tf.Variable(0.0)

    class Count(StatefulFunction):
        def forward(self, x):
            counter._value += 1
            return x

        def peek(self, x):
            return x

    def step(x):
        return [Count()(x * 2.0)]

    plan, result = trace(step, [_wrap(backend.xp().ones(3, "float32"))], [])
    assert float(counter) == 0.0  # tracing recorded the op without its effect
    np.testing.assert_array_equal(result[0].numpy(), [2.0, 2.0, 2.0])
    plan.run([backend.xp().ones(3, "float32")])
    plan.run([backend.xp().ones(3, "float32")])
    assert float(counter) == 2.0
    Count()(tf.constant([1.0]))  # eager
    assert float(counter) == 3.0


def test_sigmoid_dense_runs_one_product_and_its_crossentropy_reads_the_logits():
    model = models.Sequential([layers.Input((5,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = np.random.default_rng(0).standard_normal((8, 5)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model.train_on_batch(x, y)
    plan = next(p for k, p in model._runner.plans.items() if k[0] == "train")
    names = [type(f).__name__ for f, _, _ in plan.steps]
    assert names.count("Dense") == 1 and "SigmoidCrossEntropy" in names


def _conv_pool_plan(separate_relu: bool, rewrite=None, padding="valid", seed=0):
    rng = np.random.default_rng(seed)
    w = tf.Variable(rng.standard_normal((3, 3, 2, 4)).astype("float32"))
    b = tf.Variable(rng.standard_normal(4).astype("float32"))

    def step(x):
        if separate_relu:
            h = tf.nn.relu(conv_ops.conv2d(x, w, bias=b))
        else:
            h = conv_ops.conv2d(x, w, bias=b, activation="relu")
        return [tf.reduce_sum(conv_ops.pool2d(h, 2, 2, padding) ** 2)]

    x = _wrap(backend.asarray(rng.standard_normal((3, 9, 8, 2)).astype("float32")))
    plan, _ = trace(step, [x], [w, b], rewrite=rewrite)
    return plan


def test_fuse_activations_moves_a_relu_before_a_max_pool_into_the_pool():
    for separate in (False, True):
        fused = _conv_pool_plan(separate, fusion.fuse_activations)
        kinds = [type(f).__name__ for f, _, _ in fused.steps]
        assert "Relu" not in kinds
        conv = next(f for f, _, _ in fused.steps if type(f).__name__ == "Conv2D")
        pool = next(f for f, _, _ in fused.steps if type(f).__name__ == "Pool2D")
        assert conv.activation is None and pool.relu


def test_relu_pool_fusion_computes_what_the_pair_computes():
    host = backend.to_numpy
    for separate in (False, True):
        for padding in ("valid", "same"):
            unfused = _conv_pool_plan(separate, padding=padding)
            fused = _conv_pool_plan(separate, fusion.fuse_activations, padding=padding)
            # integers in the input make windows whose maximum is tied or <= 0
            feeds = [backend.asarray(np.random.default_rng(4).integers(-2, 3, (3, 9, 8, 2)).astype("float32"))]
            np.testing.assert_allclose(host(fused.run(feeds)[0]), host(unfused.run(feeds)[0]), rtol=1e-6)
            for g, h in zip(fused.run_backward(), unfused.run_backward()):
                np.testing.assert_allclose(host(g), host(h), rtol=1e-6, atol=1e-6)


def test_a_relu_read_by_an_average_pool_or_twice_is_not_moved():
    w = tf.Variable(np.ones((3, 3, 1, 2), "float32"))

    def avg(x):
        return [tf.reduce_sum(conv_ops.pool2d(conv_ops.conv2d(x, w, activation="relu"), 2, mode="avg"))]

    def twice(x):
        h = tf.nn.relu(conv_ops.conv2d(x, w))
        return [tf.reduce_sum(conv_ops.pool2d(h, 2)) + tf.reduce_sum(h)]

    x = _wrap(backend.xp().ones((1, 6, 6, 1), "float32"))
    plan, _ = trace(avg, [x], [w], rewrite=fusion.fuse_activations)
    assert next(f for f, _, _ in plan.steps if type(f).__name__ == "Conv2D").activation == "relu"
    plan, _ = trace(twice, [x], [w], rewrite=fusion.fuse_activations)
    assert [type(f).__name__ for f, _, _ in plan.steps].count("Relu") == 1
    assert not next(f for f, _, _ in plan.steps if type(f).__name__ == "Pool2D").relu


def _conv_bn_model(use_bias: bool):
    rng = np.random.default_rng(5)
    model = models.Sequential([layers.Input(shape=(9, 8, 3)), layers.Conv2D(6, 3, use_bias=use_bias),
                               layers.BatchNormalization(), layers.Activation("relu"), layers.MaxPooling2D(),
                               layers.Flatten(), layers.Dense(4)])
    bn = model.layers[1]
    for var in (bn.gamma, bn.beta, bn.moving_mean):
        var.assign(rng.standard_normal(6).astype("float32"))
    bn.moving_variance.assign(rng.uniform(0.5, 2.0, 6).astype("float32"))
    if use_bias:
        model.layers[0].bias.assign(rng.standard_normal(6).astype("float32"))
    model.compile(optimizer="adam", loss="mse")
    return model, rng.standard_normal((5, 9, 8, 3)).astype("float32")


def test_predict_folds_a_batch_norm_into_the_convolution_before_it():
    for use_bias in (True, False):
        model, x = _conv_bn_model(use_bias)
        eager = model(x, training=False).numpy()
        np.testing.assert_allclose(model.predict(x, verbose=0), eager, rtol=1e-5, atol=1e-5)
        plan = next(p for k, p in model._runner.plans.items() if k[0] == "predict")
        kinds = [type(f).__name__ for f, _, _ in plan.steps]
        assert "Conv2DScaleShift" in kinds and "Conv2D" not in kinds
        loss = model.evaluate(x, eager, verbose=0)  # the test plan folds too
        assert loss < 1e-9


@pytest.mark.parametrize("cap", [None, 6.0])
@pytest.mark.parametrize("depthwise", [False, True])
def test_predict_folds_the_relu_after_a_batch_norm_too(depthwise, cap):
    rng = np.random.default_rng(9)
    conv = layers.DepthwiseConv2D(3, padding="same", use_bias=False) if depthwise else layers.Conv2D(5, 3, padding="same")
    model = models.Sequential([layers.Input(shape=(6, 7, 5)), conv, layers.BatchNormalization(), layers.ReLU(cap),
                               layers.GlobalAveragePooling2D(), layers.Dense(3)])
    bn = model.layers[1]
    for var in (bn.gamma, bn.beta, bn.moving_mean):
        var.assign(rng.standard_normal(5).astype("float32"))
    x = rng.standard_normal((4, 6, 7, 5)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), model(x, training=False).numpy(), rtol=1e-5, atol=1e-5)
    plan = next(p for k, p in model._runner.plans.items() if k[0] == "predict")
    kinds = [type(f).__name__ for f, _, _ in plan.steps]
    assert "Conv2DScaleShift" in kinds and "Relu" not in kinds and "CappedRelu" not in kinds
    assert next(f for f, _, _ in plan.steps if type(f).__name__ == "Conv2DScaleShift").relu == (cap or np.inf)


def test_a_residual_sum_and_its_relu_become_one_op_where_no_gradient_crosses():
    rng = np.random.default_rng(10)
    inputs = layers.Input(shape=(5, 5, 3))
    block = layers.ReLU()(layers.Add()([inputs, layers.Conv2D(3, 3, padding="same")(inputs)]))
    model = models.Model(inputs, layers.Dense(2)(layers.Flatten()(block)))
    x = rng.standard_normal((4, 5, 5, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), model(x).numpy(), rtol=1e-5, atol=1e-5)
    plan = next(p for k, p in model._runner.plans.items() if k[0] == "predict")
    assert "AddRelu" in [type(f).__name__ for f, _, _ in plan.steps]
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((4, 2), "float32"), verbose=0)  # the conv trains: its sum keeps its own ops
    plan = next(p for k, p in model._runner.plans.items() if k[0] == "train")
    assert "AddRelu" not in [type(f).__name__ for f, _, _ in plan.steps]


def test_training_plans_keep_the_batch_norm_apart():
    model, x = _conv_bn_model(True)
    model.fit(x, np.zeros((5, 4), "float32"), epochs=1, verbose=0)
    plan = next(p for k, p in model._runner.plans.items() if k[0] == "train")
    assert "Conv2DScaleShift" not in [type(f).__name__ for f, _, _ in plan.steps]


def _frozen_base_model():
    """A frozen base (Conv2D -> BatchNormalization -> DepthwiseConv2D -> BatchNormalization -> ReLU6) under a new
    trainable head, as transfer learning builds it; batch-norm statistics random, so that folding them matters."""
    rng = np.random.default_rng(8)
    inputs = layers.Input(shape=(7, 6, 3))
    base = models.Sequential([layers.Input(shape=(7, 6, 3)), layers.Conv2D(4, 3, use_bias=False),
                              layers.BatchNormalization(), layers.DepthwiseConv2D(3, padding="same", use_bias=False),
                              layers.BatchNormalization(), layers.ReLU(6.0)])
    for bn in (base.layers[1], base.layers[3]):
        for var in (bn.gamma, bn.beta, bn.moving_mean):
            var.assign(rng.standard_normal(4).astype("float32"))
        bn.moving_variance.assign(rng.uniform(0.5, 2.0, 4).astype("float32"))
    base.trainable = False
    outputs = layers.Dense(2)(layers.GlobalAveragePooling2D()(base(inputs, training=False)))
    model = models.Model(inputs, outputs)
    return model, rng.standard_normal((6, 7, 6, 3)).astype("float32"), rng.standard_normal((6, 2)).astype("float32")


def test_training_plans_fold_the_batch_norms_of_a_frozen_base_and_train_as_eagerly():
    """No gradient crosses the frozen base: its convolutions (plain and depthwise) take their batch norms in, while
    the head trains to the same weights as an eager run."""
    weights, start = [], None
    for eager in (False, True):
        model, x, y = _frozen_base_model()
        start = start or model.get_weights()
        model.set_weights(start)
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", run_eagerly=eager)
        model.fit(x, y, batch_size=3, epochs=2, shuffle=False, verbose=0)
        weights.append([w.numpy() for w in model.trainable_weights])
        if not eager:
            plan = next(p for k, p in model._runner.plans.items() if k[0] == "train")
            kinds = [type(f).__name__ for f, _, _ in plan.steps]
            assert kinds.count("Conv2DScaleShift") == 2 and "Conv2D" not in kinds and "DepthwiseConv2D" not in kinds
    for got, want in zip(*weights):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_scale_shift_that_is_not_per_channel_runs_as_traced():
    rng = np.random.default_rng(6)
    x, w, a, c = (backend.asarray(rng.standard_normal(shape).astype("float32"))
                  for shape in ((2, 5, 5, 3), (3, 3, 3, 4), (2, 3, 3, 4), (4,)))
    op = fusion.Conv2DScaleShift(conv_ops.Conv2D((1, 1), "valid", (1, 1)), has_bias=False)
    expected = conv_ops.Conv2D((1, 1), "valid", (1, 1)).forward(x, w) * a + c
    np.testing.assert_allclose(backend.to_numpy(op.forward(x, w, a, c)), backend.to_numpy(expected), rtol=1e-6)
    with pytest.raises(RuntimeError, match="no gradient"):
        op.backward(expected)
