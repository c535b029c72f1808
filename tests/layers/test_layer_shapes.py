"""``build`` and ``compute_output_shape`` receive TensorShapes, as in tf.keras 2 (issue 25 item 7)."""
from __future__ import annotations

import numpy as np

import tensorlet as tf
from tensorlet.keras import layers, models


class Recorder(layers.Layer):
    """Records the shapes Keras hands to build and compute_output_shape."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = {}

    def build(self, input_shape):
        self.seen["build"] = input_shape
        self.w = self.add_weight(name="w", shape=(input_shape[-1], 2))

    def call(self, inputs):
        return tf.matmul(inputs, self.w)

    def compute_output_shape(self, input_shape):
        self.seen["compute_output_shape"] = input_shape
        return input_shape[:-1] + (2,)


def test_build_receives_a_tensor_shape_when_called_eagerly():
    layer = Recorder()
    layer(np.zeros((4, 3), "float32"))
    shape = layer.seen["build"]
    assert isinstance(shape, tf.TensorShape)
    assert shape.as_list() == [4, 3] and shape.rank == 2 and len(shape) == 2
    assert shape[-1] == 3 and type(shape[-1]) is int
    assert list(shape) == [4, 3] and shape == (4, 3) and shape == [4, 3]


def test_build_and_compute_output_shape_receive_tensor_shapes_with_none_in_functional_models():
    layer = Recorder()
    inp = layers.Input(shape=(3,))
    out = layer(inp)
    assert tuple(out.shape) == (None, 2)
    for key in ("build", "compute_output_shape"):
        shape = layer.seen[key]
        assert isinstance(shape, tf.TensorShape), key
        assert shape.as_list() == [None, 3] and shape[0] is None and shape.rank == 2
        assert not shape.is_fully_defined()


def test_multi_input_layers_receive_a_list_of_tensor_shapes():
    seen = []

    class Pair(layers.Layer):
        def build(self, input_shape):
            seen.append(input_shape)

        def call(self, inputs):
            return inputs[0] + inputs[1]

    Pair()([np.zeros((2, 3), "float32"), np.ones((2, 3), "float32")])
    assert isinstance(seen[0], list) and all(isinstance(s, tf.TensorShape) for s in seen[0])
    assert [s.as_list() for s in seen[0]] == [[2, 3], [2, 3]]


def test_code_that_treats_the_shape_as_a_tuple_keeps_working():
    class TupleUser(layers.Layer):
        def build(self, input_shape):
            assert isinstance(input_shape, tuple)
            dims = tuple(input_shape)
            self.out_shape = (None,) + input_shape[1:]
            self.flat = int(np.prod(input_shape[1:]))
            self.kernel = self.add_weight(shape=(dims[-1], 1), name="kernel")

        def call(self, inputs):
            return tf.matmul(inputs, self.kernel)

    layer = TupleUser()
    model = models.Sequential([layers.Input(shape=(5,)), layer])
    assert layer.out_shape == (None, 5) and layer.flat == 5
    assert model.predict(np.ones((2, 5), "float32"), verbose=0).shape == (2, 1)
    assert layer.get_build_config() == {"input_shape": [None, 5]}


def test_tensor_shape_concatenates_with_tuples_and_lists():
    shape = tf.TensorShape([None, 3])
    assert isinstance(shape + (4,), tf.TensorShape) and (shape + [4]).as_list() == [None, 3, 4]
    assert ((1,) + shape).as_list() == [1, None, 3] and ([1] + shape).as_list() == [1, None, 3]
    assert shape[1:].as_list() == [3] and shape.concatenate([5]).as_list() == [None, 3, 5]
