"""The object graph a checkpoint records: the objects reachable from a root and the named edges between them.

A checkpoint matches values to variables by walking a directed graph with named edges from a root object, as
TensorFlow does. The edges out of each kind of object are in ``trackable.children``: a ``tf.train.Checkpoint``'s
keyword arguments, attributes and ``save_counter``; a ``tf.Module``'s attributes; a Keras layer's weights, layers
and attributes; an optimizer's ``iter``, ``learning_rate`` and extra state; the indices and keys of lists and dicts.
An optimizer's slots (``momentum``, ``velocity``...) hang off the variables they belong to, as
``<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot name>``, so that a fresh optimizer can take them back
variable by variable.

A variable's key in the file is the first path that reaches it, breadth first, followed by
``/.ATTRIBUTES/VARIABLE_VALUE``: ``net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE``. Names are escaped as TensorFlow
escapes them (``.`` becomes ``..`` and ``/`` becomes ``.S``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tensorlet.autodiff.tensor import Variable
from tensorlet.trackable.children import attribute_children, children, is_trackable, kind  # noqa: F401

VALUE_SUFFIX = ".ATTRIBUTES/VARIABLE_VALUE"
SLOT_MARKER = ".OPTIMIZER_SLOT"


def escape(name: str) -> str:
    return name.replace(".", "..").replace("/", ".S")


def optimizer_slots(opt: Any) -> list[tuple[Any, str, Variable]]:
    """``(variable, slot name, slot variable)`` for every slot an optimizer has created (``_checkpoint_slots``)."""
    slots = getattr(opt, "_checkpoint_slots", None)
    return list(slots()) if callable(slots) else []


def optimizer_slot(opt: Any, variable: Any, slot_name: str) -> Variable | None:
    """The optimizer's slot ``slot_name`` of ``variable``, or None when it does not exist (yet)."""
    for v, name, slot in optimizer_slots(opt):
        if v is variable and name == slot_name:
            return slot
    return None


class ObjectGraph:
    """The graph reachable from a root: nodes in breadth-first order (node 0 is the root), each with its
    escaped child edges, its path, and for optimizers the slot variables of tracked variables."""

    def __init__(self, root: Any, skip_slots: bool = False) -> None:
        self.objects: list[Any] = [root]
        self.paths: list[str] = [""]
        self.children: list[list[tuple[str, int]]] = [[]]
        self.slots: list[list[tuple[int, str, int]]] = [[]]
        ids = {id(root): 0}
        i = 0
        while i < len(self.objects):
            obj = self.objects[i]
            for name, child in children(obj):
                edge = escape(str(name))
                node = ids.get(id(child))
                if node is None:
                    node = ids[id(child)] = self._add(child, _join(self.paths[i], edge))
                if (edge, node) not in self.children[i]:
                    self.children[i].append((edge, node))
            i += 1
        if skip_slots:
            return
        for i, obj in enumerate(list(self.objects)):
            for variable, slot_name, slot in optimizer_slots(obj):
                owner = ids.get(id(variable))
                if owner is None:
                    continue  # a variable outside this checkpoint: its slots are not saved either (as in TF)
                node = ids.get(id(slot))
                if node is None:
                    path = _join(_join(self.paths[owner], SLOT_MARKER), _join(self.paths[i], escape(slot_name)))
                    node = ids[id(slot)] = self._add(slot, path)
                self.slots[i].append((owner, slot_name, node))

    def _add(self, obj: Any, path: str) -> int:
        self.objects.append(obj)
        self.paths.append(path)
        self.children.append([])
        self.slots.append([])
        return len(self.objects) - 1

    def key(self, node: int) -> str:
        return _join(self.paths[node], VALUE_SUFFIX)

    def variables(self) -> list[tuple[int, Variable]]:
        return [(i, o) for i, o in enumerate(self.objects) if isinstance(o, Variable)]

    def to_json(self) -> dict[str, Any]:
        nodes = []
        for i, obj in enumerate(self.objects):
            node: dict[str, Any] = {"type": node_type(obj), "children": [list(c) for c in self.children[i]]}
            if isinstance(obj, Variable):
                node.update(key=self.key(i), name=obj._name, trainable=bool(obj.trainable))
            if self.slots[i]:
                node["slots"] = [list(s) for s in self.slots[i]]
            nodes.append(node)
        return {"nodes": nodes}


def node_type(obj: Any) -> str:
    """``variable``, ``list``, ``dict`` or ``object``: what a node was, for rebuilding it without its class."""
    if isinstance(obj, Variable):
        return "variable"
    if isinstance(obj, Mapping):
        return "dict"
    if isinstance(obj, (list, tuple)):
        return "list"
    return "object"


def unescape(name: str) -> str:
    out, i = [], 0
    while i < len(name):
        if name[i] == "." and i + 1 < len(name):
            out.append("/" if name[i + 1] == "S" else name[i + 1])
            i += 2
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def pretty_path(path: str) -> str:
    """A node path as TensorFlow prints it in messages: ``(root).net.l1.kernel``; a slot as
    ``(root).net.l1.kernel's 'momentum' slot of (root).optimizer``."""
    marker = f"/{SLOT_MARKER}/"
    if marker in path:
        variable, rest = path.split(marker, 1)
        optimizer, _, slot = rest.rpartition("/")
        return f"{pretty_path(variable)}'s '{slot}' slot of {pretty_path(optimizer)}"
    return "(root)" + "".join("." + part for part in path.split("/") if part)
