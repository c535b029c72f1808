"""``tf.function``: trace a Python function once per input signature into a plan, and replay the plan.

The first call with a new signature runs the function once under a trace (``plan.trace``): every op is recorded,
and what must happen on each run is recorded as steps of its own (``tape.gradient`` as a ``TapeGradient``,
``optimizer.apply_gradients`` as ``ApplyGradients``, ``Variable.assign`` as ``Assign``, metric updates and
``tf.print`` as ``HostCall``s; these have no effect while tracing). That call and every later one with the same
signature then replay the plan on the new input arrays: no Python, no layer dispatch, only the ops' own calls.

The signature, as in TensorFlow: tensor and NumPy arguments by shape and dtype (with ``input_signature``, or
``reduce_retracing``, a leading dimension of None matches any batch size), Python values by value, other objects
(a model, ``self``) by identity. Python side effects in the function (``print``, appending to a list) happen while
tracing only.

A function that reads a computed value back to Python (``.numpy()``, ``float(t)``, ``if t > 0:``) cannot be
replayed faithfully; it then runs eagerly on every call, after one warning that names the reason. A call made
while a ``GradientTape`` outside it records also runs the Python, so that the tape can differentiate through it
(a gradient tape inside the function, the custom-training pattern, is part of the plan and replays).
"""
from __future__ import annotations

import functools
import threading
import warnings
from collections import OrderedDict
from typing import Any, Callable

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.context import state as _context
from tensorlet.autodiff.function_signature import Signature, describe_inputs, describe_outputs
from tensorlet.autodiff.plan import Plan, trace
from tensorlet.autodiff.plan_compiler import VAR
from tensorlet.autodiff.tensor import Tensor, Variable, _wrap

MAX_PLANS = 8  # per function: the most recently used signatures keep their plans

_run_eagerly = [False]
_call_observers: list[Callable[[str, Any], None]] = []  # told (name, PlanGraph) of each call (tf.summary.trace_on)


def observe_calls(observer: Callable[[str, Any], None]) -> Callable[[], None]:
    """Call ``observer(function name, graph)`` on each traced-function call from now on; returns its remover."""
    _call_observers.append(observer)

    def remove() -> None:
        if observer in _call_observers:
            _call_observers.remove(observer)

    return remove


def run_functions_eagerly(run_eagerly: bool) -> None:
    """``tf.config.run_functions_eagerly``: when True, traced functions run their Python on every call."""
    _run_eagerly[0] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    return _run_eagerly[0]


class _Leaves:
    """An argument structure split into its leaves: fed arrays, and everything else (part of the signature)."""

    __slots__ = ("structure", "feeds", "feed_paths", "key")

    def __init__(self, structure: Any, feeds: list[Any], feed_paths: list[int], key: tuple[Any, ...]) -> None:
        self.structure, self.feeds, self.feed_paths, self.key = structure, feeds, feed_paths, key


def _split(args: tuple[Any, ...], kwargs: dict[str, Any], specs: list[Any] | None, relax: bool) -> _Leaves:
    structure = (args, kwargs)
    leaves = tree.flatten(structure)
    feeds: list[Any] = []
    paths: list[int] = []
    key: list[Any] = [_signature(structure)]
    for i, leaf in enumerate(leaves):
        spec = specs[len(feeds)] if specs is not None and len(feeds) < len(specs) else None
        if isinstance(leaf, Variable):
            key.append(("variable", id(leaf)))
        elif isinstance(leaf, (Tensor, np.ndarray)) or (spec is not None and isinstance(leaf, _NUMBERS)):
            arr = _feed_array(leaf, spec)
            shape = tuple(arr.shape)
            if (spec is not None and spec.shape and spec.shape[0] is None) or (relax and shape):
                shape = (None,) + shape[1:]
            key.append(("tensor", shape, arr.dtype.str))
            feeds.append(arr)
            paths.append(i)
        elif hasattr(type(leaf), "__tf_tracing_type__"):  # the object's class says which objects share a trace
            key.append(("trace_type", leaf.__tf_tracing_type__(None)))
        elif _hashable(leaf):
            key.append(("value", type(leaf), leaf))
        else:
            key.append(("object", id(leaf)))
    return _Leaves(structure, feeds, paths, tuple(key))


