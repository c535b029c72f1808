"""Restore-on-create: restorations waiting for an object's children to exist.

``tf.train.Checkpoint.restore`` matches the checkpoint's object graph against live objects from the root. When a
child named in the checkpoint does not exist yet (a layer's kernel before its first call, an optimizer's slots
before its first step, a list element not appended yet), the restoration waits on the parent object. Whatever
creates children calls ``notify(parent)`` right after: ``Layer.add_weight``, an optimizer's ``build``, attribute
assignment on ``tf.Module`` and ``tf.train.Checkpoint``, and the list and dict wrappers. The waiting restoration
then restores the new child before it is first used.

The pending entries live on the parent (attribute ``_deferred_restorations``), so they go away with it.
"""
from __future__ import annotations

from typing import Any

ATTRIBUTE = "_deferred_restorations"


def defer(obj: Any, restoration: Any, node_id: int) -> None:
    """Remember that ``restoration`` waits for children of ``obj`` (matched to checkpoint node ``node_id``)."""
    pending = obj.__dict__.get(ATTRIBUTE)
    if pending is None:
        pending = []
        object.__setattr__(obj, ATTRIBUTE, pending)
    for r, n in pending:
        if r is restoration and n == node_id:
            return
    pending.append((restoration, node_id))


def notify(obj: Any) -> None:
    """``obj`` has new children: let the restorations waiting on it restore them."""
    pending = getattr(obj, "__dict__", {}).get(ATTRIBUTE)
    if not pending:
        return
    for restoration, node_id in list(pending):
        if restoration.resume(obj, node_id):  # True when nothing of that node waits any more
            pending.remove((restoration, node_id))
