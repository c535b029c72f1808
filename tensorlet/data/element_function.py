"""ElementFunction: a user function (``map``, ``filter``, ``scan``...) applied to dataset elements.

TensorFlow traces a ``map`` function once into a graph. tensorlet does the same with its plan tracer
(``autodiff.plan.trace``, the machinery behind ``tf.function``): the function runs once on example tensors of the
element spec, its ops are recorded into a Plan, and the Plan is replayed on each element's arrays, without the
Python of the function. Three more things are needed here than in ``tf.function``:

**The output spec before any data.** ``ds.map(f).element_spec`` must be known when ``map`` is called. The function
is traced on two probes of the input spec: zeros, then varied values (dimensions of unknown size get 2, then 3).
An output dimension that differs between the probes is of unknown size (None). If the function fails on the
probes (it parses records, reads files...), the first real element is computed once to learn the output structure
and dtypes, with every dimension unknown.

**Proof that the plan does not bake data in.** Some tensorlet functions compute on the host outside recorded ops
(``tf.one_hot``, ``tf.argmax`` and string ops read arrays directly); traced, their result would become a constant
of the plan and every element would get the probe's value. The two probe traces must therefore give the same plan:
the same ops, wired the same way, with equal constants and op settings. If they differ, data leaked into the
plan, and the function runs eagerly on each element instead (as it does when it reads a value back to Python).

**Whole chunks at once.** A plan replay still costs a Python call per op per element. When every op of the plan
is elementwise (casts, arithmetic, comparisons, activations: ``_ELEMENTWISE``), the function is traced a third
time on a batch of probe elements; if that plan matches the per-element one op for op and every op's output is
the per-element output with a leading batch axis, it is replayed once per chunk on whole columns. This is what
makes ``map(lambda x, y: (tf.cast(x, tf.float32) / 255., y))`` before ``batch`` cost about as much as doing the
division on the batch. Functions with reshapes, reductions or gathers keep the per-element plan: their axes mean
something else once a batch axis is added.

Functions over ragged or dataset components (``flat_map`` over windows) run eagerly.
"""
from __future__ import annotations

import contextlib
import io
import threading
import types
import warnings
from typing import Any, Callable

import numpy as np

from tensorlet import tf_logging, tree
from tensorlet.autodiff.host_call import HostCall
from tensorlet.autodiff.plan import Plan, trace
from tensorlet.autodiff.plan_compiler import CONST, FEED, VAR
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk, from_rows
from tensorlet.ops import elementwise, nn, unary
from tensorlet.tensor_spec import TensorSpec

MAX_SHAPES = 8  # distinct input shapes traced for one function before it runs eagerly for new ones

_ELEMENTWISE = (elementwise.Binary, elementwise.Select, unary.Neg, unary.Abs, unary.Exp, unary.Expm1, unary.Log,
                unary.Log1p, unary.Sqrt, unary.Rsqrt, unary.Reciprocal, unary.Square, unary.Sin, unary.Cos,
                unary.Tan, unary.Tanh, unary.Sigmoid, unary.Identity, unary.StopGradient, unary.Cast,
                unary.NonDiffUnary, unary.ClipByValue, nn.Relu, nn.Elu, nn.LeakyRelu, nn.Softplus, nn.Gelu,
                nn.Softsign)
_STATE_ATTRIBUTES = ("saved", "needs_input_grad")


class _Traced:
    """One trace of the function: its plan (None if untraceable), its output element, and why not."""

    __slots__ = ("plan", "output", "reason")

    def __init__(self, plan: Plan | None, output: Any, reason: str | None) -> None:
        self.plan, self.output, self.reason = plan, output, reason


def _name(fn: Any) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


