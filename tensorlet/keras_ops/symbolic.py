"""``keras.ops`` on the symbolic tensors of the Functional API: such a call becomes a ``KerasOpLayer`` (see
``keras_ops/op_layer.py``); on tensors and arrays the op runs as it is. The check looks at the arguments and one
level into lists, tuples and dicts (where Keras code passes tensors), so eager calls pay little for it."""
from __future__ import annotations

import functools
import sys
from typing import Any, Callable


def _holds(cls: Any, values: Any) -> bool:
    for v in values:
        if isinstance(v, cls):
            return True
        if isinstance(v, (list, tuple)) and any(isinstance(w, cls) for w in v):
            return True
        if isinstance(v, dict) and any(isinstance(w, cls) for w in v.values()):
            return True
    return False


def symbolic(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` (the keras.ops function ``name``), building a ``KerasOpLayer`` when given symbolic tensors."""
    modules = sys.modules

    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        node = modules.get("tensorlet.layers.node")  # no symbolic tensor exists before the layers are imported
        if node is not None:
            cls = node.KerasTensor
            if _holds(cls, args) or (kwargs and _holds(cls, kwargs.values())):
                return _layer_call(name, cls, args, kwargs)
        return fn(*args, **kwargs)

    op.__wrapped__ = fn  # type: ignore[attr-defined]
    return op


def _layer_call(name: str, cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    from tensorlet.keras_ops.op_layer import TENSOR, KerasOpLayer
    from tensorlet.layers.naming import unique_name

    tensors: list[Any] = []

    def template(v: Any) -> Any:
        if isinstance(v, cls):
            tensors.append(v)
            return {TENSOR: len(tensors) - 1}
        if isinstance(v, dict):
            return {k: template(w) for k, w in v.items()}
        if isinstance(v, (list, tuple)):
            return [template(w) for w in v]
        if hasattr(v, "_value") and hasattr(v, "numpy"):  # a concrete tensor among symbolic ones: a constant
            return v.numpy().tolist()
        return v

    arguments = {"args": [template(a) for a in args], "kwargs": {k: template(v) for k, v in kwargs.items()}}
    layer = KerasOpLayer(name, arguments, name=unique_name(name.rsplit(".", 1)[-1]))
    return layer(tensors)
