"""KerasOpLayer: a ``keras.ops`` function called on symbolic tensors while building a Functional model.

Keras 3 lets its ops take the symbolic tensors of the Functional API (``x = keras.ops.expand_dims(inputs, -1)``);
tf.keras 2 did the same for ``tf.*`` functions with its TFOpLambda layers. Such a call becomes this layer: the
tensors among the arguments are its inputs, the other arguments are stored, and the op is saved by its name in
``keras.ops`` (looked up there when loading: no code is stored or executed). As Keras 3's operations, it runs and
is saved with the graph but is not listed in ``model.layers``.
"""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import Layer

TENSOR = "__keras_tensor__"  # placeholder of the i-th tensor argument in the stored arguments


def _fill(template: Any, tensors: list[Any]) -> Any:
    if isinstance(template, dict):
        if set(template) == {TENSOR}:
            return tensors[template[TENSOR]]
        return {k: _fill(v, tensors) for k, v in template.items()}
    if isinstance(template, (list, tuple)):
        return type(template)(_fill(v, tensors) for v in template)
    return template


def resolve(op: str) -> Any:
    """The ``keras.ops`` function named ``op`` (``'expand_dims'``, ``'image.resize'``).

    Raises:
        ValueError: for a name keras.ops does not have.
    """
    import types

    from tensorlet.keras_ops import public

    parts = op.split(".") if isinstance(op, str) else []
    fn: Any = public.__dict__.get(parts[0]) if parts and parts[0] in public.__all__ else None
    if isinstance(fn, types.ModuleType) and len(parts) == 2 and not parts[1].startswith("_"):
        fn = fn.__dict__.get(parts[1])  # keras.ops.nn, .linalg, .image: only the names set on them
    elif len(parts) != 1:
        fn = None
    if fn is None or not callable(fn) or isinstance(fn, types.ModuleType):
        raise ValueError(f"KerasOpLayer: keras.ops has no function {op!r}")
    return fn


class KerasOpLayer(Layer):
    """Call the ``keras.ops`` function ``op`` with ``arguments`` (``{"args": [...], "kwargs": {...}}``), its tensor
    arguments taken from the layer's inputs (a list, in the order they appear)."""

    _is_operation = True  # a hidden graph node (Functional.layers leaves it out), as Keras 3's ops are

    def __call__(self, *tensors: Any, **kwargs: Any) -> Any:
        # a graph replaying a saved node passes an operation's tensors as separate arguments
        return super().__call__(list(tensors) if len(tensors) > 1 else tensors[0], **kwargs)

    def __init__(self, op: str, arguments: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.op = op
        self.arguments = arguments or {"args": [], "kwargs": {}}
        self._fn = resolve(op)

    def call(self, inputs: Any) -> Any:
        tensors = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        args = _fill(self.arguments.get("args", []), tensors)
        kwargs = _fill(self.arguments.get("kwargs", {}), tensors)
        return self._fn(*args, **kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"op": self.op, "arguments": self.arguments})
        return config
