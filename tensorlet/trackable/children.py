"""The named children of tracked objects: the edges of a checkpoint's object graph.

What is tracked, and the edges out of it, in a fixed order:

- a ``tf.Variable``: a leaf;
- an object with a ``_checkpoint_children()`` method returning ``[(name, child), ...]``: those (Keras layers and
  models, optimizers and ``tf.train.Checkpoint`` define it; user classes may too);
- ``tf.Module`` (any ``AutoTrackable``): its attributes that hold tracked values;
- lists, tuples and dicts holding tracked values (and the wrappers, even empty): their indices and keys.

A Keras layer's edges (``layer_children``) are its weights by weight name (``kernel``, ``bias``, ``moving_mean``),
for a Sequential or Functional model ``layer_with_weights-<i>`` (layers with weights) and ``layer-<i>`` (every
layer), then its attributes holding tracked values (``self.l1 = Dense(5)`` gives ``l1``; a compiled model's
``optimizer``), as tf.keras 2 names them.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable

from tensorlet.autodiff.tensor import Variable
from tensorlet.trackable import deferred
from tensorlet.trackable.autotrackable import AutoTrackable
from tensorlet.trackable.data_structures import DictWrapper, ListWrapper

# internals of Keras layers and models that hold tracked values but are not checkpoint edges
_LAYER_INTERNALS = frozenset({
    "_tracked", "_weights", "_graph_layers", "_stack", "_input_layer", "_regularizer_list", "_nodes", "inputs",
    "outputs", "_inbound_nodes", "_input_structure", "_output_structure", "_added_losses", "_output_trackers",
    "_loss_tracker", "_metrics_container", "_loss_container_obj", "_runner", "_locks", "history", "_compile_args",
    "_initial_weights", "signatures", deferred.ATTRIBUTE})


def kind(obj: Any) -> str | None:
    """``variable``, ``custom``, ``auto`` or ``container``; None for a value a checkpoint does not track."""
    if isinstance(obj, Variable):
        return "variable"
    if callable(getattr(type(obj), "_checkpoint_children", None)):
        return "custom"
    if isinstance(obj, (ListWrapper, DictWrapper)):
        return "container"
    if isinstance(obj, AutoTrackable):
        return "auto"
    if isinstance(obj, (list, tuple, Mapping)):
        values = obj.values() if isinstance(obj, Mapping) else obj
        return "container" if any(kind(v) is not None for v in values) else None
    return None


def is_trackable(obj: Any) -> bool:
    return kind(obj) is not None


def children(obj: Any) -> list[tuple[str, Any]]:
    """The named edges out of ``obj`` (unescaped names); [] for a variable or an untracked value."""
    k = kind(obj)
    if k == "custom":
        return list(obj._checkpoint_children())
    if k == "auto":
        return attribute_children(obj._tracked_attributes())
    if k == "container":
        if isinstance(obj, Mapping):
            return [(str(key), v) for key, v in obj.items() if kind(v) is not None]
        return [(str(i), v) for i, v in enumerate(obj) if kind(v) is not None]
    return []


def attribute_children(items: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(name, value) for name, value in items if not name.startswith("__") and kind(value) is not None]


def unique(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Make names unique (``w``, ``w_1``...) among pairs that name different objects."""
    out: list[tuple[str, Any]] = []
    taken: set[str] = set()
    for name, value in pairs:
        base, k = name, 1
        while name in taken:
            name, k = f"{base}_{k}", k + 1
        taken.add(name)
        out.append((name, value))
    return out


def layer_children(layer: Any, sublayers: list[Any] | None = None) -> list[tuple[str, Any]]:
    """A Keras layer's edges (see the module docstring); ``sublayers`` for a Sequential or Functional model."""
    out = unique([(w._name, w) for w in layer.__dict__.get("_weights", [])])
    if sublayers is not None:
        with_weights = [la for la in sublayers if la.weights]
        out += [(f"layer_with_weights-{i}", la) for i, la in enumerate(with_weights)]
        out += [(f"layer-{i}", la) for i, la in enumerate(sublayers)]
    have = {(name, id(value)) for name, value in out}
    for name, value in attribute_children((k, v) for k, v in layer.__dict__.items() if k not in _LAYER_INTERNALS):
        if (name, id(value)) not in have:
            out.append((name, value))
    return out
