"""CategoryEncoding: integer category ids to one-hot, multi-hot or count vectors."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import Layer
from tensorlet.layers.preprocessing.host_op import HostOp
from tensorlet.preprocessing import categorical, host
from tensorlet.preprocessing.vocabulary import to_host


class CategoryEncoding(Layer):
    """Encode ids in ``[0, num_tokens)``: "one_hot" (a vector per id), "multi_hot" (per sample: which ids occur;
    the last axis holds a sample's ids, a 1-D input is one sample) or "count" (how often, optionally weighted by
    ``count_weights``).

    Example:
        >>> CategoryEncoding(num_tokens=4, output_mode="multi_hot")([[0, 1], [0, 0], [1, 2], [3, 1]]).numpy()
        array([[1., 1., 0., 0.],
               [1., 0., 0., 0.],
               [0., 1., 1., 0.],
               [0., 1., 0., 1.]], dtype=float32)
    """

    def __init__(self, num_tokens: int | None = None, output_mode: str = "multi_hot", sparse: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if num_tokens is None or isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: `num_tokens` must be a positive integer. Received: "
                             f"num_tokens={num_tokens!r}")
        self.num_tokens, self.sparse = num_tokens, bool(sparse)
        self.output_mode = categorical.check_mode(output_mode, "CategoryEncoding", ("one_hot", "multi_hot", "count"))

    def _encode(self, ids: Any, weights: Any = None) -> Any:
        xp = host.xp()  # a host computation (run by a HostOp)
        idx = xp.asarray(ids)
        if idx.size and (idx.min() < 0 or idx.max() >= self.num_tokens):
            raise ValueError(f'Layer "{self.name}" (CategoryEncoding): the inputs must be in [0, num_tokens) = '
                             f"[0, {self.num_tokens}); received values from {int(idx.min())} to {int(idx.max())}")
        return categorical.encode(idx.astype("int64"), self.output_mode, self.num_tokens, count_weights=weights,
                                  dtype=self.dtype)

    def call(self, inputs: Any, count_weights: Any = None) -> Any:
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(f"CategoryEncoding: `count_weights` is only used in 'count' output mode. Received: "
                             f"output_mode={self.output_mode!r}")
        x = inputs if isinstance(inputs, Tensor) else _wrap(backend.xp().asarray(to_host(inputs)))
        if count_weights is None:
            return HostOp(self._encode, "CategoryEncoding")(x)
        w = count_weights if isinstance(count_weights, Tensor) else _wrap(backend.xp().asarray(to_host(count_weights)))
        return HostOp(self._encode, "CategoryEncoding")(x, w)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (self.num_tokens,)
        return (shape[:-1] if len(shape) > 1 else ()) + (self.num_tokens,)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": self.sparse})
        return config