_NUMBERS = (int, float, complex, np.generic)  # Python numbers take an input_signature spec (``self`` does not)


class SignatureMismatchError(TypeError, ValueError):
    """An argument that does not fit its ``input_signature`` spec: a ``TypeError`` as TensorFlow raises (the
    guides test ``assert_raises(TypeError)``), and a ``ValueError`` as tensorlet raised before."""


def _feed_array(leaf: Any, spec: Any) -> Any:
    arr = leaf._value if isinstance(leaf, Tensor) else np.asarray(leaf)
    if spec is not None:
        want = np.dtype(spec.dtype.as_numpy_dtype if hasattr(spec.dtype, "as_numpy_dtype") else spec.dtype)
        if arr.dtype != want:
            if isinstance(leaf, Tensor):
                raise TypeError(f"tf.function: an argument of dtype {arr.dtype} does not match its input_signature "
                                f"spec {spec}")
            arr = arr.astype(want)
        if not spec.is_compatible_with_shape(arr.shape):
            raise SignatureMismatchError(f"tf.function: an argument of shape {tuple(arr.shape)} does not match its "
                             f"input_signature spec {spec}")
    elif arr.dtype == np.float64 and not isinstance(leaf, Tensor):
        arr = arr.astype(np.float32)  # NumPy floats become float32 tensors, as TF converts them
    return arr


def _hashable(x: Any) -> bool:
    if isinstance(x, (int, float, str, bytes, bool, type(None), np.generic)):
        return True
    return isinstance(x, type) or callable(x) and not hasattr(x, "__dict__")


def _signature(x: Any) -> Any:
    """A hashable description of ``x``'s nesting (container types and dict keys), leaves left out."""
    if not tree.is_nested(x):
        return None
    if isinstance(x, dict) or hasattr(x, "keys") and hasattr(x, "__getitem__"):
        return (type(x), tuple((k, _signature(x[k])) for k in sorted(x)))
    return (type(x), tuple(_signature(v) for v in x))


class _Entry:
    """One traced signature: the plan, how to rebuild the result, and the objects the key holds by identity."""

    __slots__ = ("plan", "out_template", "out_leaves", "tensor_positions", "copies", "objects", "lock",
                 "trace_batch", "batch_outputs", "checked_batches")
    plan: Plan
    out_template: Any
    out_leaves: list[Any]
    tensor_positions: list[int]
    copies: list[bool]
    objects: list[Any]
    trace_batch: int | None
    batch_outputs: list[int]

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_batches: set[int] = set()


_EAGER = object()  # a signature whose trace could not be replayed: it runs eagerly


