"""Max and average pooling (1-D and 2-D) and global pooling."""
from __future__ import annotations

from typing import Any

from tensorlet.config import image_data_format
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.ops import conv as conv_ops
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S


class Pooling(Layer):
    rank = 2
    mode = "max"

    def __init__(self, pool_size: int | tuple[int, ...] = 2, strides: int | tuple[int, ...] | None = None,
                 padding: str = "valid", data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        n = self.rank
        self.pool_size = self._window(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else self._window(strides, "strides")
        self.padding = padding.lower() if isinstance(padding, str) else padding
        if self.padding not in ("valid", "same"):
            raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
        self.data_format = data_format or image_data_format()
        self.input_spec = InputSpec(ndim=n + 2)

    def _window(self, value: Any, name: str) -> tuple[int, ...]:
        n = self.rank
        items = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else value
        try:
            window = tuple(int(v) for v in items)
            whole = all(int(v) == v and not isinstance(v, (bool, str)) for v in items)
        except (TypeError, ValueError):
            window, whole = (), False
        if len(window) != n or not whole or any(v <= 0 for v in window):
            raise ValueError(f'Layer "{self.name}": `{name}` must be a positive integer or a tuple of {n}. '
                             f"Received: {name}={value!r}")
        return window

    def call(self, inputs: Any) -> Any:
        x = inputs
        if self.data_format == "channels_first":
            x = S.transpose(x, (0,) + tuple(range(2, self.rank + 2)) + (1,))
        if self.rank == 1:
            x = S.expand_dims(x, 1)
        pool = (1,) + self.pool_size if self.rank == 1 else self.pool_size
        strides = (1,) + self.strides if self.rank == 1 else self.strides
        y = conv_ops.pool2d(x, pool, strides, self.padding, self.mode)
        if self.rank == 1:
            y = S.squeeze(y, 1)
        if self.data_format == "channels_first":
            y = S.transpose(y, (0, self.rank + 1) + tuple(range(1, self.rank + 1)))
        return y

    def compute_output_shape(self, input_shape: Any) -> Any:
        last = self.data_format == "channels_last"
        spatial = input_shape[1:-1] if last else input_shape[2:]
        out = tuple(None if n is None else conv_ops.out_size(n, k, s, 1, self.padding)
                    for n, k, s in zip(spatial, self.pool_size, self.strides))
        if any(n is not None and n <= 0 for n in out):
            raise ValueError(f'Layer "{self.name}": the pooling window {self.pool_size} is larger than its input of '
                             f"shape {tuple(input_shape)} (padding='{self.padding}'): the output would be empty. "
                             "Use a smaller pool_size, padding='same', or fewer pooling layers before this one.")
        c = input_shape[-1] if last else input_shape[1]
        return (input_shape[0],) + out + (c,) if last else (input_shape[0], c) + out

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"pool_size": list(self.pool_size), "strides": list(self.strides), "padding": self.padding,
                       "data_format": self.data_format})
        return config


class MaxPooling2D(Pooling):
    """Max over ``pool_size`` windows."""


class AveragePooling2D(Pooling):
    """Mean over ``pool_size`` windows ('same' padding averages only real pixels)."""

    mode = "avg"


class MaxPooling1D(Pooling):
    rank = 1

    def __init__(self, pool_size: int | tuple[int, ...] = 2, strides: int | tuple[int, ...] | None = None,
                 padding: str = "valid", data_format: str = "channels_last", **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(MaxPooling1D):
    mode = "avg"


class GlobalPooling(Layer):
    rank = 2
    mode = "max"

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format or image_data_format()
        self.keepdims = keepdims

    def _axes(self) -> tuple[int, ...]:
        if self.data_format == "channels_last":
            return tuple(range(1, self.rank + 1))
        return tuple(range(2, self.rank + 2))

    def call(self, inputs: Any) -> Any:
        fn = R.reduce_max if self.mode == "max" else R.reduce_mean
        return fn(inputs, axis=self._axes(), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape: Any) -> Any:
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config


class GlobalMaxPooling2D(GlobalPooling):
    pass


class GlobalAveragePooling2D(GlobalPooling):
    mode = "avg"


class GlobalMaxPooling1D(GlobalPooling):
    rank = 1

    def __init__(self, data_format: str = "channels_last", keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format, keepdims, **kwargs)


class GlobalAveragePooling1D(GlobalMaxPooling1D):
    """Mean over the steps; with a mask ``(batch, steps)``, the mean over the kept steps only (the pooled output
    has no mask). GlobalMaxPooling1D ignores masks, as in Keras."""

    mode = "avg"

    def __init__(self, data_format: str = "channels_last", keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return super().call(inputs)
        steps = self._axes()
        m = S.expand_dims(E.cast(mask, inputs.dtype), 2 if self.data_format == "channels_last" else 1)
        total = R.reduce_sum(E.multiply(inputs, m), axis=steps, keepdims=self.keepdims)
        return E.divide(total, R.reduce_sum(m, axis=steps, keepdims=self.keepdims))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return None


MaxPool2D, AvgPool2D, MaxPool1D, AvgPool1D = MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D
GlobalMaxPool2D, GlobalAvgPool2D = GlobalMaxPooling2D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalAvgPool1D = GlobalMaxPooling1D, GlobalAveragePooling1D
