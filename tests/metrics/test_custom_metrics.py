"""Custom keras.metrics.Metric subclasses, metric variables, Layer.add_metric and Model.metrics (issue 25
item 10)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, metrics, models

X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], "float32")
Y = np.array([[0.0], [1.0], [0.0], [1.0], [1.0], [1.0]], "float32")


def _short(name):
    """A variable's name without the ':0' suffix TensorFlow 2 gives it."""
    assert name.endswith(":0"), name
    return name[:-2]


def make_positive_labels(keras):
    """A stateful metric counting positive labels: independent of the model, so its values are exact."""

    class PositiveLabels(keras.metrics.Metric):
        def __init__(self, name="positive_labels", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_weight(name="count", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign_add(tf_module(keras).reduce_sum(tf_module(keras).cast(y_true > 0.5, "float32")))

        def result(self):
            return self.count

    return PositiveLabels


def tf_module(keras):
    if keras is tf.keras:
        return tf
    import tensorflow

    return tensorflow


class TruePositives(metrics.Metric):
    def __init__(self, name="true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.tp = self.add_weight(name="tp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        assert isinstance(y_true, tf.Tensor) and isinstance(y_pred, tf.Tensor)  # as Keras hands them
        y_pred = tf.cast(y_pred > 0.5, tf.float32)
        values = y_pred * tf.cast(y_true, tf.float32)
        if sample_weight is not None:
            values = values * tf.cast(sample_weight, tf.float32)
        self.tp.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.tp

    def reset_state(self):
        self.tp.assign(0.0)


def classifier():
    model = models.Sequential([layers.Input((1,)), layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[1.0]], "float32"), np.array([-0.5], "float32")])
    return model


def test_a_custom_metric_logs_in_fit_with_val_and_resets_each_epoch():
    model = classifier()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[make_positive_labels(tf.keras)(), "accuracy"])
    history = model.fit(X, Y, epochs=3, batch_size=2, verbose=0, validation_data=(X[:3], Y[:3]))
    assert history.history["positive_labels"] == [4.0, 4.0, 4.0]
    assert history.history["val_positive_labels"] == [1.0, 1.0, 1.0]
    assert set(history.history) == {"loss", "positive_labels", "accuracy", "val_loss", "val_positive_labels",
                                    "val_accuracy"}
    result = model.evaluate(X, Y, verbose=0, return_dict=True)
    assert result["positive_labels"] == 4.0


def test_a_custom_metric_in_a_custom_training_loop():
    metric = TruePositives()
    assert [_short(v.name) for v in metric.variables] == ["tp"] and metric.variables[0].trainable is False
    metric.update_state(tf.constant([1.0, 1.0, 0.0]), tf.constant([0.9, 0.2, 0.8]))
    metric.update_state(tf.constant([1.0, 1.0]), tf.constant([0.7, 0.6]), sample_weight=tf.constant([2.0, 0.5]))
    assert float(metric.result()) == 3.5
    metric.reset_state()
    assert float(metric.result()) == 0.0
    metric(tf.constant([1.0]), tf.constant([0.9]))
    metric.reset_states()
    assert float(metric.result()) == 0.0


