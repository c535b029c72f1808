"""Conv2DTranspose and Conv1DTranspose: the transposed ("deconvolution") layers, which upsample."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.convolutional.conv import Conv, _tuple
from tensorlet.layers.layer import InputSpec
from tensorlet.ops import conv_transpose as ops
from tensorlet.ops import elementwise as E


class ConvTranspose(Conv):
    """Shared transposed convolution; the kernel is ``kernel_size + (filters, input_channels)``."""

    def __init__(self, filters: int, kernel_size: int | tuple[int, ...], strides: int | tuple[int, ...] = 1,
                 padding: str = "valid", output_padding: int | tuple[int, ...] | None = None,
                 data_format: str | None = None, dilation_rate: int | tuple[int, ...] = 1,
                 **kwargs: Any) -> None:
        if "groups" in kwargs:
            raise TypeError(f"{type(self).__name__} does not take `groups`")
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, **kwargs)
        self.output_padding = None if output_padding is None else _tuple(output_padding, self.rank, "output_padding")
        if self.output_padding is not None:
            for p, s, d in zip(self.output_padding, self.strides, self.dilation_rate):
                if p >= s and p >= d:
                    raise ValueError(f"`output_padding` must be smaller than the stride or the dilation rate; got "
                                     f"output_padding={self.output_padding}, strides={self.strides}, "
                                     f"dilation_rate={self.dilation_rate}")

    def build(self, input_shape: Any) -> None:
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f'Layer "{self.name}": the channel dimension of the inputs must be defined, got '
                             f"{tuple(input_shape)}")
        shape = self.kernel_size + (self.filters, int(channels))
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: int(channels)})
        self.built = True

    def call(self, inputs: Any) -> Any:
        x = self._to_nhwc(inputs)
        one = self.rank == 1  # a 1-D layer runs the 2-D op on a height of 1
        s = (1,) + self.strides if one else self.strides
        d = (1,) + self.dilation_rate if one else self.dilation_rate
        op = self.output_padding
        if op is not None and one:
            op = (0,) + op
        y = ops.conv2d_transpose(x, self._kernel2d(), s, self.padding, op, d)
        if self.bias is not None:
            y = E.add(y, self.bias)
        return self.activation(self._from_nhwc(y))

    def compute_output_shape(self, input_shape: Any) -> Any:
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        op = self.output_padding or (None,) * self.rank
        out = tuple(None if n is None else ops.transpose_out_size(n, k, s, d, self.padding, p)
                    for n, k, s, d, p in zip(spatial, self.kernel_size, self.strides, self.dilation_rate, op))
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = None if self.output_padding is None else list(self.output_padding)
        return config


class Conv2DTranspose(ConvTranspose):
    """Transposed 2-D convolution: each input pixel spreads a ``kernel_size`` patch over a ``strides``-spaced
    output grid (learned upsampling)."""

    rank = 2


class Conv1DTranspose(ConvTranspose):
    """Transposed 1-D convolution over the steps of ``(batch, steps, channels)`` inputs."""

    rank = 1


Convolution2DTranspose = Conv2DTranspose