class TracedFunction:
    """What ``tf.function(fn)`` returns: callable like ``fn``, traced once per input signature."""

    def __init__(self, fn: Callable[..., Any], input_signature: Any = None, reduce_retracing: bool = False,
                 jit_compile: Any = None, autograph: bool = True, name: str | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"tf.function expects a callable, got {type(fn).__name__}")
        self.python_function = fn
        self.input_signature = None if input_signature is None else list(_flat_specs(input_signature))
        self._relax = bool(reduce_retracing)
        self.jit_compile = jit_compile
        self._plans: OrderedDict[Any, Any] = OrderedDict()
        self._signatures: OrderedDict[Any, Signature] = OrderedDict()  # what each traced signature looks like
        self._tracing_count = 0
        self._warned = False
        self._lock = threading.RLock()
        functools.update_wrapper(self, fn)
        self.__name__: str = name or str(getattr(fn, "__name__", "function"))

    # -- calling ----------------------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _context.tracing or _run_eagerly[0]:  # inside another trace: inline; or eager by request
            return self.python_function(*args, **kwargs)
        return self._call_split(args, kwargs, _split(args, kwargs, self.input_signature, self._relax))

    def _call_split(self, args: Any, kwargs: Any, leaves: _Leaves) -> Any:
        """A call whose arguments are already split into leaves (by ``__call__`` or a ConcreteFunction)."""
        if _call_observers:
            self._show_observers(args, kwargs, leaves)
        if _context.tapes:  # a GradientTape outside the call records: it must see each op to differentiate
            # through the call (a replayed plan is one opaque step), so the Python runs, as under
            # run_functions_eagerly; the results are the same, and Python side effects happen on this call too
            return _as_outputs(self.python_function(*args, **kwargs))
        entry = self._plans.get(leaves.key)
        if entry is None:
            return self._trace_and_run(args, kwargs, leaves)
        self._plans.move_to_end(leaves.key)
        if entry is _EAGER:
            return _as_outputs(self.python_function(*args, **kwargs))
        if entry.objects and any(a is not b for a, b in zip(entry.objects, _objects(args, kwargs))):
            return self._trace_and_run(args, kwargs, leaves)  # an id reused by another object: trace anew
        return self._replay(entry, leaves, args, kwargs)

    def _show_observers(self, args: Any, kwargs: Any, leaves: _Leaves) -> None:
        """Hand the graph of this call's signature to the observers (``tf.summary.trace_on``), tracing it first if
        needed, even for a call that then runs its Python (under an outer tape)."""
        from tensorlet.autodiff.plan_graph import PlanGraph

        with self._lock:
            entry = self._plans.get(leaves.key)
            if entry is None:
                entry = self._trace(args, kwargs, leaves)
        if entry is _EAGER:
            return
        signature = self._signatures.get(leaves.key)
        graph = PlanGraph(entry.plan, signature.feed_names if signature is not None else [])
        for observer in list(_call_observers):
            observer(self.__name__, graph)

    def _replay(self, entry: _Entry, leaves: _Leaves, args: Any, kwargs: Any) -> Any:
        feeds = leaves.feeds
        batch = _batch_of(feeds)
        with entry.lock:
            outs = entry.plan.run(feeds)
        if batch is not None and batch != entry.trace_batch and batch not in entry.checked_batches:
            # a relaxed signature met a new batch size: outputs that followed the batch at trace time must
            # follow it now, or the step baked its traced batch size in (say so rather than return them)
            if any(outs[i].shape[:1] != (batch,) for i in entry.batch_outputs):
                raise RuntimeError(f"tf.function {self.__name__}: replaying a plan traced for batch size "
                                   f"{entry.trace_batch} on a batch of {batch} gave outputs of the wrong size; "
                                   "the function uses its traced batch size as a constant")
            entry.checked_batches.add(batch)
        return self._pack(entry, outs)

    def _trace_and_run(self, args: Any, kwargs: Any, leaves: _Leaves) -> Any:
        with self._lock:
            entry = self._plans.get(leaves.key)
            if entry is None or (entry is not _EAGER and entry.objects and any(
                    a is not b for a, b in zip(entry.objects, _objects(args, kwargs)))):
                entry = self._trace(args, kwargs, leaves)
        if entry is _EAGER:
            return _as_outputs(self.python_function(*args, **kwargs))
        return self._replay(entry, leaves, args, kwargs)

    def _trace(self, args: Any, kwargs: Any, leaves: _Leaves) -> Any:
        flat = tree.flatten((args, kwargs))
        feed_tensors = [_wrap(a) for a in leaves.feeds]
        entry = _Entry()

        def traced(*tensors: Tensor) -> list[Tensor]:
            values = list(flat)
            for i, t in zip(leaves.feed_paths, tensors):
                values[i] = t
            a, k = tree.pack_sequence_as(leaves.structure, values)
            result = self.python_function(*a, **k)
            out_leaves = tree.flatten(result)
            entry.out_template = result
            entry.out_leaves = out_leaves
            entry.tensor_positions = [i for i, v in enumerate(out_leaves) if isinstance(v, Tensor)]
            return [out_leaves[i] for i in entry.tensor_positions]

        self._tracing_count += 1
        reasons: list[str] = []
        plan, _ = trace(traced, feed_tensors, [], report=reasons.append)
        self._store(leaves.key, entry if plan is not None else _EAGER)
        self._describe(leaves, flat, entry if plan is not None else None, plan)
        if plan is None:
            if not self._warned:
                self._warned = True
                warnings.warn(f"tf.function {self.__name__} runs eagerly: {reasons[0] if reasons else 'untraceable'}"
                              " (tensorlet replays a traced function only when nothing it computes is read back "
                              "to Python)", stacklevel=4)
            return _EAGER
        entry.plan = plan
        aliased = {slot for slot, kind, _ in plan.sources}
        entry.copies = [slot in aliased for slot in plan.outputs]  # variables and inputs returned as they are
        entry.objects = _objects(args, kwargs)
        entry.trace_batch = _batch_of(leaves.feeds)
        entry.batch_outputs = [i for i, t in enumerate(entry.out_leaves[p] for p in entry.tensor_positions)
                               if entry.trace_batch is not None and t._value.shape[:1] == (entry.trace_batch,)]
        return entry

    def _store(self, key: Any, entry: Any) -> None:
        self._plans[key] = entry
        while len(self._plans) > MAX_PLANS:
            self._signatures.pop(self._plans.popitem(last=False)[0], None)

    def _describe(self, leaves: _Leaves, flat: list[Any], entry: _Entry | None, plan: Plan | None) -> None:
        shown = list(flat)
        for k, i in enumerate(leaves.feed_paths):  # a tensor argument as its input_signature spec or its array
            spec = self.input_signature[k] if self.input_signature is not None and k < len(self.input_signature) \
                else None
            shown[i] = spec if spec is not None else leaves.feeds[k]
        args, kwargs = tree.pack_sequence_as(leaves.structure, shown)
        signature = describe_inputs(self.python_function, args, kwargs, self._relax)
        if entry is not None and plan is not None:
            varying = any(k[0] == "tensor" and k[1][:1] == (None,) for k in leaves.key[1:])
            describe_outputs(signature, entry.out_template, [what for _, kind, what in plan.sources if kind == VAR],
                             _batch_of(leaves.feeds) if varying else None)
        self._signatures[leaves.key] = signature

    def _pack(self, entry: _Entry, outs: list[Any]) -> Any:
        values = list(entry.out_leaves)
        for pos, arr, copy in zip(entry.tensor_positions, outs, entry.copies):
            if not isinstance(arr, np.ndarray):  # a 0-d object op (strings) may hand back a bare scalar
                arr = np.asarray(arr, dtype=object if isinstance(arr, (bytes, str)) else None)
            values[pos] = _wrap(arr.copy() if copy else arr)
        return _as_outputs(tree.pack_sequence_as(entry.out_template, values))

    # -- TensorFlow's inspection API --------------------------------------------------------------------
    def experimental_get_tracing_count(self) -> int:
        """How many times the Python function was traced."""
        return self._tracing_count

    def _signature_as_asked(self, asked: tuple[Any, Any], key: Any) -> Signature | None:
        """The traced signature, its inputs shown as asked for (TensorSpecs keep their None dimensions)."""
        traced = self._signatures.get(key)
        if traced is None:
            return None
        shown = describe_inputs(self.python_function, tuple(asked[0]), dict(asked[1]), self._relax)
        shown.output, shown.captures, shown.feed_names = traced.output, traced.captures, traced.feed_names
        return shown

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        """Every traced signature in TensorFlow's layout (parameters, output type, captures), oldest first."""
        return "\n\n".join(s.pretty() for s in self._signatures.values())

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        """The traced function for these arguments (TensorSpecs stand for tensors of that spec)."""
        if not args and not kwargs and self.input_signature is not None:
            args = tuple(self.input_signature)
        specs = (tree.map_structure(_as_spec, args), tree.map_structure(_as_spec, kwargs))
        asked = (args, kwargs)
        args, kwargs = _specs_to_examples(args), _specs_to_examples(kwargs)
        leaves = _split(args, kwargs, self.input_signature, self._relax)
        with self._lock:
            entry = self._plans.get(leaves.key)
            if entry is None:
                entry = self._trace(args, kwargs, leaves)
        return ConcreteFunction(self, entry, args, kwargs, self._signature_as_asked(asked, leaves.key), specs,
                                _feed_dtypes(leaves.key))

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def __repr__(self) -> str:
        return f"<tensorlet.function {self.__name__}>"


