"""ConvLSTM2D (Shi et al., 2015): an LSTM whose products are 2-D convolutions, over sequences of images."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.config import image_data_format
from tensorlet.layers.recurrent.gate_cell import Masks
from tensorlet.layers.recurrent.lstm import LSTMCell
from tensorlet.layers.recurrent.rnn import RNN
from tensorlet.layers.regularization.dropout import DropoutMask
from tensorlet.ops import conv as conv_ops
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S

_CELL = ("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "recurrent_activation",
         "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
         "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
         "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed")


def _pair(v: Any) -> tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, int) else tuple(int(d) for d in v)  # type: ignore[return-value]


class ConvLSTM2DCell(LSTMCell):
    """The cell of ConvLSTM2D: LSTM gates from ``conv(x_t, kernel) + conv(h, recurrent_kernel)`` (the recurrent
    convolution with "same" padding), states ``[h, c]`` of shape (batch, rows, cols, filters), channels last.

    Weights (Keras order): ``kernel`` (kh, kw, channels, 4 filters), ``recurrent_kernel`` (kh, kw, filters,
    4 filters), ``bias`` (4 filters,).
    """

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 dilation_rate: Any = 1, **kwargs: Any) -> None:
        super().__init__(filters, **kwargs)
        self.filters = int(filters)
        self.kernel_size, self.strides = _pair(kernel_size), _pair(strides)
        self.dilation_rate = _pair(dilation_rate)
        self.padding = padding.lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"ConvLSTM2D: padding must be 'valid' or 'same', got {padding!r}")
        self._spatial: tuple[int, int] | None = None
        self._input_step_shape: tuple[Any, ...]  # (rows, cols, channels) of one step: set by ConvLSTM2D.build

    @property
    def state_size(self) -> Any:
        return [self.filters, self.filters]

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)  # (batch, rows, cols, channels) of one step
        rows, cols, channels = shape[-3], shape[-2], shape[-1]
        kh, kw = self.kernel_size
        n = 4 * self.filters
        self.kernel = self.add_weight(name="kernel", shape=(kh, kw, channels, n),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(kh, kw, self.filters, n), initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        self.bias = (self.add_weight(name="bias", shape=(n,), initializer=self._bias_init(),
                                     regularizer=self.bias_regularizer, constraint=self.bias_constraint)
                     if self.use_bias else None)
        if rows is not None and cols is not None:
            self._spatial = self.output_spatial(rows, cols)
        self.built = True

    def output_spatial(self, rows: int, cols: int) -> tuple[int, int]:
        return tuple(conv_ops.out_size(n, k, s, d, self.padding)  # type: ignore[return-value]
                     for n, k, s, d in zip((rows, cols), self.kernel_size, self.strides, self.dilation_rate))

    def project(self, x: Tensor, masks: Masks) -> Tensor:
        """conv(x, kernel) + bias for one step (B, H, W, C) or all steps (B, T, H, W, C) at once."""
        if masks is not None:
            x = E.multiply(x, S.expand_dims(masks[0], 1) if x.ndim == 5 else masks[0])
        shape = tuple(x._value.shape)
        flat = S.reshape(x, (-1,) + shape[-3:]) if x.ndim == 5 else x
        y = conv_ops.conv2d(flat, self.kernel, self.strides, self.padding, self.dilation_rate)
        if self.bias is not None:
            y = E.add(y, self.bias)
        return S.reshape(y, shape[:2] + tuple(y._value.shape[1:])) if x.ndim == 5 else y

    def _recurrent(self, h: Tensor, rec_masks: Masks) -> Tensor:
        hm = h if rec_masks is None else E.multiply(h, rec_masks[0])
        return conv_ops.conv2d(hm, self.recurrent_kernel, 1, "same")

    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        h, c = states
        z = E.add(x_t, self._recurrent(h, rec_masks))
        f, rec = self.filters, self.recurrent_activation

        def block(k: int) -> Tensor:
            return S.getitem(z, (Ellipsis, slice(k * f, (k + 1) * f)))

        i, g_f, o = rec(block(0)), rec(block(1)), rec(block(3))
        c = E.add(E.multiply(g_f, c), E.multiply(i, self.activation(block(2))))
        return [E.multiply(o, self.activation(c)), c]

    def dropout_masks(self, batch: int, features: int, training: Any, draw: Any = None) -> tuple[Masks, Masks]:
        """One mask per sequence over a whole input image and one over the state (Keras draws them so)."""
        shape = self._input_step_shape
        in_masks = ([self._mask((batch,) + shape, self.dropout)] if training and self.dropout > 0 else None)
        rec_masks = ([self._mask((batch,) + tuple(self._spatial or ()) + (self.filters,), self.recurrent_dropout)]
                     if training and self.recurrent_dropout > 0 else None)
        return in_masks, rec_masks

    def _mask(self, shape: tuple[int, ...], rate: float) -> Tensor:
        return DropoutMask(rate, self._rng)(_wrap(backend.xp().ones(shape, dtype=self.dtype)))

    def get_initial_state(self, batch_size: int) -> list[Tensor]:
        if self._spatial is None:
            raise ValueError(f'Layer "{self.name}": the image size must be known to make the initial states')
        xp = backend.xp()
        shape = (batch_size,) + tuple(self._spatial) + (self.filters,)
        return [_wrap(xp.zeros(shape, dtype=self.dtype)) for _ in range(2)]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("units", None)
        config.update({"filters": self.filters, "kernel_size": list(self.kernel_size), "strides": list(self.strides),
                       "padding": self.padding, "dilation_rate": list(self.dilation_rate)})
        return config


class ConvLSTM2D(RNN):
    """Convolutional LSTM over ``(batch, time, rows, cols, channels)`` (or channels first), the cell's weights in
    Keras' layout (``ConvLSTM2DCell``); the arguments are the cell's (``filters``, ``kernel_size``, ``strides``,
    ``padding``, ``dilation_rate`` and the LSTM ones) and ``RNN``'s.

    Example:
        >>> ConvLSTM2D(2, 3, return_sequences=True)(np.zeros((1, 4, 6, 6, 1), "float32")).shape
        TensorShape([1, 4, 4, 4, 2])
    """

    _keras_weights_subgroup = None

    def __init__(self, filters: int, kernel_size: Any, data_format: str | None = None, **kwargs: Any) -> None:
        cell_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in _CELL}
        layer_kwargs = {k: kwargs[k] for k in ("trainable", "dtype") if k in kwargs}
        cell = ConvLSTM2DCell(filters, kernel_size, name="conv_lstm_cell", **cell_kwargs, **layer_kwargs)
        super().__init__(cell, **kwargs)
        self.data_format = data_format or image_data_format()

    def __getattr__(self, name: str) -> Any:
        if name in _CELL or name in ("kernel", "recurrent_kernel", "bias"):
            cell = self.__dict__.get("cell")
            if cell is not None:
                return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _channels_last(self, shape: tuple[Any, ...]) -> tuple[Any, ...]:
        return shape if self.data_format == "channels_last" else (shape[0], shape[1]) + shape[3:] + (shape[2],)

    def build(self, input_shape: Any) -> None:
        shape = self._channels_last(tuple(input_shape))
        if len(shape) != 5:
            raise ValueError(f'Layer "{self.name}" (ConvLSTM2D) expects 5-D inputs (batch, time, rows, cols, '
                             f"channels); received input_shape={tuple(input_shape)}")
        self.cell._input_step_shape = shape[2:]
        self.cell._maybe_build((shape[0],) + shape[2:])
        self.built = True

    def call(self, inputs: Any, mask: Any = None, training: Any = None, initial_state: Any = None) -> Any:
        x = inputs if self.data_format == "channels_last" else S.transpose(inputs, (0, 1, 3, 4, 2))
        shape = tuple(x._value.shape)
        self.cell._input_step_shape = shape[2:]
        self.cell._spatial = self.cell.output_spatial(shape[2], shape[3])
        out = super().call(x, mask=mask, training=training, initial_state=initial_state)
        if self.data_format == "channels_last":
            return out
        outs = out if isinstance(out, list) else [out]
        back = [S.transpose(o, (0, 1, 4, 2, 3) if o.ndim == 5 else (0, 3, 1, 2)) for o in outs]
        return back if isinstance(out, list) else back[0]

    def _initial_states(self, initial_state: Any, batch: int) -> list[Any]:
        if initial_state is None:
            return super()._initial_states(None, batch)
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        if len(states) != 2:
            raise ValueError(f'Layer "{self.name}" (ConvLSTM2D) expects 2 initial states, received {len(states)}')
        return [s if isinstance(s, Tensor) else _wrap(backend.xp().asarray(s, dtype=self.dtype)) for s in states]

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = self._channels_last(tuple(input_shape))
        rows, cols = shape[2], shape[3]
        spatial = self.cell.output_spatial(rows, cols) if rows is not None and cols is not None else (None, None)
        step = (shape[0],) + tuple(spatial) + (self.cell.filters,)
        if self.data_format != "channels_last":
            step = (step[0], step[3], step[1], step[2])
        out = (step[0], shape[1]) + step[1:] if self.return_sequences else step
        return [out, step, step] if self.return_state else out

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out = mask if self.return_sequences else None
        return [out, None, None] if self.return_state else out

    def get_config(self) -> dict[str, Any]:
        config = RNN.get_config(self)
        config.pop("cell", None)
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["data_format"] = self.data_format
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> ConvLSTM2D:
        return cls(**config)
