"""Embedding: map integer indices to dense vectors."""
from __future__ import annotations

from typing import Any

from tensorlet import constraints, initializers, regularizers
from tensorlet.autodiff.function import Function
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E


class Lookup(Function):
    """y = table[idx]; d table = scatter-add of dy at idx. Indices are an input (no gradient), so a replayed
    training step reads each batch's indices."""

    def __init__(self, layer_name: str, input_dim: int) -> None:
        self.layer_name, self.input_dim = layer_name, input_dim

    def forward(self, table: Any, idx: Any) -> Any:
        idx = idx.astype(self.xp.int64, copy=False)
        if idx.size and (idx.min() < 0 or idx.max() >= self.input_dim):
            bad = idx.max() if idx.max() >= self.input_dim else idx.min()
            raise ValueError(f'Layer "{self.layer_name}": index {int(bad)} is out of range for '
                             f"input_dim={self.input_dim}")
        self.saved = (idx, table.shape)
        return table[idx]

    def backward(self, dy: Any) -> Any:
        idx, shape = self.saved
        xp, width = self.xp, shape[1]
        # one scatter-add over the flat table, each (index, column) pair a position of its own: NumPy's add.at
        # takes a fast path for 1-D operands, measured 2.4x faster than add.at on rows and 4x faster than a
        # bincount per column (an Embedding(10000, 64) gradient of 8192 indices: 1.7 ms, 4.3 ms, 7.4 ms)
        positions = (idx.reshape(-1, 1) * width + xp.arange(width)).reshape(-1)
        dt = xp.zeros(shape, dtype=dy.dtype)
        xp.add.at(dt.reshape(-1), positions, xp.ascontiguousarray(dy).reshape(-1))
        return dt, None


class Embedding(Layer):
    """``(batch, ...)`` integer indices in [0, input_dim) to ``(batch, ..., output_dim)`` vectors."""

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer: Any = "uniform",
                 embeddings_regularizer: Any = None, embeddings_constraint: Any = None, mask_zero: bool = False,
                 input_length: Any = None, **kwargs: Any) -> None:
        if input_length is not None and "input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)
        super().__init__(**kwargs)
        if input_dim <= 0 or output_dim <= 0:
            raise ValueError(f"Both input_dim and output_dim must be positive, got {input_dim} and {output_dim}")
        self.input_dim, self.output_dim, self.mask_zero = int(input_dim), int(output_dim), mask_zero
        self.embeddings_initializer = initializers.get(
            "random_uniform" if embeddings_initializer == "uniform" else embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)

    def build(self, input_shape: Any) -> None:
        self.embeddings = self.add_weight(name="embeddings", shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs: Any) -> Any:
        return Lookup(self.name, self.input_dim)(self.embeddings, inputs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """With ``mask_zero``, index 0 is padding: the mask is ``inputs != 0``."""
        if not self.mask_zero:
            return None
        return E.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape) + (self.output_dim,)

    def _output_dtype(self, inputs: Any) -> str:
        return self.dtype

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"input_dim": self.input_dim, "output_dim": self.output_dim,
                       "embeddings_initializer": ser(self.embeddings_initializer),
                       "embeddings_regularizer": ser(self.embeddings_regularizer),
                       "embeddings_constraint": ser(self.embeddings_constraint), "mask_zero": self.mask_zero})
        return config
