"""A projective image transform as an op (``keras.ops.image.affine_transform``): the transforms are an input, so a
traced function resamples with each call's transforms; the gradient flows to the images (bilinear weights are
piecewise constant in the transform, which gets none)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.ops import image


class AffineTransform(Function):
    """y = images resampled at the input coordinates the transforms map each output pixel to."""

    def __init__(self, interpolation: str, fill_mode: str, fill_value: float) -> None:
        self.interpolation, self.fill_mode, self.fill_value = interpolation, fill_mode, fill_value

    def forward(self, images: Any, transforms: Any) -> Any:
        plan = image.sampling_plan(transforms, images.shape[0], images.shape[1:3], None, self.interpolation,
                                   self.fill_mode)
        self.saved = (plan, images.shape)
        return image.resample(images, plan, self.fill_value)

    def backward(self, dy: Any) -> Any:
        plan, shape = self.saved
        return image.resample_transpose(dy, plan, shape), None
