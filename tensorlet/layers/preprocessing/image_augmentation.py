"""Random image augmentation layers: active in training only, identity at inference (RandomCrop centre-crops).

Each augmentation runs as one ``Function`` so that a traced training step draws fresh random numbers on every
replay (as Dropout does). The random parameters get no gradient; the gradient with respect to the images is
the adjoint of the (linear) resampling, so the layers can also sit after trainable layers.
"""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Callable

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.backend import Array
from tensorlet.config import image_data_format
from tensorlet.dtypes import np_dtype
from tensorlet.layers.layer import Layer
from tensorlet.ops import image as image_ops
from tensorlet.random import host_rng

Backward = Callable[[Array], Array]


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"Unknown value for `{name}` argument. Expected one of {list(choices)}. "
                         f"Received: {name}={value!r}")
    return value


def _bounds(name: str, value: Any, low: float | None = None, high: float | None = None,
            single: str = "symmetric") -> tuple[float, float]:
    """(lower, upper) from a float f ((-f, f), or (f, f) when ``single == "same"``) or a pair; range-checked."""
    if isinstance(value, Real) and not isinstance(value, bool):
        f = float(value)
        lower, upper = (f, f) if single == "same" else (-abs(f), abs(f))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, Real) and not isinstance(v, bool) for v in value):
        lower, upper = float(value[0]), float(value[1])
    else:
        raise ValueError(f"`{name}` must be a float or a tuple of two floats (lower, upper). "
                         f"Received: {name}={value!r}")
    if not (math.isfinite(lower) and math.isfinite(upper)):
        raise ValueError(f"`{name}` must be finite. Received: {name}={value!r}")
    if lower > upper and single != "same":
        raise ValueError(f"`{name}` lower bound must not exceed its upper bound. Received: {name}={value!r}")
    if (low is not None and min(lower, upper) < low) or (high is not None and max(lower, upper) > high):
        raise ValueError(f"`{name}` must have values between [{low}, {high}]. Received: {name}={value!r}")
    return lower, upper


class _Augment(Function):
    """One augmentation call on raw arrays: layout handling around the layer's ``_augment`` on NHWC floats."""

    varies = True  # a new draw on every call

    def __init__(self, layer: BaseImageAugmentationLayer, training: bool) -> None:
        self.layer, self.training = layer, training

    def forward(self, x: Any) -> Any:
        from tensorlet.random import _rng

        layer, xp = self.layer, self.xp
        x = xp.asarray(x)
        dtype = x.dtype if x.dtype.kind == "f" else np_dtype(layer.dtype)
        img = (x if x.ndim == 4 else x[None]).astype(dtype, copy=False)
        first = layer.data_format == "channels_first"
        if first:
            img = img.transpose(0, 2, 3, 1)
        rng = _rng(layer._rng) if self.training else None
        y, back = layer._augment(img, rng, self.training)
        self.saved = (back, first, x.ndim, img.shape)
        y = y.transpose(0, 3, 1, 2) if first else y
        return xp.ascontiguousarray(y[0] if x.ndim == 3 else y, dtype=dtype)

    def backward(self, dy: Any) -> Any:
        back, first, ndim, _ = self.saved
        g = dy if ndim == 4 else dy[None]
        g = back(g.transpose(0, 2, 3, 1) if first else g)
        g = g.transpose(0, 3, 1, 2) if first else g
        return g[0] if ndim == 3 else g


class BaseImageAugmentationLayer(Layer):
    """Shared plumbing: seed, data_format, the training switch, and the resampling helper."""

    _passthrough_at_inference = True
    interpolation: str  # set by the resampling layers (_AffineMixin._init_sampling); _resample reads them
    fill_mode: str

    def __init__(self, seed: int | None = None, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, Integral))):
            raise ValueError(f"`seed` must be an int or None. Received: seed={seed!r}")
        self.seed = None if seed is None else int(seed)
        fmt = image_data_format() if data_format is None else data_format
        self.data_format = _check_choice("data_format", fmt, ("channels_last", "channels_first"))
        self._rng = None if seed is None else host_rng(self.seed)

    def call(self, inputs: Any, training: Any = None) -> Any:
        ndim = len(inputs.shape)
        if ndim not in (3, 4):
            raise ValueError(f'Layer "{self.name}" expects a 3D (unbatched) or 4D (batched) image tensor; '
                             f"received input with shape {tuple(inputs.shape)}")
        if not training and self._passthrough_at_inference:
            return inputs
        return _Augment(self, bool(training))(inputs)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        raise NotImplementedError

    def _resample(self, images: Array, matrices: Array, out_hw: Any = None, interpolation: Any = None,
                  fill_mode: Any = None) -> tuple[Array, Backward]:
        plan = image_ops.sampling_plan(matrices, images.shape[0], images.shape[1:3], out_hw,
                                       interpolation or self.interpolation, fill_mode or self.fill_mode)
        y = image_ops.resample(images, plan, getattr(self, "fill_value", 0.0))
        shape = images.shape
        return y, lambda dy: image_ops.resample_transpose(dy, plan, shape)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape)

    def _output_dtype(self, inputs: Any) -> str:
        dtype = str(getattr(inputs, "dtype", self.dtype))
        return dtype if dtype.startswith(("float", "bfloat")) else self.dtype

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"seed": self.seed, "data_format": self.data_format})
        return config


