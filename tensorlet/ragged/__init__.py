"""``tf.ragged``: ragged tensors (rows of different lengths) and their constructors.

``tf.RaggedTensor`` is :class:`tensorlet.ragged.ragged_tensor.RaggedTensor`; ``tf.ragged.constant`` builds one from
nested lists. String ops (``tf.strings.split``, ``ngrams``, ``unicode_decode`` ...) return them.
"""
from tensorlet.ragged import ragged_operators
from tensorlet.ragged.ragged_factory import constant, map_flat_values
from tensorlet.ragged.ragged_tensor import RaggedTensor

ragged_operators.bind()

__all__ = ["RaggedTensor", "constant", "map_flat_values"]
