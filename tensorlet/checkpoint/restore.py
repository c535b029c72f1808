"""Restoring a checkpoint into live objects, at once or as their variables are created, and the status object
``restore`` returns.

A ``Restoration`` walks the checkpoint's object graph and the live objects together from the root, following edges
of the same name (``checkpoint.graph``). A variable reached this way takes its saved value. A child that does not
exist yet (a layer not built, an optimizer before its first step) leaves the restoration waiting on its parent
(``trackable.deferred``): the value is restored when the child is created, before it is first used, as
TensorFlow documents. Optimizer slots are restored once both the variable they belong to is matched and the
optimizer has created them.
"""
from __future__ import annotations

import logging
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Variable
from tensorlet.checkpoint import graph
from tensorlet.trackable import deferred

_log = logging.getLogger("tensorflow")


class Restoration:
    """One ``restore``/``read`` call: what matched, what waits, and what the checkpoint held that nothing took."""

    def __init__(self, reader: Any, root: Any, skip_slots: bool = False) -> None:
        self.reader = reader
        self.nodes = reader.nodes
        self.matched: dict[int, Any] = {}        # checkpoint node -> live object
        self.slot_waits: list[tuple[Any, int, str, int]] = []  # (optimizer, variable node, slot name, slot node)
        self.skip_slots = skip_slots
        self.expect_partial = False
        self.root = root
        self._paths = _node_paths(self.nodes)
        self._match(root, 0)

    # -- matching -------------------------------------------------------------------------------------------
    def _match(self, obj: Any, node_id: int) -> None:
        previous = self.matched.get(node_id)
        if previous is not None:
            return
        node = self.nodes[node_id]
        key = node.get("key")
        if key is not None:
            if not isinstance(obj, Variable):
                return  # the checkpoint has a value where the program has an object: leave both unmatched
            self._restore_value(obj, key)
        elif isinstance(obj, Variable):
            return
        self.matched[node_id] = obj
        self._match_children(node_id)
        if node.get("slots") and not self.skip_slots:
            self.slot_waits += [(obj, s[0], s[1], s[2]) for s in node["slots"]]
            self._try_slots()
        elif key is not None and self.slot_waits:
            self._try_slots()

    def _match_children(self, node_id: int) -> bool:
        """Match the children of node ``node_id``'s object; returns True when none is left waiting."""
        obj = self.matched[node_id]
        live: dict[str, Any] = {}
        for name, child in graph.children(obj):
            live.setdefault(graph.escape(str(name)), child)
        waiting = False
        for name, child_id in self.nodes[node_id].get("children", []):
            if child_id in self.matched:
                continue
            child = live.get(name)
            if child is None:
                waiting = True
                continue
            self._match(child, child_id)
        if waiting:
            deferred.defer(obj, self, node_id)
            root = getattr(obj, "_checkpoint_root_object", None)
            if root is not None:  # a Checkpoint(root=...): the root's own children appear under it
                deferred.defer(root, self, node_id)
        return not waiting

    def _try_slots(self) -> None:
        remaining = []
        for opt, var_node, slot_name, slot_node in self.slot_waits:
            variable = self.matched.get(var_node)
            slot = graph.optimizer_slot(opt, variable, slot_name) if variable is not None else None
            if slot is None:
                remaining.append((opt, var_node, slot_name, slot_node))
                if variable is not None:
                    deferred.defer(opt, self, self._node_of(opt))
                continue
            if slot_node not in self.matched:
                self._match(slot, slot_node)
        self.slot_waits = remaining

    def _node_of(self, obj: Any) -> int:
        for node_id, o in self.matched.items():
            if o is obj:
                return node_id
        return 0

    def resume(self, obj: Any, node_id: int) -> bool:
        """Called by ``deferred.notify`` when ``obj`` has new children; True when nothing of it waits any more."""
        done = self._match_children(node_id) if node_id in self.matched else True
        if self.slot_waits:
            self._try_slots()
        return done and not any(w[0] is obj for w in self.slot_waits)

    def _restore_value(self, variable: Variable, key: str) -> None:
        value = self.reader.get(key)
        current = variable._value
        if tuple(value.shape) != tuple(current.shape):
            raise ValueError(f"Checkpoint {self.reader.prefix}: the value of '{key}' has shape {tuple(value.shape)}, "
                             f"the variable '{variable.name}' it restores into has shape {tuple(current.shape)}")
        if value.dtype != current.dtype and not np.can_cast(value.dtype, current.dtype, "same_kind"):
            raise ValueError(f"Checkpoint {self.reader.prefix}: the value of '{key}' has dtype {value.dtype}, the "
                             f"variable '{variable.name}' it restores into has dtype {current.dtype}")
        variable.assign(value.astype(current.dtype, copy=False))

    # -- what is left ---------------------------------------------------------------------------------------
    def unmatched_values(self) -> list[str]:
        """Pretty paths of checkpoint values no live variable took."""
        return [graph.pretty_path(self._paths[i]) for i, node in enumerate(self.nodes)
                if node.get("key") is not None and i not in self.matched]

    def unmatched_objects(self) -> list[str]:
        """Names of live variables reachable from the root that no checkpoint value restored."""
        live = graph.ObjectGraph(self.root, skip_slots=self.skip_slots)
        taken = {id(o) for o in self.matched.values()}
        return [graph.pretty_path(live.paths[i]) + f" ({v.name})" for i, v in live.variables() if id(v) not in taken]

    def __del__(self) -> None:
        try:
            if self.expect_partial:
                return
            left = self.unmatched_values()
            if left:
                shown = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
                _log.warning("A checkpoint restored from %s is being deleted with unrestored values: %s. "
                             "To silence this warning, use status.expect_partial() on the value restore() "
                             "returned.", self.reader.prefix, shown)
        except Exception:  # noqa: BLE001 - never raise from a finalizer (interpreter shutdown)
            pass


