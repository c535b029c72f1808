"""A Functional model's config (Keras 3 layout, Keras 2's inbound-node form also read) and graph rebuilding."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.node import KerasTensor, Node, flatten
from tensorlet.saving import registry
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object


def _node_index(model: Any, node: Node) -> int:
    same = [n for n in model._nodes if n.layer is node.layer]
    return next(i for i, n in enumerate(same) if n is node)


def _history(model: Any, t: KerasTensor) -> list[Any]:
    layer, _, ti = t._keras_history  # type: ignore[misc]
    return [layer.name, _node_index(model, t.node), ti]  # type: ignore[arg-type]


def _arg(model: Any, x: Any) -> Any:
    if isinstance(x, KerasTensor):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(x.shape), "dtype": x.dtype, "keras_history": _history(model, x)}}
    if isinstance(x, (list, tuple)):
        return [_arg(model, v) for v in x]
    if isinstance(x, dict):
        return {k: _arg(model, v) for k, v in x.items()}
    return x


def _node_args(model: Any, node: Node) -> list[Any]:
    """A layer call saves its input structure as one argument; a hidden operation (Keras 3's ``ops.add``)
    saves its operands as separate arguments, e.g. ``[tensor, 3.0]``, as Keras 3 does."""
    if getattr(node.layer, "_is_operation", False):
        operands = list(node.inputs) if isinstance(node.inputs, list) else [node.inputs]
        return [_arg(model, v) for v in operands + list(node.call_args)]
    return [_arg(model, node.inputs)] + [_arg(model, a) for a in node.call_args]


def functional_config(model: Any) -> dict[str, Any]:
    layers = []
    for layer in model.operations:
        entry = serialize_keras_object(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            {"args": _node_args(model, node), "kwargs": _arg(model, node.call_kwargs)}
            for node in model._nodes if node.layer is layer and not node.is_input]
        layers.append(entry)

    def refs(structure: Any) -> Any:
        if isinstance(structure, KerasTensor):
            return _history(model, structure)
        if isinstance(structure, dict):
            return {k: refs(v) for k, v in structure.items()}
        return [refs(v) for v in structure]

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": refs(model._input_structure), "output_layers": refs(model._output_structure)}


def functional_from_config(config: dict[str, Any], custom_objects: Any = None, model_class: Any = None) -> Any:
    """The model a functional config describes; ``model_class``: a Model subclass to build it as (a subclass
    saved from ``MyModel(inputs, outputs)``), else Functional."""
    from tensorlet.models.functional import Functional

    created: dict[str, Any] = {}
    outputs_of: dict[tuple[str, int], Any] = {}
    pending = []
    entries = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"A functional model config needs 'layers': a list of layer configs; got "
                         f"{type(entries).__name__} {str(entries)[:80]}")
    # Keras 3 writes the ops that computed masks (NotEqual, Any, LogicalOr...) as graph nodes, feeding `mask=`
    # arguments; tensorlet's layers recompute their masks as the model runs, so those nodes are left out
    op_nodes = {entry.get("name") for entry in entries if _is_keras_op(entry)}
    for entry in entries:
        if entry.get("name") in op_nodes:
            continue
        layer_cfg = {k: v for k, v in entry.items() if k not in ("inbound_nodes", "name", "build_config")}
        layer = deserialize_keras_object(layer_cfg, custom_objects=custom_objects)
        name = entry.get("name") or layer.name
        created[name] = layer
        if type(layer).__name__ == "InputLayer":
            outputs_of[(name, 0)] = layer.output
        else:
            pending += [(layer, name, i, node) for i, node in enumerate(entry.get("inbound_nodes", []))]

    def resolve(x: Any) -> Any:
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            lname, ni, ti = x["config"]["keras_history"]
            return flatten(outputs_of[(lname, ni)])[ti]
        if isinstance(x, list) and len(x) >= 3 and isinstance(x[0], str) and isinstance(x[1], int):
            # Keras 2 form: [layer_name, node_index, tensor_index, kwargs]
            return flatten(outputs_of[(x[0], x[1])])[x[2]]
        if isinstance(x, list):
            return [resolve(v) for v in x]
        if isinstance(x, dict):
            return {k: resolve(v) for k, v in x.items()}
        return x

    def ready(x: Any) -> bool:
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            lname, ni, _ = x["config"]["keras_history"]
            return (lname, ni) in outputs_of
        if isinstance(x, list) and len(x) >= 3 and isinstance(x[0], str) and isinstance(x[1], int):
            return (x[0], x[1]) in outputs_of
        if isinstance(x, list):
            return all(ready(v) for v in x)
        if isinstance(x, dict):
            return all(ready(v) for v in x.values())
        return True

    while pending:
        progressed = False
        for item in list(pending):
            layer, name, i, node = item
            if isinstance(node, dict):
                args, kwargs = node.get("args", []), _without_op_masks(node.get("kwargs", {}), op_nodes, name)
                _check_no_op_inputs(args, op_nodes, name)
            else:
                args, kwargs = [node if len(node) > 1 else node[0]], {}
            if not ready(args) or not ready(kwargs):
                continue
            if getattr(layer, "_is_operation", False):
                call_kwargs = {k: v for k, v in resolve(kwargs).items() if not isinstance(v, KerasTensor)}
                outputs_of[(name, i)] = layer(*resolve(args), **call_kwargs)
            elif isinstance(node, list) and len(node) == 1:
                outputs_of[(name, i)] = layer(resolve(node[0]))
            else:  # Keras 3: the node's positional and keyword arguments, as the layer was called
                resolved = resolve(args)
                outputs_of[(name, i)] = layer(resolved[0], *resolved[1:], **resolve(kwargs))
            pending.remove(item)
            progressed = True
        if not progressed:
            raise ValueError("Invalid model config: some layers' inputs can never be computed "
                             f"({[p[1] for p in pending]})")
    inputs = resolve_refs(config["input_layers"], outputs_of)
    outputs = resolve_refs(config["output_layers"], outputs_of)
    return (model_class or Functional)(inputs=inputs, outputs=outputs, name=config.get("name"))


def _is_keras_op(entry: dict[str, Any]) -> bool:
    """A Keras 3 op node tensorlet does not rebuild (the mask ops); the operations it has (``ops.add``...) load."""
    if not str(entry.get("module") or "").startswith("keras.src.ops"):
        return False
    return entry.get("class_name") not in registry.builtin_names("operations")


def _producer(x: Any) -> Any:
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        return x["config"]["keras_history"][0]
    return None


def _without_op_masks(kwargs: dict[str, Any], op_nodes: set[Any], layer_name: str) -> dict[str, Any]:
    """The node's keyword arguments without the masks computed by op nodes, and without Keras 3's recorded
    ``training=False`` (the model's own training flag decides)."""
    out = {}
    for key, value in kwargs.items():
        if key == "training" and value is False:
            continue
        if (key == "mask" or (key.endswith("_mask") and key != "attention_mask")) and any(
                _producer(v) in op_nodes for v in (value if isinstance(value, list) else [value])):
            continue
        out[key] = value
    _check_no_op_inputs(out, op_nodes, layer_name)
    return out


def _check_no_op_inputs(x: Any, op_nodes: set[Any], layer_name: str) -> None:
    name = _producer(x)
    if name is not None and name in op_nodes:
        raise ValueError(f'Layer "{layer_name}" takes the output of the Keras op node "{name}" (a keras.ops call '
                         "in the Functional graph); tensorlet rebuilds only the mask computations of such nodes. "
                         "Replace the op with a layer (e.g. a Lambda) to load this model.")
    if isinstance(x, list):
        for v in x:
            _check_no_op_inputs(v, op_nodes, layer_name)
    elif isinstance(x, dict) and name is None:
        for v in x.values():
            _check_no_op_inputs(v, op_nodes, layer_name)


def resolve_refs(refs: Any, outputs_of: dict[tuple[str, int], Any]) -> Any:
    if isinstance(refs, dict):
        return {k: resolve_refs(v, outputs_of) for k, v in refs.items()}
    if isinstance(refs, list) and len(refs) == 3 and isinstance(refs[0], str):
        return flatten(outputs_of[(refs[0], refs[1])])[refs[2]]  # the index of a KerasTensor in its node's outputs
    items = [resolve_refs(r, outputs_of) for r in refs]
    return items[0] if len(items) == 1 else items
