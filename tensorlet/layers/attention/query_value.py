"""QueryValueAttention: how MultiHeadAttention and GroupQueryAttention are called, built and saved.

Both are called as ``layer(query, value, key=None, attention_mask=None, return_attention_scores=False,
training=None, use_causal_mask=False)``: their weights depend on all three input shapes, so they build from
``(query_shape, value_shape, key_shape)`` (Keras 3 saves that as ``build_config["shapes_dict"]``), and a symbolic
call gives the output (and the scores) shapes from those shapes. The Keras masks of query, value and key arrive
as ``query_mask``, ``value_mask`` and ``key_mask`` (``layers.masking``); the output inherits the query's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers import masking
from tensorlet.layers.layer import Layer, _to_tensors
from tensorlet.layers.node import KerasTensor, Node
from tensorlet.ops import attention as A


def _shape(x: Any) -> tuple[Any, ...] | None:
    return None if x is None else _known_shape(x)


def _known_shape(x: Any) -> tuple[Any, ...]:
    if isinstance(x, KerasTensor):
        return tuple(x.shape)
    if isinstance(x, Tensor):
        return tuple(x._value.shape)
    return tuple(_to_tensors(x)._value.shape)


class QueryValueAttention(Layer):
    """Base of the attention layers with separate query, value and key inputs."""

    # set by each subclass's __init__; _dense gives them to the projections
    use_bias: bool
    kernel_initializer: Any
    bias_initializer: Any
    kernel_regularizer: Any
    bias_regularizer: Any
    kernel_constraint: Any
    bias_constraint: Any

    if TYPE_CHECKING:  # each subclass builds, and gives its output shape, from the three input shapes
        def build(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> None: ...
        def compute_output_shape(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> Any: ...

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self._build_shapes: dict[str, Any] | None = None

    # -- calling and building --------------------------------------------------------------------------------
    # Keras' attention layers are called as layer(query, value, key=None, ...), not as Layer(inputs, *args)
    def __call__(self, query: Any, value: Any = None, key: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if value is None:
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) needs `value` as well as `query`: call it '
                             "as layer(query, value) (or layer(query, value, key))")
        if not self.built:
            self._build_from_shapes(_shape(query), _shape(value), _shape(key))
        if key is not None:
            kwargs["key"] = key
        return super().__call__(query, value, **kwargs)

    def _build_from_shapes(self, query_shape: Any, value_shape: Any, key_shape: Any = None) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f'Layer "{self.name}": all dimensions of `value` and `key` but the last must be equal. '
                             f"Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}")
        self.build(tuple(query_shape), tuple(value_shape), tuple(key_shape))
        self.built = True
        self._build_shapes = {"query_shape": list(query_shape), "value_shape": list(value_shape)}
        if tuple(key_shape) != tuple(value_shape):
            self._build_shapes["key_shape"] = list(key_shape)
        self._build_input_shape = tuple(query_shape)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def get_build_config(self) -> dict[str, Any] | None:
        return None if self._build_shapes is None else {"shapes_dict": self._build_shapes}

    def build_from_config(self, config: dict[str, Any]) -> None:
        shapes = (config or {}).get("shapes_dict")
        if shapes:
            self._build_from_shapes(shapes["query_shape"], shapes["value_shape"], shapes.get("key_shape"))
        elif (config or {}).get("input_shape") is not None:  # a single shape: self-attention
            shape = config["input_shape"]
            self._build_from_shapes(shape, shape)

    def _call_symbolic(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        query = inputs
        value = args[0] if args else kwargs["value"]
        key = kwargs.get("key")
        out_shape = self.compute_output_shape(_known_shape(query), _known_shape(value), _shape(key))
        outputs: Any = KerasTensor(out_shape, self.dtype)
        if kwargs.get("return_attention_scores"):
            outputs = (outputs, KerasTensor(self._scores_shape(_known_shape(query),
                                                               _known_shape(key if key is not None else value)),
                                            self.dtype))
        Node(self, query, outputs, args, kwargs)
        masking.attach_symbolic_masks(self, query, outputs, kwargs)
        return outputs

    def _scores_shape(self, query_shape: tuple[Any, ...], key_shape: tuple[Any, ...]) -> tuple[Any, ...]:
        raise NotImplementedError

    def _dense(self, equation: str, output_shape: Any, bias_axes: str, name: str, shape: Any,
               activation: Any = None) -> Any:
        """A built EinsumDense projection sharing this layer's initializers (a fresh copy each, as Keras makes:
        one seeded initializer object would give every projection the same values), regularizers and
        constraints."""
        from tensorlet.layers.core.einsum_dense import EinsumDense
        from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object

        def fresh(init: Any) -> Any:
            return deserialize_keras_object(serialize_keras_object(init), family="initializers")

        layer = EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes if self.use_bias else None,
                            activation=activation, name=name, kernel_initializer=fresh(self.kernel_initializer),
                            bias_initializer=fresh(self.bias_initializer), kernel_regularizer=self.kernel_regularizer,
                            bias_regularizer=self.bias_regularizer, kernel_constraint=self.kernel_constraint,
                            bias_constraint=self.bias_constraint, dtype=self.dtype)
        layer._maybe_build(tuple(shape))
        return layer

    # -- masks -----------------------------------------------------------------------------------------------
    def _attention_mask(self, query: Tensor, value: Tensor, query_mask: Any, value_mask: Any, key_mask: Any,
                        attention_mask: Any, use_causal_mask: bool, sliding_window: int | None = None) -> Any:
        """The (B, T, S) mask of allowed query-key pairs (or None): Keras' AND of the padding masks, the causal
        and sliding-window masks and ``attention_mask``."""
        t, s = query._value.shape[1], value._value.shape[1]
        causal = A.causal_mask(t, s) if use_causal_mask else None
        window = A.sliding_window_mask(t, s, sliding_window) if sliding_window is not None else None
        return A.merge_attention_masks(query_mask, value_mask, key_mask, attention_mask, causal, window)


def as_input(x: Any, dtype: str) -> Tensor:
    """A call argument (array or tensor) as a tensor of the layer's dtype, keeping its Keras mask."""
    return x if isinstance(x, Tensor) else _to_tensors(x, dtype)
