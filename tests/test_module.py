"""tf.Module: names and name scopes, variables and submodules found by walking attributes in TF's order; Keras
layers and models are modules."""
from __future__ import annotations

import pytest

import tensorlet as tf
from tensorlet.keras import layers, models


class Dense(tf.Module):
    """The tf.Module guide's dense layer."""

    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
            self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(tf.matmul(x, self.w) + self.b)


class MLP(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.dense_2 = Dense(4, 2)
            self.dense_1 = Dense(3, 4)
            self.counter = tf.Variable(0, trainable=False, name="counter")

    @tf.Module.with_name_scope
    def make(self):
        return tf.Variable(1.0, name="made")


def test_name_defaults_to_snake_case_class_name_and_scopes_nest():
    mlp = MLP()
    assert mlp.name == "mlp" and mlp.name_scope.name == "mlp/"
    assert mlp.dense_1.name == "dense" and mlp.dense_1.name_scope.name == "mlp/dense/"
    assert mlp.dense_1.w.name == "mlp/dense/w:0"
    assert mlp.counter.name == "mlp/counter:0"
    assert mlp.make().name == "mlp/made:0"
    assert tf.Variable(1.0, name="free").name == "free:0"  # the scope ended with the block


def test_invalid_name_is_refused():
    with pytest.raises(ValueError, match="not a valid module name"):
        tf.Module(name="has space")


def test_variables_follow_attribute_names_then_submodules():
    mlp = MLP()
    # own attributes sorted by name (counter, dense_1, dense_2), each module's variables after its parent's own
    assert [v.name for v in mlp.variables] == ["mlp/counter:0", "mlp/dense/b:0", "mlp/dense/w:0",
                                               "mlp/dense/b:0", "mlp/dense/w:0"]
    assert mlp.variables[1] is mlp.dense_1.b and mlp.variables[3] is mlp.dense_2.b
    assert len(mlp.trainable_variables) == 4 and mlp.non_trainable_variables == (mlp.counter,)
    assert mlp.submodules == (mlp.dense_1, mlp.dense_2)


def test_lists_and_dicts_are_walked_and_each_object_listed_once():
    m = tf.Module()
    shared = tf.Variable(1.0)
    m.layers = [Dense(2, 2, name="a"), {"z": Dense(2, 1, name="z"), "b": shared}]
    m.again = shared
    assert m.submodules == (m.layers[0], m.layers[1]["z"])
    assert sum(v is shared for v in m.variables) == 1
    assert type(m.layers).__name__ == "ListWrapper" and m.layers == m.layers[:]


def test_recursion_into_cycles_terminates():
    a, b = tf.Module(name="a"), tf.Module(name="b")
    a.child, b.parent = b, a
    assert a.submodules == (b,)


def test_flatten_with_path():
    mlp = MLP()
    paths = dict(mlp._flatten(predicate=lambda v: isinstance(v, tf.Variable), with_path=True))
    assert paths[("dense_1", "w")] is mlp.dense_1.w


def test_keras_layers_and_models_are_modules():
    model = models.Sequential([layers.Input((3,)), layers.Dense(4), layers.Dropout(0.1), layers.Dense(1)])
    assert isinstance(model, tf.Module) and isinstance(model.layers[0], tf.Module)
    assert list(model.submodules)[-3:] == model.layers
    assert model.variables == model.weights  # Keras' own order
    assert model.trainable_variables == model.trainable_weights
    assert model.layers[0].name_scope.name == model.layers[0].name + "/"


def test_subclassed_model_submodules_include_nested_layers():
    class Net(models.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layers.Dense(3), layers.Dense(2)]
            self.head = layers.Dense(1)

        def call(self, x):
            for b in self.blocks:
                x = b(x)
            return self.head(x)

    net = Net()
    assert set(map(id, net.submodules)) == {id(net.blocks[0]), id(net.blocks[1]), id(net.head)}


def test_module_used_as_a_model_trains_with_a_tape():
    model = Dense(2, 1)
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    assert [g.shape for g in grads] == [(1,), (2, 1)]


@pytest.mark.parity
def test_variable_and_submodule_order_matches_tensorflow():
    real = pytest.importorskip("tensorflow")

    def build(lib):
        class D(lib.Module):
            def __init__(self, n, name=None):
                super().__init__(name=name)
                with self.name_scope:
                    self.w = lib.Variable(lib.ones([n]), name="w")
                    self.b = lib.Variable(lib.zeros([n]), name="b", trainable=False)

        class Outer(lib.Module):
            def __init__(self):
                super().__init__()
                with self.name_scope:
                    self.z = D(1, name="zed")
                    self.items = [D(2, name="first"), {"k": D(3, name="kay"), "a": lib.Variable(0.0, name="v")}]
                    self.a = D(4, name="ay")

        o = Outer()
        return ([v.name for v in o.variables], [m.name for m in o.submodules],
                [v.name for v in o.trainable_variables], o.name_scope.name)

    assert build(tf) == build(real)