class _AffineMixin:
    fill_mode: str
    interpolation: str
    fill_value: float

    def _init_sampling(self, fill_mode: str, interpolation: str, fill_value: float) -> None:
        self.fill_mode = _check_choice("fill_mode", fill_mode, image_ops.FILL_MODES)
        self.interpolation = _check_choice("interpolation", interpolation, image_ops.INTERPOLATIONS)
        if not isinstance(fill_value, Real) or isinstance(fill_value, bool):
            raise ValueError(f"`fill_value` must be a number. Received: fill_value={fill_value!r}")
        self.fill_value = float(fill_value)

    def _sampling_config(self) -> dict[str, Any]:
        return {"fill_mode": self.fill_mode, "interpolation": self.interpolation, "fill_value": self.fill_value}


class RandomFlip(BaseImageAugmentationLayer):
    """Flip each image left-right and/or up-down, each with probability 0.5, during training.

    Args:
        mode: "horizontal_and_vertical" (default), "horizontal" (left-right) or "vertical" (up-down).
        seed: an int for a reproducible sequence of flips.
        data_format: "channels_last" (N, H, W, C) or "channels_first" (N, C, H, W).
    """

    MODES = ("horizontal_and_vertical", "horizontal", "vertical")

    def __init__(self, mode: str = "horizontal_and_vertical", seed: int | None = None, data_format: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = _check_choice("mode", mode, self.MODES)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        n, xp = images.shape[0], backend.xp()
        no = xp.zeros(n, dtype=bool)
        h = xp.asarray(rng.random(n) < 0.5) if self.mode != "vertical" else no
        v = xp.asarray(rng.random(n) < 0.5) if self.mode != "horizontal" else no

        def flip(a: Array) -> Array:  # an involution, so it is also its own adjoint
            a = xp.where(h[:, None, None, None], a[:, :, ::-1], a)
            return xp.where(v[:, None, None, None], a[:, ::-1], a)

        return flip(images), flip

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["mode"] = self.mode
        return config


class RandomRotation(_AffineMixin, BaseImageAugmentationLayer):
    """Rotate each image about its centre by a random angle during training.

    Args:
        factor: a fraction of 2π; a float f means a range of (-f, f), a pair gives (lower, upper). Positive
            angles turn the image counter-clockwise.
        fill_mode: how points outside the input are filled: "reflect" (d c b a | a b c d | d c b a), "wrap"
            (a b c d | a b c d | a b c d), "constant" (k k k k | a b c d | k k k k, k = fill_value) or
            "nearest" (a a a a | a b c d | d d d d).
        interpolation: "bilinear" or "nearest".
        seed, fill_value, data_format: as usual.
    """

    def __init__(self, factor: Any, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.lower, self.upper = _bounds("factor", factor)
        self.factor = factor
        self._init_sampling(fill_mode, interpolation, fill_value)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        n, h, w = images.shape[:3]
        angles = rng.uniform(self.lower, self.upper, n) * (2.0 * math.pi)
        return self._resample(images, image_ops.rotation_matrices(angles, h, w))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"factor": self.factor, **self._sampling_config()})
        return config


class RandomTranslation(_AffineMixin, BaseImageAugmentationLayer):
    """Shift each image by a random fraction of its height and width during training.

    Args:
        height_factor: fraction of the height, a float f for (-f, f) or a pair (lower, upper) in [-1, 1];
            positive values shift the image down.
        width_factor: the same for the width; positive values shift the image right.
        fill_mode, interpolation, seed, fill_value, data_format: as in ``RandomRotation``.
    """

    def __init__(self, height_factor: Any, width_factor: Any, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: int | None = None, fill_value: float = 0.0,
                 data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_lower, self.height_upper = _bounds("height_factor", height_factor, -1.0, 1.0)
        self.width_lower, self.width_upper = _bounds("width_factor", width_factor, -1.0, 1.0)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._init_sampling(fill_mode, interpolation, fill_value)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        n, h, w = images.shape[:3]
        dy = rng.uniform(self.height_lower, self.height_upper, n) * h
        dx = rng.uniform(self.width_lower, self.width_upper, n) * w
        return self._resample(images, image_ops.translation_matrices(dx, dy))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       **self._sampling_config()})
        return config