class ConcreteFunction:
    """One traced signature of a ``tf.function``, callable with tensors of that signature."""

    def __init__(self, owner: TracedFunction, entry: Any, args: Any, kwargs: Any,
                 signature: Signature | None = None, specs: Any = None, dtypes: list[str] | None = None) -> None:
        self._owner, self._entry = owner, entry
        self._args, self._kwargs = args, kwargs
        self._signature = signature
        self._specs = specs if specs is not None else (args, kwargs)  # the TensorSpecs it was asked for
        self._dtypes = dtypes  # its tensor arguments' dtypes, in order

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        return self._signature.pretty() if self._signature is not None else ""

    def __str__(self) -> str:
        return f"ConcreteFunction {self.pretty_printed_signature()}"

    @property
    def inference_fn(self) -> Callable[..., Any]:
        """The traced function called on its tensor arguments alone (TensorFlow's ``AtomicFunction`` role)."""
        return self.__call__

    @property
    def function_type(self) -> Any:
        """The parameters and output as one line, printed as TensorFlow prints its ``FunctionType``."""
        from tensorlet.autodiff.function_signature import _Text

        return _Text(self._signature.function_type() if self._signature is not None else "")

    @property
    def graph(self) -> Any:
        """A read-only view of the traced plan: ``get_operations()`` and ``as_graph_def()`` (``plan_graph``)."""
        from tensorlet.autodiff.plan_graph import PlanGraph

        if self._entry is _EAGER:
            raise ValueError(f"tf.function {self._owner.__name__} runs eagerly for this signature, so it has no "
                             "traced graph (see the warning it gave when traced)")
        return PlanGraph(self._entry.plan, self._signature.feed_names if self._signature is not None else [])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for name, value in (self._kwargs or {}).items():  # Python values it was traced with are bound, as in TF
            if isinstance(value, (Tensor, np.ndarray)):
                continue
            if name not in kwargs:
                kwargs[name] = value
            elif _hashable(value) and kwargs[name] != value:
                raise TypeError(f"ConcreteFunction {self._owner.__name__} was traced with {name}={value!r}; it "
                                f"cannot be called with {name}={kwargs[name]!r} (trace another one for that value)")
        owner = self._owner
        if _context.tracing or _run_eagerly[0]:
            return owner(*args, **kwargs)
        leaves = _split(args, kwargs, owner.input_signature, owner._relax)
        got = _feed_dtypes(leaves.key)
        if self._dtypes is not None and got != self._dtypes:  # it runs only on tensors of the dtypes it was traced for
            from tensorlet.errors import InvalidArgumentError

            raise InvalidArgumentError(f"ConcreteFunction {owner.__name__} was traced for tensor arguments of "
                                       f"dtypes {_dtype_names(self._dtypes)}; it got {_dtype_names(got)}")
        return owner._call_split(args, kwargs, leaves)

    @property
    def structured_input_signature(self) -> Any:
        """``(args, kwargs)`` as asked for: TensorSpecs (None dimensions kept) for tensor arguments."""
        return self._specs

    @property
    def structured_outputs(self) -> Any:
        if self._entry is _EAGER:
            return None
        return self._entry.out_template