class ElementFunction:
    """``fn`` applied to elements of ``input_spec``; ``output_spec`` is the spec of its results.

    ``peek()`` gives the first input element's components (or None for an empty input); it is called only when
    the function cannot be traced on probes.
    """

    def __init__(self, fn: Callable[..., Any], input_spec: Any, what: str,
                 peek: Callable[[], list[Any] | None] | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"{what}: expected a callable, got {type(fn).__name__} {fn!r}")
        self.fn, self.input_spec, self.what = fn, input_spec, what
        self._flat_in = tree.flatten(input_spec)
        self._pack_in = structure.packer(input_spec)
        self._dense = all(isinstance(s, TensorSpec) and not s._unknown_rank for s in self._flat_in)
        self._fixed = self._dense and all(s.shape.is_fully_defined() for s in self._flat_in)
        self._lock = threading.Lock()
        self._plan: Plan | None = None       # fixed input shapes: one plan for every element
        self._batched: Plan | None = None    # ... and for whole chunks, when elementwise
        self._shape_plans: dict[Any, Plan | None] = {}  # inputs of unknown dimensions: one plan per shapes
        self.eager_reason: str | None = None
        self.output_spec = self._discover(peek)
        self._flat_out = tree.flatten(self.output_spec)
        self._pack_out = structure.packer(self.output_spec)

    # -- calling ------------------------------------------------------------------------------------------
    def _call(self, tensors: list[Any]) -> Any:
        """The function's result on one element's tensors, every leaf a Tensor (or RaggedTensor, Dataset)."""
        out = structure.call_with_element(self.fn, self._pack_in(tensors), self.input_spec)
        return structure.as_tensors(tuple(out) if isinstance(out, list) else out,
                                    f"{self.what} function {_name(self.fn)}")

    def call_python(self, components: list[Any]) -> Any:
        """Run the Python function on one element's components; returns the output element's components."""
        return structure.normalize(self._call([structure.public(c) for c in components]))

    def _eager(self, components: list[Any]) -> list[Any]:
        out = self.call_python(components)
        flat = tree.flatten(out)
        if len(flat) != len(self._flat_out):
            raise TypeError(f"{self.what}: {_name(self.fn)} returned {out!r}, which does not match the structure "
                            f"it returned before ({self.output_spec!r})")
        return flat

    def apply(self, components: list[Any]) -> list[Any]:
        """The output components for one element."""
        plan = self._plan
        if plan is None and self._dense and not self._fixed:
            plan = self._plan_for(components)
        if plan is None:
            return self._eager(components)
        with self._lock:
            outs = plan.run(components)
        return [o if type(o) is np.ndarray else np.asarray(o) for o in outs]

    def apply_chunk(self, chunk: Chunk, drop_errors: bool = False) -> Chunk:
        """The outputs for every element of a chunk (one replay for the whole chunk when elementwise)."""
        batched = self._batched
        if batched is not None and all(type(c) is np.ndarray for c in chunk.columns):
            with self._lock:
                outs = [np.asarray(o) for o in batched.run(chunk.columns)]
            n = chunk.n
            return Chunk(n, [o if o.shape[:1] == (n,) else np.broadcast_to(o, (n,) + o.shape) for o in outs])
        results = []
        cols = chunk.columns
        for i in range(chunk.n):
            components = [c[i, ...] if type(c) is np.ndarray else c[i] for c in cols]
            if drop_errors:
                try:
                    results.append(self.apply(components))
                except Exception:  # noqa: BLE001 - ignore_errors() drops the element whatever went wrong
                    continue
            else:
                results.append(self.apply(components))
        return from_rows(results, len(self._flat_out))

    def apply_until_error(self, chunk: Chunk) -> tuple[Chunk, BaseException]:
        """Element by element: the outputs before the first element that fails, and that element's error
        (so that a pipeline delivers what precedes a failing element before raising, as TensorFlow does)."""
        results = []
        cols = chunk.columns
        for i in range(chunk.n):
            try:
                results.append(self.apply([c[i, ...] if type(c) is np.ndarray else c[i] for c in cols]))
            except Exception as e:  # noqa: BLE001 - handed back to be raised after the good elements
                return from_rows(results, len(self._flat_out)) if results else Chunk(0, []), e
        raise RuntimeError(f"{self.what}: {_name(self.fn)} failed on a chunk but on none of its elements")

    @property
    def vectorized(self) -> bool:
        return self._batched is not None

    @property
    def traced(self) -> bool:
        return self._plan is not None or any(p is not None for p in self._shape_plans.values())

    # -- tracing ------------------------------------------------------------------------------------------
    def _trace(self, feeds: list[Any], quiet: bool = False) -> _Traced:
        """Trace on ``feeds``; ``quiet`` hides what the function prints (the second and third traces of one
        function: TensorFlow traces once, so its tracing-time ``print`` shows once)."""
        if quiet:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                return self._trace(feeds)
        holder: list[Any] = []
        positions: list[int] = []

        def traced(*tensors: Tensor) -> list[Tensor]:
            out = self._call(list(tensors))
            flat = tree.flatten(out)
            holder.append(structure.normalize(out))
            positions.extend(i for i, v in enumerate(flat) if isinstance(v, Tensor))
            return [flat[i] for i in positions]

        reasons: list[str] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # probes of zeros divide by zero, take logs of 0...
            plan, _ = trace(traced, [_wrap(f) for f in feeds], [], report=reasons.append)
        output = holder[0]
        if plan is not None and len(positions) != len(tree.flatten(output)):
            plan, reasons = None, ["it returns ragged tensors or datasets"]
        return _Traced(plan, output, reasons[0] if reasons else None)

    def _discover(self, peek: Callable[[], list[Any] | None] | None) -> Any:
        if self._dense:
            try:
                first = self._trace([structure.probe(s, 2) for s in self._flat_in])
                second = self._trace([_varied(s, 3 if not self._fixed else None) for s in self._flat_in], quiet=True)
            except Exception as e:  # noqa: BLE001 - a function that needs real data (parsing, files...)
                self._note_eager(f"it fails on example inputs ({type(e).__name__}: {e})")
            else:
                spec = _merge_specs(first.output, second.output)
                if spec is not None:
                    if self._fixed:
                        self._adopt(first, second)
                    return spec
                self._note_eager("its outputs change structure or dtype with the input values")
        elif self._flat_in and all(isinstance(s, structure.DatasetSpec) for s in self._flat_in):
            try:
                out = self.call_python([_empty_dataset(s.element_spec) for s in self._flat_in])
                return structure.spec_of_element(out)
            except Exception:  # noqa: BLE001 - fall back to the first real element
                pass
        else:
            self.eager_reason = "its inputs are ragged"
        return self._peek_spec(peek)

    def _adopt(self, first: _Traced, second: _Traced) -> None:
        if first.plan is None or second.plan is None:
            self._note_eager(first.reason or second.reason or "untraceable")
            return
        if not plans_agree(first.plan, second.plan):
            self._note_eager("it computes part of its result outside recorded ops (on the host), so a plan "
                             "would repeat the example's values")
            return
        self._plan = first.plan
        self._batched = self._vectorize(first.plan)

    def _note_eager(self, reason: str) -> None:
        if self.eager_reason is None:
            self.eager_reason = reason
            tf_logging.info(f"{self.what}: {_name(self.fn)} runs eagerly on each element: {reason}")

    def _peek_spec(self, peek: Callable[[], list[Any] | None] | None) -> Any:
        components = peek() if peek is not None else None
        if components is None:
            return TensorSpec(None, "float32")  # an empty input: no element will ever have this spec
        out = self.call_python(components)
        return tree.map_structure(_unknown_dims, structure.spec_of_element(out))

    def _plan_for(self, components: list[Any]) -> Plan | None:
        key = tuple(c.shape for c in components)
        plans = self._shape_plans
        if key in plans:
            return plans[key]
        if len(plans) >= MAX_SHAPES:
            return None
        with self._lock:
            try:
                real = self._trace(list(components))
                other = self._trace([_varied_like(c) for c in components], quiet=True)
            except Exception:  # noqa: BLE001 - runs eagerly (and raises there if the element itself fails)
                plans[key] = None
                return None
            ok = real.plan is not None and other.plan is not None and plans_agree(real.plan, other.plan)
            plans[key] = real.plan if ok else None
            if not ok:
                self._note_eager(real.reason or other.reason or "data leaks into its plan")
        return plans[key]

    def _vectorize(self, plan: Plan) -> Plan | None:
        """A plan for whole chunks, when the per-element plan is elementwise (see the module docstring)."""
        if not plan.steps or any(not isinstance(fn, _ELEMENTWISE) or fn.varies for fn, _, _ in plan.steps):
            return None
        k = 3
        feeds = [_varied(TensorSpec((k,) + tuple(s.shape), s.dtype), None) for s in self._flat_in]
        try:
            batched = self._trace(feeds, quiet=True)
        except Exception:  # noqa: BLE001 - not vectorizable, then
            return None
        if batched.plan is None or not plans_agree(plan, batched.plan):
            return None
        single = _slot_shapes(plan, [structure.probe(s, 1) for s in self._flat_in])
        many = _slot_shapes(batched.plan, feeds)
        constants = {slot for slot, kind, _ in plan.sources if kind != FEED}
        for slot, shape in single.items():
            # every computed value must be the element's value with a batch axis in front: a constant of
            # higher rank than an element would otherwise broadcast across the batch
            if slot not in constants and many.get(slot) != (k,) + shape:
                return None
        return batched.plan


