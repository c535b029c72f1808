"""Keras masks: which timesteps of a padded batch are real, carried from layer to layer.

A mask is a boolean tensor (usually ``(batch, timesteps)``) kept in the ``_keras_mask`` attribute of a layer's
output, as in Keras. ``Embedding(mask_zero=True)`` and ``Masking`` make one (their ``compute_mask``); a layer with
``supports_masking`` hands the mask of its first input on (``compute_mask`` returns it, or a new one: an RNN with
``return_sequences=False`` ends it); a layer without it drops the mask silently (tf.keras 2; Keras 3 also warns).
A layer whose ``call`` takes ``mask`` receives the mask of its first argument there, and a ``call`` parameter named
``<arg>_mask`` receives the mask of argument ``<arg>`` (``MultiHeadAttention``'s ``query_mask``, ``value_mask``).
Losses and metrics read the mask of the model output (``losses.loss``, ``training.trainer``).

Masks are computed by ops, so a traced training step recomputes them from each batch. In a Functional graph the
symbolic outputs carry a symbolic mask (a ``KerasTensor`` of the mask's shape), computed by running
``compute_mask`` on placeholder values; the real masks flow when the model runs.
"""
from __future__ import annotations

import inspect
from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers.node import KerasTensor


def get_mask(x: Any) -> Any:
    """The Keras mask carried by ``x`` (None if it has none)."""
    return getattr(x, "_keras_mask", None)


def set_mask(x: Any, mask: Any) -> None:
    """Attach ``mask`` to ``x`` (a Tensor or KerasTensor; anything else cannot carry one)."""
    if isinstance(x, (Tensor, KerasTensor)):
        x._keras_mask = mask


def masks_of(x: Any) -> Any:
    """The masks of a structure of tensors, in the same structure (None where there is none)."""
    if isinstance(x, tuple) and hasattr(x, "_fields"):  # a namedtuple
        return type(x)(*(masks_of(v) for v in x))
    if isinstance(x, (list, tuple)):
        return type(x)(masks_of(v) for v in x)
    if isinstance(x, dict):
        return {k: masks_of(v) for k, v in x.items()}
    return get_mask(x)


def _flat(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [y for v in x for y in _flat(v)]
    if isinstance(x, dict):
        return [y for k in x for y in _flat(x[k])]
    return [x]


def any_mask(masks: Any) -> bool:
    return any(m is not None for m in _flat(masks))


def set_input_masks(inputs: list[Any], mask: Any) -> None:
    """Masks passed to a model's ``call(mask=...)`` go onto its (flat) inputs."""
    masks = mask if isinstance(mask, (list, tuple)) else [mask]
    for x, m in zip(inputs, masks):
        if m is not None:
            set_mask(x, m)


class _CallSignature:
    """What a layer's ``call`` takes: its parameter names and the ``<arg>_mask`` parameters (read once per class)."""

    def __init__(self, layer_cls: type[Any]) -> None:
        params = list(inspect.signature(layer_cls.call).parameters.values())[1:]  # without self
        names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        self.first = names[0] if names else None
        self.positional = names
        self.takes_mask = "mask" in names
        self.mask_params = {n[:-5]: n for n in names if n.endswith("_mask") and n[:-5] in names}


def _signature(layer: Any) -> _CallSignature:
    cls = type(layer)
    sig = cls.__dict__.get("_mask_call_signature")
    if sig is None:
        sig = _CallSignature(cls)
        type.__setattr__(cls, "_mask_call_signature", sig)
    return sig


def fill_mask_arguments(layer: Any, inputs: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Pass the inputs' masks to ``call`` where it asks for them (``mask=``, ``<arg>_mask=``) and was given none;
    returns the mask the outputs inherit: the explicit ``mask=``, else the first input's mask(s)."""
    sig = _signature(layer)
    explicit = kwargs.get("mask")
    inherited = explicit if explicit is not None else masks_of(inputs)
    if not any_mask(inherited):
        inherited = None
    if sig.takes_mask and explicit is None and inherited is not None:
        kwargs["mask"] = inherited
    if sig.mask_params:
        values = dict(zip(sig.positional, (inputs,) + tuple(args)))
        for arg, param in sig.mask_params.items():
            value = kwargs.get(arg, values.get(arg))
            if kwargs.get(param) is None and value is not None:
                m = masks_of(value)
                if any_mask(m):
                    kwargs[param] = m
    return inherited


def _overrides_compute_mask(layer: Any) -> bool:
    from tensorlet.layers.layer import Layer

    return type(layer).compute_mask is not Layer.compute_mask


def attach_output_masks(layer: Any, inputs: Any, outputs: Any, previous_mask: Any) -> None:
    """Set ``compute_mask(inputs, previous_mask)`` on the outputs that have no mask yet (Keras'
    ``_set_mask_metadata``); a layer without ``supports_masking`` gives its outputs none."""
    if previous_mask is None and not _overrides_compute_mask(layer):
        return
    if not layer.supports_masking:
        return
    flat_out = _flat(outputs)
    if all(get_mask(o) is not None for o in flat_out):
        return
    masks = layer.compute_mask(inputs, previous_mask)
    if masks is None:
        return
    for o, m in zip(flat_out, _flat(masks)):
        if m is not None and get_mask(o) is None:
            set_mask(o, m)


def attach_symbolic_masks(layer: Any, inputs: Any, outputs: Any, kwargs: dict[str, Any]) -> None:
    """The symbolic counterpart of ``attach_output_masks``: KerasTensor masks of the right shape on the outputs."""
    explicit = kwargs.get("mask")
    previous = explicit if explicit is not None else masks_of(inputs)
    if not any_mask(previous):
        previous = None
    if not layer.supports_masking or (previous is None and not _overrides_compute_mask(layer)):
        return
    if _overrides_compute_mask(layer):
        masks = _probe_compute_mask(layer, inputs, previous)
    else:
        masks = previous
    if masks is None:
        return
    for o, m in zip(_flat(outputs), _flat(masks)):
        if m is not None:
            set_mask(o, m)


def _probe_compute_mask(layer: Any, inputs: Any, previous: Any) -> Any:
    """Run ``compute_mask`` on placeholder values (batch 1) and describe its result as KerasTensors."""
    from tensorlet import backend
    from tensorlet.autodiff.context import not_recording
    from tensorlet.autodiff.tensor import _wrap
    from tensorlet.dtypes import np_dtype

    xp = backend.xp()

    def placeholder(t: Any, fill: Any = 0) -> Any:
        if not isinstance(t, KerasTensor):
            return t
        shape = tuple(1 if d is None else int(d) for d in t.shape)
        dtype = np_dtype(t.dtype) if t.dtype != "string" else object
        if dtype is object:
            value = xp.full(shape, b"", dtype=object)
        else:
            value = xp.full(shape, fill, dtype=dtype)
        return _wrap(value)

    def rebuild(x: Any, fill: Any = 0) -> Any:
        if isinstance(x, (list, tuple)):
            return type(x)(rebuild(v, fill) for v in x)
        if isinstance(x, dict):
            return {k: rebuild(v, fill) for k, v in x.items()}
        return placeholder(x, fill)

    with not_recording():
        masks = layer.compute_mask(rebuild(inputs), rebuild(previous, True) if previous is not None else None)

    def describe(m: Any) -> Any:
        if m is None:
            return None
        if isinstance(m, (list, tuple)):
            return [describe(v) for v in m]
        if isinstance(m, KerasTensor):
            return m
        shape = tuple(m._value.shape)
        return KerasTensor((None,) + shape[1:] if shape else (), "bool")

    return describe(masks)
