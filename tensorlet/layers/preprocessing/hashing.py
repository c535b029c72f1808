"""Hashing: values to hash bins with Keras' hash (Farmhash Fingerprint64, or SipHash-2-4 with a salt)."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import Layer
from tensorlet.layers.preprocessing.host_op import HostOp
from tensorlet.preprocessing import categorical, host
from tensorlet.preprocessing.vocabulary import to_host
from tensorlet.strings.farmhash import fingerprint64
from tensorlet.strings.siphash import siphash24


class Hashing(Layer):
    """Hash strings or integers into ``num_bins`` bins: ``Fingerprint64(value) % num_bins`` (integers hashed as
    their decimal string), as ``tf.strings.to_hash_bucket_fast``; with ``salt``, SipHash-2-4 keyed by it
    (``to_hash_bucket_strong``). With ``mask_value``, that value goes to bin 0 and the others to bins
    ``1..num_bins-1``.

    Args:
        num_bins: the number of bins (mask bin included).
        mask_value: the value sent to bin 0, or None.
        salt: an int (used twice) or a pair of ints: the SipHash key.
        output_mode: "int", "one_hot", "multi_hot" or "count".

    Example:
        >>> Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).numpy().ravel().tolist()
        [1, 0, 1, 1, 2]
    """

    _reads_strings = True  # fit may feed it texts (see training.argument_checks)

    def __init__(self, num_bins: int, mask_value: Any = None, salt: Any = None, output_mode: str = "int",
                 sparse: bool = False, **kwargs: Any) -> None:
        if isinstance(kwargs.get("dtype"), str) and kwargs["dtype"] in ("string", "object"):
            kwargs.pop("dtype")
        super().__init__(**kwargs)
        if not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError(f"Hashing: `num_bins` must be a positive integer. Received: num_bins={num_bins!r}")
        if mask_value is not None and num_bins < 2:
            raise ValueError("Hashing: with a `mask_value`, `num_bins` must be at least 2 (bin 0 holds the mask)")
        self.num_bins, self.mask_value, self.sparse = num_bins, mask_value, bool(sparse)
        self.output_mode = categorical.check_mode(output_mode, "Hashing", ("int", "one_hot", "multi_hot", "count"))
        if salt is not None:
            salt = [int(salt), int(salt)] if isinstance(salt, int) else [int(s) for s in salt]
            if len(salt) != 2:
                raise ValueError(f"Hashing: `salt` must be an int or a pair of ints. Received: salt={salt!r}")
        self.salt = salt

    def _hash(self, value: Any) -> int:
        data = value if isinstance(value, bytes) else value.encode("utf-8") if isinstance(value, str) else \
            str(int(value)).encode()
        bins = self.num_bins - (1 if self.mask_value is not None else 0)
        h = siphash24(self.salt[0], self.salt[1], data) if self.salt is not None else fingerprint64(data)
        return h % bins

    def _bins(self, values: Any) -> Any:
        xp = host.xp()  # a host computation (run by a HostOp)
        arr = to_host(values)
        arr = arr if hasattr(arr, "reshape") else xp.asarray(arr, dtype=object)
        mask = self.mask_value
        flat = arr.reshape(-1).tolist()
        if mask is not None:
            mask = mask.encode("utf-8") if isinstance(mask, str) else mask
            flat = [v.encode("utf-8") if isinstance(v, str) else v for v in flat]
            out = [0 if v == mask else self._hash(v) + 1 for v in flat]
        else:
            out = [self._hash(v) for v in flat]
        bins = xp.asarray(out, dtype="int64").reshape(arr.shape)
        if self.output_mode == "int":
            return bins
        return categorical.encode(bins, self.output_mode, self.num_bins)

    def call(self, inputs: Any) -> Any:
        x = inputs if isinstance(inputs, Tensor) else _wrap(backend.xp().asarray(to_host(inputs), dtype=object))
        return HostOp(self._bins, "Hashing")(x)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        if self.output_mode == "one_hot":
            return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (self.num_bins,)
        return shape[:-1] + (self.num_bins,)

    def _output_dtype(self, inputs: Any) -> str:
        return "int64" if self.output_mode == "int" else "float32"

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                       "output_mode": self.output_mode, "sparse": self.sparse})
        return config