def _node_paths(nodes: list[dict[str, Any]]) -> list[str]:
    """Each node's first path from the root, breadth first (for messages)."""
    paths: list[str | None] = [None] * len(nodes)
    paths[0] = ""
    queue = [0]
    for i in queue:
        for name, child in nodes[i].get("children", []):
            if paths[child] is None:
                paths[child] = f"{paths[i]}/{name}" if paths[i] else name
                queue.append(child)
    for i in queue:  # slots hang off their variables, which the walk above has all reached
        for var_node, slot_name, slot_node in nodes[i].get("slots", []):
            if paths[slot_node] is None and paths[var_node] is not None:
                paths[slot_node] = f"{paths[var_node]}/{graph.SLOT_MARKER}/{paths[i]}/{slot_name}"
    return [p if p is not None else f"(node {i})" for i, p in enumerate(paths)]


class CheckpointLoadStatus:
    """What ``Checkpoint.restore``/``read`` (and ``Model.load_weights`` of a checkpoint) return.

    Restoration happens at once for existing variables and on creation for the others; these assertions check
    how well the checkpoint and the program matched.
    """

    def __init__(self, restoration: Restoration) -> None:
        self._restoration = restoration

    def assert_consumed(self) -> CheckpointLoadStatus:
        """Every value in the checkpoint was restored, and every variable of the program took one.

        Raises:
            AssertionError: naming what is left on either side.
        """
        self.assert_existing_objects_matched()
        r = self._restoration
        left = r.unmatched_values()
        if left:
            raise AssertionError(f"Unresolved object(s) in checkpoint {r.reader.prefix}: {', '.join(left)}. Some "
                                 "values in the checkpoint were not restored into any object of the program.")
        if r.slot_waits:
            waits = [r._paths[w[3]] for w in r.slot_waits]
            raise AssertionError(f"Unresolved slot restorations (optimizer slots not created yet): {waits}")
        return self

    def assert_existing_objects_matched(self) -> CheckpointLoadStatus:
        """Every variable reachable from the root now took a value from the checkpoint (values in the checkpoint
        that nothing took are allowed).

        Raises:
            AssertionError: naming the variables that took no value.
        """
        missing = self._restoration.unmatched_objects()
        if missing:
            raise AssertionError("Some Python objects were not bound to checkpointed values, likely due to changes "
                                 f"in the Python program: {', '.join(missing)}")
        return self

    def assert_nontrivial_match(self) -> CheckpointLoadStatus:
        """Something besides the root (and the save counter) matched the checkpoint.

        Raises:
            AssertionError: when nothing did (the checkpoint does not fit the program).
        """
        r = self._restoration
        matched = [i for i in r.matched if i != 0 and r._paths[i] != "save_counter"]
        if not matched:
            raise AssertionError(f"Nothing except the root object matched a checkpointed value in {r.reader.prefix}. "
                                 "Typically this means that the checkpoint does not match the Python program.")
        return self

    def expect_partial(self) -> CheckpointLoadStatus:
        """Silence the warning about checkpoint values that were not restored."""
        self._restoration.expect_partial = True
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Nothing to run: restoration happens eagerly."""

    def initialize_or_restore(self, session: Any = None) -> None:
        """Nothing to run: restoration happens eagerly."""


class InitializationOnlyStatus:
    """What ``restore(None)`` returns: nothing is restored, variables keep their initial values."""

    def _nothing(self) -> None:
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_consumed(self) -> None:
        self._nothing()

    def assert_existing_objects_matched(self) -> None:
        self._nothing()

    def assert_nontrivial_match(self) -> None:
        self._nothing()

    def expect_partial(self) -> InitializationOnlyStatus:
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Nothing to run."""

    def initialize_or_restore(self, session: Any = None) -> None:
        """Nothing to run: variables are initialized when created."""
