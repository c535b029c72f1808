"""Config <-> object: every spelling each family accepts (names, aliases, Keras 2 and Keras 3 config dicts,
classes, instances, callables), functions in configs, and objects rebuilt through the registry."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import activations, constraints, initializers, losses, metrics, optimizers, regularizers
from tensorlet.keras import layers, saving


def plain(x):
    return x


@pytest.mark.parametrize("spec,cls,name", [
    ("mse", losses.MeanSquaredError, "mean_squared_error"), ("MSE", losses.MeanSquaredError, "mean_squared_error"),
    ("mean_squared_error", losses.MeanSquaredError, "mean_squared_error"), ("huber", losses.Huber, "huber"),
    ("huber_loss", losses.Huber, "huber_loss"), ("kld", losses.KLDivergence, "kl_divergence"),
    ("MeanAbsoluteError", losses.MeanAbsoluteError, "mean_absolute_error"),
    (losses.CategoricalHinge, losses.CategoricalHinge, "categorical_hinge"),
    ({"class_name": "Huber", "config": {"delta": 2.0}}, losses.Huber, "huber_loss"),
    ({"module": "keras.losses", "class_name": "Huber", "config": {"delta": 2.0}, "registered_name": None},
     losses.Huber, "huber_loss")])
def test_losses_get_keeps_every_spelling(spec, cls, name):
    loss = losses.get(spec)
    assert type(loss) is cls and loss.name == name


def test_losses_get_passes_instances_and_functions_and_gives_functions_for_function_configs():
    huber = losses.Huber()
    assert losses.get(huber) is huber and losses.get(plain) is plain and losses.get(None) is None
    assert losses.get({"module": "builtins", "class_name": "function", "config": "mse",
                       "registered_name": "function"}) is losses.mean_squared_error
    assert losses.serialize(losses.mean_squared_error) == "mean_squared_error"
    assert losses.deserialize(losses.serialize(losses.Huber(delta=2.0))).get_config()["delta"] == 2.0


@pytest.mark.parametrize("spec,cls,name", [
    ("acc", metrics.Accuracy, "acc"), ("accuracy", metrics.Accuracy, "accuracy"),
    ("mse", metrics.MeanSquaredError, "mse"), ("MeanSquaredError", metrics.MeanSquaredError, "mean_squared_error"),
    ("auc", metrics.AUC, "auc"), ({"class_name": "Precision", "config": {"name": "p"}}, metrics.Precision, "p"),
    (metrics.Recall, metrics.Recall, "recall")])
def test_metrics_get_keeps_every_spelling(spec, cls, name):
    metric = metrics.get(spec)
    assert type(metric) is cls and metric.name == name


def test_metrics_get_wraps_functions_and_a_bare_wrapper_round_trips_with_its_function():
    wrapped = metrics.get(plain)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "plain"
    config = metrics.serialize(metrics.MeanMetricWrapper(plain, name="half"))
    assert config["config"]["fn"] == "plain"
    with saving.custom_object_scope({"plain": plain}):
        again = metrics.deserialize(config)
    assert again.fn is plain and again.name == "half"
    with pytest.raises(ValueError, match="Unknown metric function: 'plain'"):
        metrics.deserialize(config)
    builtin = metrics.deserialize({"class_name": "MeanMetricWrapper", "config": {"name": "acc2", "fn": "auc"}})
    assert type(builtin) is metrics.AUC and builtin.name == "acc2"


def test_loss_function_wrapper_round_trips_with_its_function():
    config = losses.serialize(losses.LossFunctionWrapper(plain, name="mine"))
    assert config["config"]["fn"] == "plain"
    again = losses.deserialize(config, custom_objects={"plain": plain})
    assert again.fn is plain and again.name == "mine"


@pytest.mark.parametrize("spec,expected", [
    ("l1", {"l1": 0.01}), ("l2", {"l2": 0.01}), ("l1_l2", {"l1": 0.01, "l2": 0.01}), ("L1L2", {"l1": 0.0, "l2": 0.0}),
    ({"class_name": "L2", "config": {"l2": 0.5}}, {"l2": 0.5}),
    ({"module": "keras.regularizers", "class_name": "L1", "config": {"l1": 0.5}, "registered_name": None},
     {"l1": 0.5})])
def test_regularizers_get_keeps_every_spelling(spec, expected):
    assert regularizers.get(spec).get_config() == expected


def test_regularizers_constraints_and_initializers_pass_functions_and_instances():
    for get in (regularizers.get, constraints.get, initializers.get):
        assert get(plain) is plain and get(None) is None
    reg = regularizers.L2(0.1)
    assert regularizers.get(reg) is reg and regularizers.serialize(None) is None
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)


@pytest.mark.parametrize("spec,cls", [
    ("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm), ("non_neg", constraints.NonNeg),
    ({"class_name": "UnitNorm", "config": {"axis": 1}}, constraints.UnitNorm), (constraints.MinMaxNorm,
                                                                                constraints.MinMaxNorm)])
def test_constraints_get_keeps_every_spelling(spec, cls):
    assert type(constraints.get(spec)) is cls


def test_constraints_serialize_and_deserialize_round_trip():
    config = constraints.serialize(constraints.MaxNorm(3, axis=1))
    assert config["module"] == "keras.constraints"
    assert constraints.deserialize(config).get_config() == {"max_value": 3, "axis": 1}
    assert constraints.serialize(plain) == "plain"


@pytest.mark.parametrize("spec,cls", [
    ("zeros", initializers.Zeros), ("zero", initializers.Zeros), ("he_normal", initializers.HeNormal),
    ("HeNormal", initializers.HeNormal), ("IdentityInitializer", initializers.Identity),
    (initializers.Ones, initializers.Ones), ({"class_name": "Constant", "config": {"value": 3}}, initializers.Constant),
    ({"module": "keras.initializers", "class_name": "Constant", "config": {"value": 3}, "registered_name": None},
     initializers.Constant)])
def test_initializers_get_keeps_every_spelling(spec, cls):
    assert type(initializers.get(spec)) is cls


@pytest.mark.parametrize("spec,fn", [
    ("relu", activations.relu), ("swish", activations.silu), ("hard_swish", activations.hard_silu),
    (None, activations.linear), (plain, plain),
    ({"module": "builtins", "class_name": "function", "config": "tanh", "registered_name": "function"},
     activations.tanh), ({"class_name": "sigmoid", "config": {}}, activations.sigmoid)])
def test_activations_get_keeps_every_spelling(spec, fn):
    assert activations.get(spec) is fn


def test_an_activation_may_be_a_layer_and_serializes_as_its_config():
    config = activations.serialize(layers.LeakyReLU(negative_slope=0.3))
    assert config["class_name"] == "LeakyReLU"
    act = activations.get(config)
    assert isinstance(act, layers.LeakyReLU) and act.get_config()["negative_slope"] == pytest.approx(0.3)
    assert activations.serialize(activations.silu) == "silu" and activations.serialize(None) == "linear"


@pytest.mark.parametrize("spec,cls", [
    ("adam", optimizers.Adam), ("Adam", optimizers.Adam), ("ADAM", optimizers.Adam), (optimizers.SGD, optimizers.SGD),
    ({"class_name": "RMSprop", "config": {"learning_rate": 0.5}}, optimizers.RMSprop),
    ({"class_name": "Custom>Adam", "config": {"learning_rate": 0.5}}, optimizers.Adam),  # tf.keras 2.11-2.15 files
    ({"module": "keras.optimizers", "class_name": "SGD", "config": {"learning_rate": 0.5}, "registered_name": None},
     optimizers.SGD)])
def test_optimizers_get_keeps_every_spelling(spec, cls):
    assert type(optimizers.get(spec)) is cls


def test_a_registered_optimizer_and_schedule_round_trip():
    @saving.register_keras_serializable("course")
    class Halving(optimizers.schedules.LearningRateSchedule):
        def __init__(self, lr):
            self.lr = lr

        def _lr_at(self, step):
            return self.lr / 2 ** step

        def get_config(self):
            return {"lr": self.lr}

    @saving.register_keras_serializable("course")
    class Slow(optimizers.SGD):
        pass

    config = optimizers.serialize(Slow(learning_rate=Halving(0.5)))
    assert config["registered_name"] == "course>Slow"
    assert config["config"]["learning_rate"]["registered_name"] == "course>Halving"
    again = optimizers.deserialize(config)
    assert type(again) is Slow and type(again._learning_rate) is Halving and again._learning_rate.lr == 0.5


def test_functions_in_a_layer_config_are_named_by_their_registered_name():
    saving.register_keras_serializable("course")(plain)
    layer = layers.Dense(2, activation=plain, kernel_initializer=plain, kernel_regularizer=plain)
    config = layer.get_config()
    assert config["activation"] == config["kernel_initializer"] == config["kernel_regularizer"] == "course>plain"
    again = layers.Dense.from_config(config)
    assert again.activation is again.kernel_initializer is again.kernel_regularizer is plain


def test_deserialize_keras_object_finds_the_family_from_the_module():
    loss = saving.deserialize_keras_object(losses.serialize(losses.MeanSquaredError()))
    metric = saving.deserialize_keras_object(metrics.serialize(metrics.MeanSquaredError()))
    assert type(loss) is losses.MeanSquaredError and type(metric) is metrics.MeanSquaredError
    dense = saving.deserialize_keras_object(saving.serialize_keras_object(layers.Dense(3)))
    assert isinstance(dense, layers.Dense) and dense.units == 3


def test_serialize_keras_object_makes_numpy_values_json_ready():
    config = saving.serialize_keras_object(initializers.Constant(np.float32(0.5)))
    assert config["config"] == {"value": 0.5} and type(config["config"]["value"]) is float
