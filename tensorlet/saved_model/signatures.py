"""Signatures of a SavedModel: their inputs (names, shapes, dtypes), output keys, and how to call them after loading.

A signature is a ``tf.function`` with an ``input_signature`` (or a concrete function of one), given to
``tf.saved_model.save(obj, dir, signatures=...)``; a Keras model without signatures gets ``serving_default`` from
its inputs, as TensorFlow gives it. As in TensorFlow, a signature takes its inputs by name (the function's argument
names, or a Keras model's input names) and returns a dict of tensors: the function's dict, or ``output_0``,
``output_1``... for a tensor or a list of them (a Keras model's default signature uses its output names).

tensorlet does not write TensorFlow's graph of a function, so it can call a signature after loading only when the
signature computes the saved Keras model's forward pass: at save time, each signature runs on a seeded random input
next to the model, and when every output equals one of the model's outputs the signature is recorded as "call the
model, output i under key k". Other signatures (a module's functions, extra computation around the model) keep their
inputs and outputs, and calling them after loading raises an error that says why.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.autodiff.traced_function import ConcreteFunction, TracedFunction
from tensorlet.dtypes import as_dtype
from tensorlet.tensor_spec import TensorSpec

DEFAULT = "serving_default"


class SignatureSource:
    """A function given as a signature: the callable, its flat input specs and their names."""

    def __init__(self, call: Any, specs: list[TensorSpec], names: list[str], label: str) -> None:
        self.call, self.specs, self.names, self.label = call, specs, names, label


def _spec_names(specs: list[TensorSpec]) -> list[str] | None:
    """The specs' names when every spec has one."""
    names = [s.name for s in specs if s.name]
    return names if len(names) == len(specs) else None


def _argument_names(fn: Any, count: int, skip_first: bool) -> list[str]:
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    if skip_first and params:
        params = params[1:]
    return [params[i] if i < len(params) else f"input_{i}" for i in range(count)]


def source_of(name: str, fn: Any) -> SignatureSource:
    """Read a signature's inputs from a ``tf.function`` with ``input_signature``, a bound one, or a concrete function.

    Raises:
        ValueError: naming the signature when its input specs are unknown.
    """
    bound: tuple[Any, ...] = ()
    method_of = getattr(fn.func, "__self__", None) if isinstance(fn, functools.partial) else None
    if isinstance(method_of, TracedFunction):
        bound, fn = tuple(fn.args), method_of  # a tf.function method read from its instance
    if isinstance(fn, ConcreteFunction):
        args, kwargs = fn.structured_input_signature
        flat = tree.flatten((args, kwargs))
        specs = [s for s in flat if isinstance(s, TensorSpec)]
        owner = fn._owner
        given = _spec_names(specs)
        names = given if given is not None else _argument_names(owner.python_function, len(specs),
                                                                 skip_first=bool(bound))
        call = functools.partial(owner, *bound) if bound else owner
        return SignatureSource(call, specs, names, owner.__name__)
    if isinstance(fn, TracedFunction):
        if fn.input_signature is None:
            raise ValueError(f"Signature '{name}': the tf.function {fn.__name__} has no input_signature; give it one "
                             "(@tf.function(input_signature=[tf.TensorSpec(...)])) or pass "
                             f"{fn.__name__}.get_concrete_function(tf.TensorSpec(...))")
        specs = list(fn.input_signature)
        given = _spec_names(specs)
        names = given if given is not None else _argument_names(fn.python_function, len(specs),
                                                                 skip_first=bool(bound))
        call = functools.partial(fn, *bound) if bound else fn
        return SignatureSource(call, specs, names, fn.__name__)
    raise ValueError(f"Signature '{name}' must be a tf.function with an input_signature or a concrete function "
                     f"(f.get_concrete_function(...)), got {type(fn).__name__}")


def keras_default(model: Any) -> SignatureSource | None:
    """The default signature of a Keras model with known inputs: its forward pass, inputs and outputs by name."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return None
    names = [_input_name(t, i) for i, t in enumerate(inputs)]
    specs = [TensorSpec(tuple(t.shape), t.dtype, name=name) for t, name in zip(inputs, names)]

    def serve(*xs: Any) -> Any:
        out = model(xs[0] if len(xs) == 1 else list(xs), training=False)
        names = output_names(model)
        flat = tree.flatten(out)
        return dict(zip(names, flat)) if len(names) == len(flat) else out

    return SignatureSource(serve, specs, names, "serve")


def _input_name(t: Any, i: int) -> str:
    history = getattr(t, "_keras_history", None)
    layer = history[0] if history else None
    return getattr(layer, "name", None) or f"input_{i}"


def output_names(model: Any) -> list[Any]:
    """The model's output names (None for an output whose layer has no name)."""
    names = getattr(model, "output_names", None)
    if names:
        return list(names)
    outputs = getattr(model, "outputs", None) or []
    out = []
    for i, t in enumerate(outputs):
        history = getattr(t, "_keras_history", None)
        out.append(getattr(history[0], "name", None) if history else f"output_{i}")
    return out


def probe(specs: list[TensorSpec]) -> list[Tensor]:
    """Seeded random inputs of the specs' shapes (2 for unknown dimensions) and dtypes."""
    rng = np.random.default_rng(20240521)
    out = []
    for s in specs:
        shape = tuple(2 if d is None else int(d) for d in (s.shape if not s._unknown_rank else (2,)))
        dtype = np.dtype(s.dtype.as_numpy_dtype)
        if dtype.kind == "f":
            value = rng.normal(size=shape).astype(dtype)
        elif dtype.kind in "iu":
            value = rng.integers(0, 2, size=shape).astype(dtype)
        elif dtype.kind == "b":
            value = rng.integers(0, 2, size=shape).astype(bool)
        else:
            value = np.zeros(shape, dtype)
        out.append(_wrap(value))
    return out