def _feed_dtypes(key: tuple[Any, ...]) -> list[str]:
    """The dtypes of a signature key's tensor arguments, in order."""
    return [k[2] for k in key[1:] if isinstance(k, tuple) and k and k[0] == "tensor"]


def _dtype_names(dtypes: list[str]) -> list[str]:
    return ["string" if np.dtype(d).kind in "OSU" else np.dtype(d).name for d in dtypes]


def _as_outputs(result: Any) -> Any:
    """As TensorFlow returns them: Python numbers, strings and arrays in the result become tensors."""
    from tensorlet.autodiff.tensor import constant

    def convert(v: Any) -> Any:
        if isinstance(v, (bool, int, float, str, bytes, np.generic, np.ndarray)) and not isinstance(v, Tensor):
            return constant(v)
        return v

    return tree.map_structure(convert, result)


def _batch_of(feeds: list[Any]) -> int | None:
    return int(feeds[0].shape[0]) if feeds and feeds[0].ndim else None


def _objects(args: Any, kwargs: Any) -> list[Any]:
    return [v for v in tree.flatten((args, kwargs))
            if not (isinstance(v, (Tensor, np.ndarray)) or _hashable(v) or hasattr(type(v), "__tf_tracing_type__"))]


def _flat_specs(signature: Any) -> list[Any]:
    return tree.flatten(signature if isinstance(signature, (list, tuple)) else [signature])