class RandomZoom(_AffineMixin, BaseImageAugmentationLayer):
    """Zoom each image in or out about its centre by a random amount during training.

    Args:
        height_factor: a float f for (-f, f) or a pair (lower, upper) in [-1, 1]; the vertical zoom is
            1 + U(lower, upper). A positive value zooms out, a negative value zooms in.
        width_factor: the same horizontally; None (default) zooms both axes alike, keeping the aspect ratio.
        fill_mode, interpolation, seed, fill_value, data_format: as in ``RandomRotation``.
    """

    def __init__(self, height_factor: Any, width_factor: Any = None, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: int | None = None, fill_value: float = 0.0,
                 data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_lower, self.height_upper = _bounds("height_factor", height_factor, -1.0, 1.0)
        self.width_bounds = None if width_factor is None else _bounds("width_factor", width_factor, -1.0, 1.0)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._init_sampling(fill_mode, interpolation, fill_value)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        n, h, w = images.shape[:3]
        zoom_h = 1.0 + rng.uniform(self.height_lower, self.height_upper, n)
        zoom_w = zoom_h if self.width_bounds is None else 1.0 + rng.uniform(*self.width_bounds, n)
        return self._resample(images, image_ops.zoom_matrices(zoom_w, zoom_h, h, w))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       **self._sampling_config()})
        return config


class RandomContrast(BaseImageAugmentationLayer):
    """Scale each channel's deviation from its mean by a random factor during training.

    y = (x - mean) * c + mean with c ~ U(1 - lower, 1 + upper) per image, clipped to ``value_range``.

    Args:
        factor: a float f in [0, 1] (lower = upper = f) or a pair (lower, upper) in [0, 1].
        value_range: (min, max) of the pixel values; the output is clipped to it.
        seed, data_format: as usual.
    """

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: int | None = None, data_format: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.lower, self.upper = _bounds("factor", factor, 0.0, 1.0, single="same")
        self.factor = factor
        ok = isinstance(value_range, (tuple, list)) and len(value_range) == 2
        if not ok or not float(value_range[0]) < float(value_range[1]):
            raise ValueError(f"`value_range` must be a pair (min, max) with min < max. "
                             f"Received: value_range={value_range!r}")
        self.value_range = tuple(value_range)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        xp = backend.xp()
        c = xp.asarray(rng.uniform(1.0 - self.lower, 1.0 + self.upper, (images.shape[0], 1, 1, 1)), images.dtype)
        mean = images.mean(axis=(1, 2), keepdims=True)
        raw = (images - mean) * c + mean
        lo, hi = float(self.value_range[0]), float(self.value_range[1])
        inside = (raw >= lo) & (raw <= hi)

        def back(dy: Array) -> Array:
            g = dy * inside
            return g * c + g.mean(axis=(1, 2), keepdims=True) * (1 - c)

        return xp.clip(raw, lo, hi), back

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range})
        return config


class RandomCrop(BaseImageAugmentationLayer):
    """Crop the images to (height, width) at a random place (one per batch) during training.

    When an image is smaller than the target (or at inference), the largest centred window of the target's
    aspect ratio is resized (bilinear) to the target size, as ``smart_resize`` does.

    Args:
        height, width: the output size.
        seed, data_format: as usual.
    """

    _passthrough_at_inference = False

    def __init__(self, height: int, width: int, seed: int | None = None, data_format: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        for name, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, (int, Integral)) or value < 1:
                raise ValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")
        self.height, self.width = int(height), int(width)

    def _augment(self, images: Array, rng: Any, training: bool) -> tuple[Array, Backward]:
        n, h, w = images.shape[:3]
        th, tw = self.height, self.width
        if training and h >= th and w >= tw:  # one crop location for the whole batch, as Keras documents
            top, left = int(rng.integers(0, h - th + 1)), int(rng.integers(0, w - tw + 1))
            window = (slice(None), slice(top, top + th), slice(left, left + tw))
            shape = images.shape

            def back(dy: Array) -> Array:
                dx = backend.xp().zeros(shape, dtype=dy.dtype)
                dx[window] = dy
                return dx

            return images[window], back
        crop_h, crop_w = min(h, int(w * th / tw)), min(w, int(h * tw / th))
        top, left = (h - crop_h) // 2, (w - crop_w) // 2
        m = image_ops.crop_resize_matrices([top] * n, [left] * n, crop_h, crop_w, th, tw)
        return self._resample(images, m, (th, tw), "bilinear", "nearest")

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = list(input_shape)
        if self.data_format == "channels_first":
            s[-2:] = [self.height, self.width]
        else:
            s[-3:-1] = [self.height, self.width]
        return tuple(s)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config


__all__ = ["BaseImageAugmentationLayer", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom",
           "RandomContrast", "RandomCrop"]