def test_add_weight_takes_keras_2_and_keras_3_forms_and_default_reset_zeroes_variables():
    class Moments(metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.n = self.add_weight("n")                                   # tf.keras 2: name first
            self.total = self.add_weight(shape=(2,), initializer="ones", name="total")  # Keras 3 keywords
            self.last = self.add_variable((), "zeros", name="last")        # Keras 3 add_variable
            self.extra = tf.Variable(5.0)                                  # an attribute variable is state too

        def update_state(self, values):
            self.n.assign_add(1.0)
            self.total.assign_add(values)

        def result(self):
            return self.total / self.n

    m = Moments(name="moments")
    assert [_short(v.name) for v in m.variables] == ["n", "total", "last", "Variable"]
    np.testing.assert_array_equal(m.total.numpy(), [1.0, 1.0])
    m.update_state([3.0, 5.0])
    np.testing.assert_array_equal(m.result().numpy(), [4.0, 6.0])
    m.reset_state()
    assert all(not np.any(v.numpy()) for v in m.variables)


def test_keras_2_metrics_that_override_reset_states_are_reset_by_fit():
    class Counter(metrics.Metric):
        def __init__(self, name="counter", **kwargs):
            super().__init__(name=name, **kwargs)
            self.calls = 0

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.calls += 1

        def result(self):
            return tf.constant(float(self.calls))

        def reset_states(self):
            self.calls = 0

    model = classifier()
    model.compile(optimizer="sgd", loss="mse", metrics=[Counter()])
    history = model.fit(X, Y, epochs=2, batch_size=3, verbose=0)
    assert history.history["counter"] == [2.0, 2.0]


def test_builtin_metrics_expose_their_variables_with_keras_names():
    expected = {
        metrics.Mean: ["total", "count"], metrics.Sum: ["total"], metrics.BinaryAccuracy: ["total", "count"],
        metrics.MeanSquaredError: ["total", "count"], metrics.RootMeanSquaredError: ["total", "count"],
        metrics.Precision: ["true_positives", "false_positives"], metrics.Recall: ["true_positives", "false_negatives"],
        metrics.AUC: ["true_positives", "false_positives", "true_negatives", "false_negatives"],
    }
    for cls, names in expected.items():
        assert [_short(v.name) for v in cls().variables] == names, cls.__name__
    mean = metrics.Mean()
    mean.update_state([1.0, 2.0, 6.0])
    assert [float(v.numpy()) for v in mean.variables] == [9.0, 3.0] and float(mean.result()) == 3.0
    mean.reset_state()
    assert [float(v.numpy()) for v in mean.variables] == [0.0, 0.0]
    f1 = metrics.F1Score()
    f1.update_state(np.eye(3, dtype="float32"), np.eye(3, dtype="float32"))
    assert [_short(v.name) for v in f1.variables] == ["true_positives", "false_positives", "false_negatives",
                                              "intermediate_weights"]
    r2 = metrics.R2Score()
    r2.update_state(np.ones((2, 1), "float32"), np.ones((2, 1), "float32"))
    assert [_short(v.name) for v in r2.variables] == ["num_samples", "squared_sum", "sum", "residual"]


class ActivityLogger(layers.Layer):
    def call(self, inputs):
        self.add_metric(tf.reduce_mean(inputs), name="mean_activation")
        return inputs


def test_layer_add_metric_is_logged_in_fit_and_validation_and_reset_each_epoch():
    model = models.Sequential([layers.Input((1,)), ActivityLogger(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(X, Y, epochs=2, batch_size=2, verbose=0, validation_data=(X[:2], Y[:2]))
    np.testing.assert_allclose(history.history["mean_activation"], [2.5, 2.5])
    np.testing.assert_allclose(history.history["val_mean_activation"], [0.5, 0.5])
    assert [m.name for m in model.metrics][-1] == "mean_activation"
    layer = ActivityLogger()
    layer(tf.constant([[2.0], [4.0]]))  # outside fit: the metric updates at once
    assert float(layer.metrics[0].result()) == 3.0
    with pytest.raises(ValueError, match="provide a name for your metric"):
        layers.Layer().add_metric(tf.constant(1.0))


def test_model_metrics_lists_loss_compiled_then_attribute_metrics_which_reset_per_epoch():
    class Tracked(models.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.seen = metrics.Sum(name="seen")

        def call(self, x):
            return self.dense(x)

    model = Tracked()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(X, Y, epochs=1, verbose=0)
    assert [m.name for m in model.metrics] == ["loss", "mae", "seen"]
    model.seen.update_state(3.0)
    model.reset_metrics()
    assert float(model.seen.result()) == 0.0


def test_keras_3_custom_train_step_with_metric_attributes():
    class Custom(models.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.loss_tracker = metrics.Mean(name="loss")
            self.mae_metric = metrics.MeanAbsoluteError(name="mae")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = tf.reduce_mean(tf.square(y - y_pred))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    model = Custom()
    model.compile(optimizer="sgd")
    history = model.fit(X, Y, epochs=3, batch_size=6, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert float(model.loss_tracker.count.numpy()) == 1.0  # reset at each epoch: one batch each


@pytest.mark.parity
def test_parity_tf_keras_2_custom_metric_history():
    tf_keras = pytest.importorskip("tf_keras")
    histories = []
    for keras in (tf_keras, tf.keras):
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[make_positive_labels(keras)()])
        history = model.fit(X, Y, epochs=2, batch_size=2, verbose=0, validation_data=(X[:3], Y[:3]))
        histories.append({k: v for k, v in history.history.items() if "positive" in k})
    assert histories[0] == histories[1]


def test_docstring_examples_pass():
    import doctest

    from tensorlet.metrics import metric

    result = doctest.testmod(metric, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 3
