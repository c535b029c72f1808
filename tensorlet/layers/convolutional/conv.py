"""Conv1D and Conv2D (channels_last by default, channels_first accepted)."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from tensorlet import activations, constraints, initializers, regularizers
from tensorlet.config import image_data_format
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.ops import conv as conv_ops
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S


def _tuple(v: Any, n: int, name: str) -> tuple[int, ...]:
    if isinstance(v, int):
        return (v,) * n
    t = tuple(int(a) for a in v)
    if len(t) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, got {v!r}")
    return t


class Geometry(NamedTuple):
    """The arguments every convolution layer validates the same way; each becomes a layer attribute."""

    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    dilation_rate: tuple[int, ...]
    padding: str
    data_format: str
    activation: Callable[..., Any]
    use_bias: bool


def conv_geometry(layer_name: str, rank: int, kernel_size: int | tuple[int, ...], strides: Any, padding: str,
                  data_format: str | None, dilation_rate: int | tuple[int, ...], activation: Any,
                  use_bias: bool) -> Geometry:
    """Kernel, strides, dilation, padding, data format, activation and bias of a convolution layer, checked, with
    errors naming the argument and the value given."""
    kernel = _tuple(kernel_size, rank, "kernel_size")
    stride = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    for name, given, value in (("kernel_size", kernel_size, kernel), ("strides", strides, stride),
                               ("dilation_rate", dilation_rate, dilation)):
        if any(v <= 0 for v in value):
            raise ValueError(f'Layer "{layer_name}": `{name}` must be positive integers (a tuple of {rank}). '
                             f"Received: {name}={given!r}")
    pad = padding.lower()
    if pad not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return Geometry(kernel, stride, dilation, pad, data_format or image_data_format(), activations.get(activation),
                    use_bias)


class Conv(Layer):
    """Shared N-D convolution (N = 1 or 2), computed by the 2-D op."""

    rank = 2

    def __init__(self, filters: int, kernel_size: int | tuple[int, ...], strides: int | tuple[int, ...] = 1,
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: int | tuple[int, ...] = 1, groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`: expected a positive integer, got {filters!r}")
        if filters % groups:
            raise ValueError(f"`filters` ({filters}) must be divisible by `groups` ({groups})")
        self.filters, self.groups = filters, groups
        (self.kernel_size, self.strides, self.dilation_rate, self.padding, self.data_format, self.activation,
         self.use_bias) = conv_geometry(self.name, self.rank, kernel_size, strides, padding, data_format,
                                        dilation_rate, activation, use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape: Any) -> None:
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f'Layer "{self.name}": the channel dimension of the inputs must be defined, got '
                             f"{tuple(input_shape)}")
        if channels % self.groups:
            raise ValueError(f'Layer "{self.name}": {channels} input channels are not divisible by groups={self.groups}')
        shape = self.kernel_size + (channels // self.groups, self.filters)
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None
        axes = {self._channel_axis: int(channels)}
        self.input_spec = InputSpec(ndim=self.rank + 2, axes=axes)
        self.built = True

    def _to_nhwc(self, x: Any) -> Any:
        if self.data_format == "channels_first":
            x = S.transpose(x, (0,) + tuple(range(2, self.rank + 2)) + (1,))
        if self.rank == 1:
            x = S.expand_dims(x, 1)
        return x

    def _from_nhwc(self, y: Any) -> Any:
        if self.rank == 1:
            y = S.squeeze(y, 1)
        if self.data_format == "channels_first":
            y = S.transpose(y, (0, self.rank + 1) + tuple(range(1, self.rank + 1)))
        return y

    def _kernel2d(self) -> Any:
        return S.expand_dims(self.kernel, 0) if self.rank == 1 else self.kernel

    def call(self, inputs: Any) -> Any:
        return self._convolve(inputs, self.padding)

    def _convolve(self, inputs: Any, padding: str) -> Any:
        x = self._to_nhwc(inputs)
        s = (1,) + self.strides if self.rank == 1 else self.strides
        d = (1,) + self.dilation_rate if self.rank == 1 else self.dilation_rate
        kernel = self._kernel2d()
        if self.groups > 1 and kernel.shape[2] == 1:  # one input channel per group: a depthwise convolution
            from tensorlet.ops.depthwise_conv import depthwise_conv2d

            kh, kw = kernel.shape[:2]  # output f = c * M + m reads input channel c, as depthwise orders them
            y = depthwise_conv2d(x, S.reshape(kernel, (kh, kw, self.groups, self.filters // self.groups)), s,
                                 padding, d)
        else:
            relu = self.activation is activations.relu
            if (relu or self.activation is activations.linear) and self.data_format != "channels_first" and \
                    self.rank == 2:
                # bias and ReLU run in place on the convolution's output
                return conv_ops.conv2d(x, kernel, s, padding, d, self.groups, self.bias, "relu" if relu else None)
            y = conv_ops.conv2d(x, kernel, s, padding, d, self.groups)
        if self.bias is not None:
            y = E.add(y, self.bias)
        return self.activation(self._from_nhwc(y))

    def compute_output_shape(self, input_shape: Any) -> Any:
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = tuple(None if n is None else conv_ops.out_size(n, k, s, d, self.padding)
                    for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        if any(n is not None and n <= 0 for n in out):
            raise ValueError(f'Layer "{self.name}": the kernel {self.kernel_size} (dilation {self.dilation_rate}, '
                             f"padding='{self.padding}') is larger than its input of shape {tuple(input_shape)}: "
                             "the output would be empty. Use padding='same', a smaller kernel_size, or less pooling "
                             "before this layer.")
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"filters": self.filters, "kernel_size": list(self.kernel_size), "strides": list(self.strides),
                       "padding": self.padding, "data_format": self.data_format,
                       "dilation_rate": list(self.dilation_rate), "groups": self.groups,
                       "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                       "kernel_initializer": ser(self.kernel_initializer),
                       "bias_initializer": ser(self.bias_initializer),
                       "kernel_regularizer": ser(self.kernel_regularizer),
                       "bias_regularizer": ser(self.bias_regularizer),
                       "activity_regularizer": ser(self.activity_regularizer),
                       "kernel_constraint": ser(self.kernel_constraint),
                       "bias_constraint": ser(self.bias_constraint)})
        return config


class Conv2D(Conv):
    """2-D convolution: ``filters`` kernels of ``kernel_size`` slide over height and width."""

    rank = 2


class Conv1D(Conv):
    """1-D convolution over the steps of ``(batch, steps, channels)`` inputs."""

    rank = 1

    def __init__(self, filters: int, kernel_size: int | tuple[int, ...], strides: int | tuple[int, ...] = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: int | tuple[int, ...] = 1, **kwargs: Any) -> None:
        causal = isinstance(padding, str) and padding.lower() == "causal"
        super().__init__(filters, kernel_size, strides, "valid" if causal else padding, data_format, dilation_rate,
                         **kwargs)
        if causal:  # output t sees inputs up to t only: pad (kernel_size - 1) * dilation steps on the left
            self.padding = "causal"

    def call(self, inputs: Any) -> Any:
        if self.padding != "causal":
            return super().call(inputs)
        left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
        time_axis = 1 if self.data_format == "channels_last" else 2
        pads = [[0, 0], [0, 0], [0, 0]]
        pads[time_axis] = [left, 0]
        return self._convolve(S.pad(inputs, pads), "valid")

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self.padding != "causal":
            return super().compute_output_shape(input_shape)
        steps = input_shape[1] if self.data_format == "channels_last" else input_shape[2]
        out = None if steps is None else -(-steps // self.strides[0])
        if self.data_format == "channels_last":
            return (input_shape[0], out, self.filters)
        return (input_shape[0], self.filters, out)


Convolution2D = Conv2D
Convolution1D = Conv1D