def keyed_outputs(result: Any) -> dict[str, Any]:
    """A signature's result as TensorFlow returns it: a dict as it is, else ``output_<i>`` keys."""
    if isinstance(result, dict):
        return {str(k): v for k, v in result.items()}
    flat = tree.flatten(result)
    return {f"output_{i}": v for i, v in enumerate(flat)}


def describe(name: str, source: SignatureSource, model: Any = None) -> dict[str, Any]:
    """The JSON record of one signature (see the module docstring for ``model_outputs``)."""
    inputs = [{"name": n, "shape": None if s._unknown_rank else [None if d is None else int(d) for d in s.shape],
               "dtype": s.dtype.name} for n, s in zip(source.names, source.specs)]
    if model is None:  # nothing can call it after loading: its outputs are not needed, and it is not run
        return {"function": source.label, "inputs": inputs, "outputs": None, "model_outputs": None}
    xs = probe(source.specs)
    saved = [(v, v.numpy()) for v in model.variables]  # the probe must leave no trace (a signature may assign)
    try:
        outputs = keyed_outputs(source.call(*xs))
    finally:
        for v, value in saved:
            v.assign(value)
    for key, value in outputs.items():
        if not isinstance(value, Tensor):
            raise ValueError(f"Signature '{name}' must return tensors (or a dict of them); output {key!r} is "
                             f"{type(value).__name__}")
    record: dict[str, Any] = {"function": source.label, "inputs": inputs, "outputs": list(outputs),
                              "model_outputs": None}
    try:
        mine = tree.flatten(model(xs[0] if len(xs) == 1 else list(xs), training=False))
    except Exception:  # noqa: BLE001 - inputs the model does not take: the signature is not its forward pass
        return record
    record["model_outputs"] = _match(list(outputs.values()), mine)
    return record


def _match(values: list[Tensor], model_outputs: list[Any]) -> list[int] | None:
    picks = []
    for v in values:
        a = np.asarray(v._value)
        found = [i for i, m in enumerate(model_outputs)
                 if isinstance(m, Tensor) and m._value.shape == a.shape and m._value.dtype == a.dtype
                 and np.allclose(np.asarray(m._value), a, rtol=1e-6, atol=1e-7)]
        if not found:
            return None
        picks.append(found[0])
    return picks


class LoadedSignature:
    """A signature of a loaded SavedModel: ``loaded.signatures["serving_default"](x=...)`` returns a dict of tensors.

    Inputs are taken by name (or in order), converted to the recorded dtype and checked against the recorded shape.
    """

    def __init__(self, name: str, record: dict[str, Any], model: Any, origin: str) -> None:
        self.name, self._record, self._model, self._origin = name, record, model, origin
        self._names: list[str] = [i["name"] for i in record["inputs"]]
        self._specs = [TensorSpec(i["shape"], i["dtype"], name=i["name"]) for i in record["inputs"]]

    @property
    def structured_input_signature(self) -> tuple[tuple[Any, ...], dict[str, TensorSpec]]:
        return (), dict(zip(self._names, self._specs))

    @property
    def structured_outputs(self) -> dict[str, Any] | None:
        """The output keys (None for a signature whose outputs were not recorded)."""
        keys = self._record["outputs"]
        return None if keys is None else {k: None for k in keys}

    def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Tensor]:
        names = [s.name for s in self._specs]
        if len(args) > len(names):
            raise TypeError(f"Signature '{self.name}' takes {len(names)} input(s) {names}, got {len(args)} positional")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"Signature '{self.name}' has no input {key!r}; its inputs are {names}")
            if key in values:
                raise TypeError(f"Signature '{self.name}' got input {key!r} twice")
            values[key] = value
        missing = [n for n in names if n not in values]
        if missing:
            raise TypeError(f"Signature '{self.name}' is missing input(s) {missing}")
        xs = []
        for spec in self._specs:
            value = values[spec.name]
            arr = np.asarray(getattr(value, "_value", value))
            want = np.dtype(as_dtype(spec.dtype).as_numpy_dtype)
            if arr.dtype != want:
                if isinstance(value, Tensor):
                    raise TypeError(f"Signature '{self.name}': input {spec.name!r} must have dtype {spec.dtype.name}, "
                                    f"got {as_dtype(arr.dtype).name}")
                arr = arr.astype(want)
            if not spec.is_compatible_with_shape(arr.shape):
                raise ValueError(f"Signature '{self.name}': input {spec.name!r} must have shape "
                                 f"{[d for d in spec.shape]} (None: any size), got {list(arr.shape)}")
            xs.append(_wrap(arr))
        picks = self._record.get("model_outputs")
        if self._model is None or picks is None:
            raise RuntimeError(
                f"Signature '{self.name}' of {self._origin} ({self._record.get('function')}) cannot be called after "
                "loading: tensorlet's SavedModel keeps a Keras model's architecture and its forward pass, not "
                "TensorFlow's graph of other functions, so rebuilding this one needs its Python code. Create the "
                "object in Python and restore its variables with tf.train.Checkpoint(...).read("
                f"'{self._origin}/variables/variables').")
        outs = tree.flatten(self._model(xs[0] if len(xs) == 1 else xs, training=False))
        return {key: outs[i] for key, i in zip(self._record["outputs"], picks)}

    def __repr__(self) -> str:
        return f"<tensorlet SavedModel signature {self.name!r} inputs={[s for s in self._specs]}>"
