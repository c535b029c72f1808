"""What every application builds around its body: the input, the classifier top or pooling, the model.

Keras' constructors share these rules: ``input_tensor`` (a symbolic tensor) replaces the model's own input and
the model starts from that tensor's source inputs; with ``include_top`` the model ends in a classifier of
``classes`` outputs, otherwise in the last feature map or its global ``pooling`` ("avg" or "max").
"""
from __future__ import annotations

from typing import Any

from tensorlet.config import image_data_format
from tensorlet.layers.input_layer import Input
from tensorlet.layers.node import KerasTensor


def channel_axis() -> int:
    """The channel axis of 4-D image tensors under the global data format (3 or 1)."""
    return 3 if image_data_format() == "channels_last" else 1


def image_input(input_tensor: Any, input_shape: tuple[Any, ...]) -> KerasTensor:
    """The tensor the network starts from: ``input_tensor`` when it is symbolic, else a new ``Input``."""
    if input_tensor is None:
        return Input(shape=input_shape)
    if isinstance(input_tensor, KerasTensor):
        return input_tensor
    return Input(shape=tuple(getattr(input_tensor, "shape", input_shape))[1:] or input_shape)


def source_inputs(tensor: KerasTensor) -> list[KerasTensor]:
    """The Input tensors a symbolic tensor is computed from (the model's inputs when it was given as
    ``input_tensor``)."""
    found: list[KerasTensor] = []
    seen: set[int] = set()

    def walk(t: KerasTensor) -> None:
        node = t.node
        if node is None or node.is_input:
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            return
        for parent in node.input_tensors:
            walk(parent)

    walk(tensor)
    return found


def model_inputs(input_tensor: Any, img_input: KerasTensor) -> Any:
    if isinstance(input_tensor, KerasTensor):
        sources = source_inputs(input_tensor)
        return sources[0] if len(sources) == 1 else sources
    return img_input


def global_pool(x: Any, pooling: str | None, named: bool = False) -> Any:
    """Global "avg" or "max" pooling of the last feature map (named avg_pool / max_pool in the families that
    name it), or the map itself for None."""
    from tensorlet.layers import GlobalAveragePooling2D, GlobalMaxPooling2D

    if pooling == "avg":
        return GlobalAveragePooling2D(name="avg_pool" if named else None)(x)
    if pooling == "max":
        return GlobalMaxPooling2D(name="max_pool" if named else None)(x)
    if pooling is not None:
        raise ValueError(f"`pooling` must be None, 'avg' or 'max', got {pooling!r}")
    return x


def dense_classifier(x: Any, classes: int, classifier_activation: Any, weights: Any, **dense_kwargs: Any) -> Any:
    """The usual top: a ``predictions`` Dense layer of ``classes`` units on pooled features."""
    from tensorlet.applications.imagenet_utils import validate_activation
    from tensorlet.layers import Dense

    validate_activation(classifier_activation, weights)
    return Dense(classes, activation=classifier_activation, name="predictions", **dense_kwargs)(x)


def build_model(input_tensor: Any, img_input: KerasTensor, outputs: Any, name: str) -> Any:
    from tensorlet.models.functional import Functional

    return Functional(model_inputs(input_tensor, img_input), outputs, name=name)
