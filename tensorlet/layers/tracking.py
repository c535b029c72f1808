"""Attribute tracking: the layers, variables and metrics a Layer holds in its attributes, as tf.keras 2 tracks them.

Course models keep state in attributes: ``self.w = tf.Variable(...)`` beside ``self.dense = Dense(...)``,
``self.blocks = [Conv2D(...), ...]``, ``self.heads = {"a": Dense(1)}``, ``self.hidden = []`` filled by ``append``
later. Keras finds all of them; a model whose variables it missed would train nothing under ``fit`` without an
error. The rules, observed in tf.keras 2 (tf_keras):

- Assigning an attribute records it; lists, tuples and dicts are searched at any depth (a dict's values in the
  order of its sorted keys, as ``tf.nest`` flattens it) and read again on each query, so later ``append``s count.
- A variable found in an attribute joins the layer's *own* weights, after those created before it (``add_weight``
  and attribute variables share one list, in creation order).
- Reassigning or deleting the attribute forgets what it held, unless another attribute still holds it.
- Sublayers are the layers found, in the order their attributes were first assigned; a layer's own variables
  are not searched inside its sublayers, which report their own.
- Metric objects held in attributes are the layer's metrics (``Model.metrics`` lists them; it caches the list
  until an attribute changes somewhere, so a metric appended in place to a list after training started is missed).

Framework bookkeeping (``_weights``, ``_inbound_nodes``...) is never tracked, and neither are properties.
"""
from __future__ import annotations

from typing import Any, Iterator

from tensorlet.autodiff.tensor import Variable

# attributes of Layer, Model and the training mixins that hold framework state, never user trackables
_INTERNAL = frozenset({
    "_tracked", "_weights", "_attribute_variables", "_added_losses", "_inbound_nodes", "_regularizer_list",
    "_initial_weights", "_build_input_shape", "_batch_input_shape", "input_spec", "_stack", "_graph_layers",
    "_nodes", "inputs", "outputs", "_input_structure", "_output_structure", "_input_layer", "_output_trackers",
    "_loss_tracker", "_metrics_container", "_loss_container_obj", "_compile_args", "_runner", "optimizer", "loss",
    "history", "_added_metrics", "_declared_input",
})

_classes: tuple[type, type] | None = None
_generation = [0]  # bumped whenever any layer starts or stops tracking something: caches compare it


def generation() -> int:
    """A number that changes whenever tracked attributes change anywhere (for caches of what layers hold)."""
    return _generation[0]


def bump() -> None:
    _generation[0] += 1


def _layer_and_metric() -> tuple[type, type]:
    """Layer and Metric, imported on first use (layer.py imports this module)."""
    global _classes
    if _classes is None:
        from tensorlet.layers.layer import Layer
        from tensorlet.metrics.metric import Metric

        _classes = (Layer, Metric)
    return _classes


def flatten(value: Any) -> Iterator[Any]:
    """The layers, variables and metrics in ``value``, depth first; a dict's values by sorted key (tf.nest)."""
    layer_cls, metric_cls = _layer_and_metric()
    if isinstance(value, (layer_cls, Variable, metric_cls)):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from flatten(v)
    elif isinstance(value, dict):
        for key in _sorted_keys(value):
            yield from flatten(value[key])


def _sorted_keys(d: dict[Any, Any]) -> list[Any]:
    try:
        return sorted(d)
    except TypeError:  # keys of mixed types: insertion order
        return list(d)


def _worth_tracking(value: Any) -> bool:
    if isinstance(value, (list, dict)) and not value:
        return True  # an empty container filled later (``self.hidden = []`` then ``append``)
    return next(flatten(value), None) is not None


def on_setattr(layer: Any, name: str, value: Any) -> None:
    """Record ``layer.name = value`` (called by ``Layer.__setattr__`` before the attribute is set)."""
    if name.startswith("__") or name in _INTERNAL or isinstance(getattr(type(layer), name, None), property):
        return
    tracked = layer.__dict__.get("_tracked")
    if tracked is None:
        if _worth_tracking(value) and not (isinstance(value, (list, dict)) and not value):
            raise RuntimeError(
                f"It looks like you are subclassing `{type(layer).__name__}` and you forgot to call "
                f"`super().__init__()`: `self.{name} = ...` holds layers or variables that cannot be tracked yet. "
                "Always start your __init__ with `super().__init__(**kwargs)`.")
        return
    if name in tracked:
        forget(layer, name)
    if not _worth_tracking(value):
        return
    tracked[name] = value
    _generation[0] += 1
    own = layer._weights
    own_ids = {id(w) for w in own}
    for item in flatten(value):
        if isinstance(item, Variable) and id(item) not in own_ids:
            own.append(item)
            own_ids.add(id(item))
            layer._attribute_variables.add(id(item))


def forget(layer: Any, name: str) -> None:
    """Drop attribute ``name`` from tracking, and the variables it alone held from the layer's own weights."""
    tracked = layer.__dict__.get("_tracked")
    if not tracked or name not in tracked:
        return
    old = tracked.pop(name)
    _generation[0] += 1
    gone = {id(v) for v in flatten(old) if isinstance(v, Variable)} & layer._attribute_variables
    if not gone:
        return
    gone -= {id(v) for value in tracked.values() for v in flatten(value) if isinstance(v, Variable)}
    layer._weights[:] = [w for w in layer._weights if id(w) not in gone]
    layer._attribute_variables.difference_update(gone)


def tracked_items(layer: Any) -> Iterator[Any]:
    """Everything trackable in the layer's tracked attributes, in attribute order (may repeat)."""
    for value in list(layer.__dict__.get("_tracked", {}).values()):
        yield from flatten(value)


def sublayers(layer: Any) -> list[Any]:
    """The layers held in attributes, each once, in the order their attributes were first assigned."""
    layer_cls, _ = _layer_and_metric()
    out: list[Any] = []
    seen: set[int] = {id(layer)}
    for item in tracked_items(layer):
        if isinstance(item, layer_cls) and id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def own_variables(layer: Any) -> list[Variable]:
    """The layer's own variables: ``add_weight``'s and attribute variables in creation order, then variables put
    into tracked containers since (``self.vs.append(tf.Variable(...))``)."""
    own = list(layer.__dict__.get("_weights", ()))
    ids = {id(w) for w in own}
    for item in tracked_items(layer):
        if isinstance(item, Variable) and id(item) not in ids:
            ids.add(id(item))
            own.append(item)
    return own


def own_metrics(layer: Any) -> list[Any]:
    """Metric objects held in attributes, then those added with ``add_metric``, each once."""
    _, metric_cls = _layer_and_metric()
    out: list[Any] = []
    seen: set[int] = set()
    for item in list(tracked_items(layer)) + list(layer.__dict__.get("_added_metrics", {}).values()):
        if isinstance(item, metric_cls) and id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def attribute_paths(layer: Any) -> list[tuple[str, Any]]:
    """The tracked attributes as (name, value) in Keras 3's saving order: public names sorted, then private ones
    sorted (Keras 3 visits ``_private`` attributes last)."""
    tracked = layer.__dict__.get("_tracked", {})
    return sorted(tracked.items(), key=lambda kv: ("~" + kv[0]) if kv[0].startswith("_") else kv[0])