def _specs_to_examples(x: Any) -> Any:
    """TensorSpec leaves become zero tensors of their shape (None dimensions: 1), to trace with."""
    return tree.map_structure(_spec_to_example, x)


def _as_spec(x: Any) -> Any:
    """A tensor or array argument as the TensorSpec of its shape and dtype; specs and Python values as they are."""
    if isinstance(x, (Tensor, np.ndarray)):
        from tensorlet.tensor_spec import TensorSpec

        return TensorSpec(tuple(x.shape), x.dtype if isinstance(x, Tensor) else x.dtype.name)
    return x


def _spec_to_example(x: Any) -> Any:
    if hasattr(x, "is_compatible_with_shape") and hasattr(x, "dtype"):
        shape = tuple(1 if d is None else int(d) for d in (x.shape or ()))
        dtype = x.dtype.as_numpy_dtype if hasattr(x.dtype, "as_numpy_dtype") else x.dtype
        if getattr(x.dtype, "name", None) == "string":
            return _wrap(np.full(shape, b"", dtype=object))
        return _wrap(np.zeros(shape, dtype=dtype))
    return x


def function(func: Callable[..., Any] | None = None, input_signature: Any = None, autograph: bool = True,
             jit_compile: Any = None, reduce_retracing: bool = False, experimental_compile: Any = None,
             experimental_relax_shapes: bool = False, experimental_autograph_options: Any = None,
             experimental_follow_type_hints: Any = None, experimental_implements: Any = None,
             experimental_attributes: Any = None, name: str | None = None) -> Any:
    """``tf.function``, as a decorator (bare or with arguments) or a call; see the module docstring.

    Example:
        >>> import tensorlet as tf
        >>> @tf.function
        ... def square_sum(x):
        ...     return tf.reduce_sum(x * x)
        >>> float(square_sum(tf.constant([1.0, 2.0])))
        5.0
        >>> square_sum.experimental_get_tracing_count()
        1
    """
    def make(f: Callable[..., Any]) -> TracedFunction:
        return TracedFunction(f, input_signature=input_signature,
                              reduce_retracing=reduce_retracing or experimental_relax_shapes,
                              jit_compile=jit_compile if jit_compile is not None else experimental_compile,
                              autograph=autograph, name=name)

    return make if func is None else make(func)
