"""compile() arguments in a saved file (Keras 3's ``compile_config``): strings or serialized objects only."""
from __future__ import annotations

from typing import Any

from tensorlet.saving import registry
from tensorlet.saving.serialization import function_name, serialize_keras_object


def _name(obj: Any) -> Any:
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [_name(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _name(v) for k, v in obj.items()}
    if hasattr(obj, "get_config"):
        return serialize_keras_object(obj)
    return function_name(obj)  # a function: its registered or plain name


def compile_config_of(model: Any) -> dict[str, Any] | None:
    if not getattr(model, "compiled", False):
        return None
    loss, metrics, loss_weights, weighted = model._compile_args
    return {"optimizer": _name(model.optimizer), "loss": _name(loss), "metrics": _name(metrics),
            "loss_weights": _name(loss_weights), "weighted_metrics": _name(weighted), "run_eagerly": False,
            "steps_per_execution": 1, "jit_compile": False}


def compile_from_config(model: Any, config: dict[str, Any]) -> None:
    """Compile ``model`` as saved. Names of user objects become the objects now, while the loader's
    ``custom_objects`` are in scope (compile resolves its strings later, at the first batch); built-in names stay
    strings, so that 'accuracy' is still resolved from the shapes."""
    from tensorlet import losses, metrics, optimizers

    opt = config.get("optimizer")
    optimizer = optimizers.deserialize(opt) if isinstance(opt, dict) else optimizers.get(opt or "rmsprop")

    def resolve(spec: Any, family: str, deserialize: Any) -> Any:
        if isinstance(spec, dict) and "class_name" in spec:
            return deserialize(spec)
        if isinstance(spec, dict):
            return {k: resolve(v, family, deserialize) for k, v in spec.items()}
        if isinstance(spec, list):
            return [resolve(v, family, deserialize) for v in spec]
        if isinstance(spec, str):
            found = registry.lookup(spec, family)
            if found is not None and not registry.is_builtin(found, family):
                return deserialize(spec)
        return spec

    def per_output(spec: Any) -> Any:  # tf.keras 2 files nest metrics per output, also for a single output
        if isinstance(spec, list) and len(spec) == 1 and isinstance(spec[0], list):
            return spec[0]
        return spec

    model.compile(optimizer=optimizer, loss=resolve(config.get("loss"), "losses", losses.deserialize),
                  metrics=per_output(resolve(config.get("metrics"), "metrics", metrics.deserialize)),
                  loss_weights=config.get("loss_weights"),
                  weighted_metrics=per_output(resolve(config.get("weighted_metrics"), "metrics", metrics.deserialize)))
