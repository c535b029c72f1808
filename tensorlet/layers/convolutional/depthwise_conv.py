"""DepthwiseConv2D and SeparableConv2D (channels_last by default, channels_first accepted)."""
from __future__ import annotations

from typing import Any

from tensorlet import activations, constraints, initializers, regularizers
from tensorlet.layers.convolutional.conv import conv_geometry
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.ops import conv as conv_ops
from tensorlet.ops import depthwise_conv as dw_ops
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S


class DepthwiseConv2D(Layer):
    """Each input channel is convolved with its own ``depth_multiplier`` kernels; channels are not mixed.

    The kernel is ``kernel_size + (input_channels, depth_multiplier)``; the output has
    ``input_channels * depth_multiplier`` channels, channel ``c * depth_multiplier + m`` coming from input
    channel ``c``.
    """

    _depthwise_weight_name = "kernel"

    def __init__(self, kernel_size: int | tuple[int, ...], strides: int | tuple[int, ...] = 1,
                 padding: str = "valid", depth_multiplier: int = 1, data_format: str | None = None,
                 dilation_rate: int | tuple[int, ...] = 1, activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
            raise ValueError(f"Invalid value for argument `depth_multiplier`: expected a positive integer, got "
                             f"{depth_multiplier!r}")
        self.depth_multiplier = depth_multiplier
        (self.kernel_size, self.strides, self.dilation_rate, self.padding, self.data_format, self.activation,
         self.use_bias) = conv_geometry(self.name, 2, kernel_size, strides, padding, data_format, dilation_rate,
                                        activation, use_bias)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`strides` > 1 is not compatible with `dilation_rate` > 1; got strides={self.strides}, "
                             f"dilation_rate={self.dilation_rate}")
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=4)

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _channels(self, input_shape: Any) -> int:
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f'Layer "{self.name}": the channel dimension of the inputs must be defined, got '
                             f"{tuple(input_shape)}")
        return int(channels)

    @property
    def _out_channels(self) -> int:
        return self._in_channels * self.depth_multiplier

    def build(self, input_shape: Any) -> None:
        self._in_channels = self._channels(input_shape)
        shape = self.kernel_size + (self._in_channels, self.depth_multiplier)
        self.kernel = self.add_weight(name=self._depthwise_weight_name, shape=shape,
                                      initializer=self.depthwise_initializer,
                                      regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint)
        self._build_pointwise()
        self.bias = self.add_weight(name="bias", shape=(self._out_channels,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None
        self.input_spec = InputSpec(ndim=4, axes={self._channel_axis: self._in_channels})
        self.built = True

    def _build_pointwise(self) -> None:
        pass

    def _pointwise(self, y: Any) -> Any:
        return y

    def call(self, inputs: Any) -> Any:
        x = S.transpose(inputs, (0, 2, 3, 1)) if self.data_format == "channels_first" else inputs
        y = self._pointwise(dw_ops.depthwise_conv2d(x, self.kernel, self.strides, self.padding, self.dilation_rate))
        if self.bias is not None:
            y = E.add(y, self.bias)
        if self.data_format == "channels_first":
            y = S.transpose(y, (0, 3, 1, 2))
        return self.activation(y)

    def compute_output_shape(self, input_shape: Any) -> Any:
        channels_last = self.data_format == "channels_last"
        spatial = input_shape[1:3] if channels_last else input_shape[2:4]
        out = tuple(None if n is None else conv_ops.out_size(n, k, s, d, self.padding)
                    for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        c = input_shape[self._channel_axis]
        filters = getattr(self, "filters", None) or (None if c is None else int(c) * self.depth_multiplier)
        return (input_shape[0],) + out + (filters,) if channels_last else (input_shape[0], filters) + out

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"depth_multiplier": self.depth_multiplier, "kernel_size": list(self.kernel_size),
                       "strides": list(self.strides), "padding": self.padding, "data_format": self.data_format,
                       "dilation_rate": list(self.dilation_rate),
                       "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                       "depthwise_initializer": ser(self.depthwise_initializer),
                       "bias_initializer": ser(self.bias_initializer),
                       "depthwise_regularizer": ser(self.depthwise_regularizer),
                       "bias_regularizer": ser(self.bias_regularizer),
                       "activity_regularizer": ser(self.activity_regularizer),
                       "depthwise_constraint": ser(self.depthwise_constraint),
                       "bias_constraint": ser(self.bias_constraint)})
        return config


class SeparableConv2D(DepthwiseConv2D):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution that mixes the channels into
    ``filters`` outputs. Weights: ``depthwise_kernel`` (KH, KW, C, M), ``pointwise_kernel`` (1, 1, C*M, filters),
    ``bias`` (filters,)."""

    _depthwise_weight_name = "depthwise_kernel"

    def __init__(self, filters: int, kernel_size: int | tuple[int, ...], strides: int | tuple[int, ...] = 1,
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: int | tuple[int, ...] = 1, depth_multiplier: int = 1, activation: Any = None,
                 use_bias: bool = True, depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, pointwise_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 depthwise_constraint: Any = None, pointwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any) -> None:
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`: expected a positive integer, got {filters!r}")
        self.filters = filters
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, activation,
                         use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    @property
    def _out_channels(self) -> int:
        return self.filters

    @property
    def depthwise_kernel(self) -> Any:
        return self.kernel

    def _build_pointwise(self) -> None:
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel", shape=(1, 1, self._in_channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)

    def _pointwise(self, y: Any) -> Any:
        return conv_ops.conv2d(y, self.pointwise_kernel)

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"filters": self.filters, "pointwise_initializer": ser(self.pointwise_initializer),
                       "pointwise_regularizer": ser(self.pointwise_regularizer),
                       "pointwise_constraint": ser(self.pointwise_constraint)})
        return config


SeparableConvolution2D = SeparableConv2D