def _slot_shapes(plan: Plan, feeds: list[Any]) -> dict[int, tuple[int, ...]]:
    """The shape of every slot when the plan's steps run on ``feeds`` (interpreted, not compiled)."""
    values: dict[int, Any] = {}
    for slot, kind, ref in plan.sources:
        values[slot] = feeds[ref] if kind == FEED else ref._value if kind == VAR else ref
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn, ins, out in plan.steps:
            values[out] = fn.forward(*[values[i] for i in ins])
    return {slot: tuple(np.shape(v)) for slot, v in values.items()}


def plans_agree(a: Plan, b: Plan) -> bool:
    """Whether two traces of one function recorded the same computation: the same ops with the same settings,
    wired the same way, reading equal constants. Closures rebuilt by each trace (a host call's function) and a
    host call's example output are not compared."""
    if len(a.steps) != len(b.steps) or a.n_slots != b.n_slots or a.outputs != b.outputs:
        return False
    for (fa, ia, oa), (fb, ib, ob) in zip(a.steps, b.steps):
        if type(fa) is not type(fb) or ia != ib or oa != ob or not _same_settings(fa, fb):
            return False
    if len(a.sources) != len(b.sources):
        return False
    for (sa, ka, ra), (sb, kb, rb) in zip(a.sources, b.sources):
        if sa != sb or ka != kb:
            return False
        if ka == FEED and ra != rb or ka == VAR and ra is not rb or ka == CONST and not _equal_values(ra, rb):
            return False
    return True


