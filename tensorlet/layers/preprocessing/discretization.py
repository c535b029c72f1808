"""Discretization: continuous values to bucket indices (fixed boundaries, or quantiles learned by ``adapt``)."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import Layer
from tensorlet.layers.preprocessing.host_op import HostOp
from tensorlet.layers.preprocessing.index_lookup import _batches
from tensorlet.preprocessing import categorical, host, quantiles
from tensorlet.preprocessing.vocabulary import to_host


class Discretization(Layer):
    """Bucketize: index i for ``bin_boundaries[i-1] <= x < bin_boundaries[i]`` (0 below the first boundary,
    ``len(bin_boundaries)`` from the last one on).

    Args:
        bin_boundaries: sorted boundaries; or
        num_bins: the number of bins ``adapt`` makes from the data's quantiles (approximate, within ``epsilon``).
        output_mode: "int", "one_hot", "multi_hot" or "count".

    Example:
        >>> Discretization(bin_boundaries=[0.0, 1.0, 2.0])([[-1.5, 1.0, 3.4, 0.5]]).numpy().tolist()
        [[0, 2, 3, 1]]
    """

    def __init__(self, bin_boundaries: Any = None, num_bins: int | None = None, epsilon: float = 0.01,
                 output_mode: str = "int", sparse: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if bin_boundaries is not None and num_bins is not None:
            raise ValueError("Discretization: give either `bin_boundaries` or `num_bins`, not both")
        if bin_boundaries is None and num_bins is None:
            raise ValueError("Discretization: give `bin_boundaries`, or `num_bins` and call `adapt`")
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins, self.epsilon, self.sparse = num_bins, float(epsilon), bool(sparse)
        self.output_mode = categorical.check_mode(output_mode, "Discretization",
                                                  ("int", "one_hot", "multi_hot", "count"))
        self.summary = quantiles.empty()

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learn ``num_bins`` quantile bins from ``data`` (an array, or an iterable of batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer initialized with `bin_boundaries`; use `num_bins`")
        self.reset_state()
        for batch in _batches(data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        xp = host.xp()  # a host computation (run by a HostOp)
        values = xp.asarray(to_host(data), dtype="float32")
        self.summary = quantiles.merge(quantiles.summarize(values, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is not None:
            self.bin_boundaries = quantiles.bin_boundaries(self.summary, self.num_bins)

    def reset_state(self) -> None:
        self.summary = quantiles.empty()

    def _depth(self) -> int:
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else int(self.num_bins or 0)

    def _bucketize(self, x: Any) -> Any:
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at construction time or call "
                             "`adapt(dataset)` before you can start using the `Discretization` layer.")
        xp = host.xp()  # a host computation (run by a HostOp)
        idx = xp.searchsorted(xp.asarray(self.bin_boundaries, dtype="float64"), xp.asarray(x, dtype="float64"),
                              side="right").astype("int64")
        return idx if self.output_mode == "int" else categorical.encode(idx, self.output_mode, self._depth())

    def call(self, inputs: Any) -> Any:
        x = inputs if isinstance(inputs, Tensor) else _wrap(backend.xp().asarray(to_host(inputs)))
        return HostOp(self._bucketize, "Discretization")(x)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        if self.output_mode == "one_hot":
            return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (self._depth(),)
        return (shape[:-1] if len(shape) > 1 else ()) + (self._depth(),)

    def _output_dtype(self, inputs: Any) -> str:
        return "int64" if self.output_mode == "int" else "float32"

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                       "output_mode": self.output_mode, "sparse": self.sparse})
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Discretization:
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None)
        if boundaries is not None and config.get("num_bins") is not None:  # an adapted layer
            layer = cls(**config)
            layer.bin_boundaries = [float(b) for b in boundaries]
            return layer
        return cls(bin_boundaries=boundaries, **config)
