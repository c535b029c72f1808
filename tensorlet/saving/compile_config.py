"""compile() arguments in a saved file (Keras 3's ``compile_config``): strings or serialized objects only."""
from __future__ import annotations

from typing import Any


def _name(obj: Any) -> Any:
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [_name(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _name(v) for k, v in obj.items()}
    if hasattr(obj, "get_config"):
        from tensorlet.saving.serialization import serialize_keras_object

        return serialize_keras_object(obj)
    return getattr(obj, "__name__", None)


def compile_config_of(model: Any) -> dict[str, Any] | None:
    if not getattr(model, "compiled", False):
        return None
    loss, metrics, loss_weights, weighted = model._compile_args
    return {"optimizer": _name(model.optimizer), "loss": _name(loss), "metrics": _name(metrics),
            "loss_weights": _name(loss_weights), "weighted_metrics": _name(weighted), "run_eagerly": False,
            "steps_per_execution": 1, "jit_compile": False}


def compile_from_config(model: Any, config: dict[str, Any]) -> None:
    from tensorlet import losses, metrics, optimizers

    opt = config.get("optimizer")
    optimizer = optimizers.deserialize(opt) if isinstance(opt, dict) else optimizers.get(opt or "rmsprop")

    def resolve_loss(spec: Any) -> Any:
        if isinstance(spec, dict) and "class_name" in spec:
            return losses.deserialize(spec)
        if isinstance(spec, dict):
            return {k: resolve_loss(v) for k, v in spec.items()}
        if isinstance(spec, list):
            return [resolve_loss(v) for v in spec]
        return spec

    def resolve_metric(spec: Any) -> Any:
        if isinstance(spec, dict) and "class_name" in spec:
            return metrics.deserialize(spec)
        if isinstance(spec, list):
            return [resolve_metric(v) for v in spec]
        if isinstance(spec, dict):
            return {k: resolve_metric(v) for k, v in spec.items()}
        return spec

    model.compile(optimizer=optimizer, loss=resolve_loss(config.get("loss")),
                  metrics=resolve_metric(config.get("metrics")), loss_weights=config.get("loss_weights"),
                  weighted_metrics=resolve_metric(config.get("weighted_metrics")))