def _same_settings(a: Any, b: Any) -> bool:
    da, db = getattr(a, "__dict__", {}), getattr(b, "__dict__", {})
    if set(da) != set(db):
        return False
    for key, va in da.items():
        if key in _STATE_ATTRIBUTES or (isinstance(a, HostCall) and key == "example"):
            continue
        vb = db[key]
        if isinstance(va, (types.FunctionType, types.MethodType)) or type(va).__name__ == "partial":
            continue
        if not _equal_values(va, vb):
            return False
    return True


def _equal_values(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind == "f" or a.dtype.kind == "c":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return _equal_values(a._value, b._value)
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - values that cannot be compared count as different
        return False


def _varied(spec: TensorSpec, unknown: int | None) -> np.ndarray:
    """A probe of ``spec`` whose entries differ from zeros and from one another."""
    shape = tuple(int(unknown if d is None else d) for d in spec.shape)  # type: ignore[arg-type]
    return _varied_array(shape, spec.dtype.as_numpy_dtype if spec.dtype.name != "string" else object)


def _varied_like(component: np.ndarray) -> np.ndarray:
    return _varied_array(component.shape, component.dtype)


def _varied_array(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    size = int(np.prod(shape, dtype=np.int64))
    base = (np.arange(size, dtype=np.int64) * 7 + 3) % 11 + 1
    if np.dtype(dtype) == object:
        out = np.empty(size, dtype=object)
        out[:] = [b"%d %d" % (v, v + 1) for v in base.tolist()]
        return out.reshape(shape)
    if np.dtype(dtype).kind == "b":
        return (base % 2 == 0).reshape(shape)
    return base.astype(dtype).reshape(shape)


def _merge_specs(a: Any, b: Any) -> Any:
    """The output spec from the outputs on two probes (dimensions that differ are unknown); None when the two
    outputs differ in structure or dtype."""
    try:
        sa, sb = structure.spec_of_element(a), structure.spec_of_element(b)
        return structure.most_specific_compatible(sa, sb, "")
    except (TypeError, ValueError):
        return None


def _unknown_dims(spec: Any) -> Any:
    if isinstance(spec, TensorSpec) and not spec._unknown_rank:
        return TensorSpec((None,) * len(spec.shape), spec.dtype)
    return spec


def _empty_dataset(element_spec: Any) -> Any:
    from tensorlet.data.generator import from_python

    return from_python(lambda: iter(()), element_spec, cardinality=0)
