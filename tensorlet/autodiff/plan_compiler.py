"""Compile a Plan's step list into two straight-line Python functions (forward and backward).

A traced step is fixed once traced: which slot feeds which op, which inputs need a gradient, which slots
receive gradients from several ops. Interpreting that list on every replay (index lookups, ``zip`` over
inputs, tests whose answer never changes) costs a few microseconds per op, which is most of a tiny model's
step. Emitting the list as Python source, once per plan, leaves only the calls to each op's ``forward`` and
``backward`` and the checks whose answer depends on the data (None gradients, broadcasting).

The source is built here from the plan's own integers and names bound in a private namespace; nothing read
from a file or from the user reaches it.
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet import backend as _backend
from tensorlet.autodiff import tape as _tape

FEED, VAR, CONST = 0, 1, 2  # the kinds of a plan's sources: a fed array, a variable, a constant


def compile_forward(steps: list[tuple[Any, tuple[int, ...], int]], sources: list[tuple[int, int, Any]],
                    outputs: list[int], kept: set[int]) -> Callable[[Any, list[Any]], list[Any]]:
    """``forward(feeds, vals) -> outputs``; stores the slots in ``kept`` into ``vals`` for the backward pass."""
    ns: dict[str, Any] = {}
    lines = ["def forward(feeds, vals):"]
    for slot, kind, ref in sources:
        if kind == FEED:
            lines.append(f"    v{slot} = feeds[{int(ref)}]")
        elif kind == VAR:
            ns[f"V{slot}"] = ref
            lines.append(f"    v{slot} = V{slot}._value")
        else:
            ns[f"C{slot}"] = ref
            lines.append(f"    v{slot} = C{slot}")
    for k, (fn, ins, out) in enumerate(steps):
        ns[f"F{k}"] = fn.forward
        lines.append(f"    v{out} = F{k}({', '.join(f'v{i}' for i in ins)})")
    lines += [f"    vals[{s}] = v{s}" for s in sorted(kept)]
    lines.append(f"    return [{', '.join(f'v{o}' for o in outputs)}]")
    return _build(lines, ns, "forward")


def compile_backward(schedule: list[tuple[Any, tuple[int, ...], int, tuple[bool, ...]]], target: int,
                     var_slots: list[int], dtypes: list[Any]) -> Callable[[Any, list[Any]], list[Any]]:
    """``backward(seed, vals) -> gradients`` of slot ``target`` for each slot of ``var_slots`` (None if unused).

    ``schedule`` lists the ops in reverse order with, per input, whether it needs a gradient (see
    ``plan._backward_schedule``); gradients of the variables are cast to ``dtypes``.
    """
    ns: dict[str, Any] = {"unbroadcast": _tape.unbroadcast, "ones_like": _backend.xp().ones_like}
    contributions: dict[int, int] = {}
    for _fn, ins, _out, needs in schedule:
        for i, need in zip(ins, needs):
            if need:
                contributions[i] = contributions.get(i, 0) + 1
    lines = ["def backward(seed, vals):",
             f"    g{target} = ones_like(vals[{target}]) if seed is None else seed"]
    named = set(contributions) | set(var_slots) | {out for _f, _i, out, _n in schedule}
    lines += [f"    g{s} = None" for s in sorted(named) if s != target]
    # a slot summing several contributions owns its gradient array once it made it (o{s}); an op that adds its
    # gradient into a slice (GetItem's accumulate_grad: the steps of a recurrent layer) then writes in place
    # instead of returning an input-sized array of zeros to be summed, which made T steps cost O(T^2)
    shared = sorted(s for s, n in contributions.items() if n > 1 and s != target)
    lines += [f"    o{s} = False" for s in shared]
    ns["zeros"] = _backend.xp().zeros
    for k, (fn, ins, out, needs) in enumerate(schedule):
        ns[f"F{k}"], ns[f"B{k}"], ns[f"N{k}"] = fn, fn.backward, needs
        accumulate = getattr(fn, "accumulate_grad", None)
        if accumulate is not None and len(ins) == 1 and needs[0] and ins[0] in shared:
            i = ins[0]
            ns[f"A{k}"] = accumulate
            lines += [f"    if g{out} is not None:",
                      f"        if not o{i}:",
                      f"            g{i} = zeros(vals[{i}].shape, g{out}.dtype) if g{i} is None else g{i}.copy()",
                      f"            o{i} = True",
                      f"        A{k}(g{i}, g{out})"]
            continue
        lines += [f"    if g{out} is not None:",
                  f"        F{k}.needs_input_grad = N{k}",
                  f"        r = B{k}(g{out})",
                  "        if type(r) is not tuple:",
                  "            r = (r,)"]
        for pos, (i, need) in enumerate(zip(ins, needs)):
            if not need:
                continue
            lines += [f"        x = r[{pos}]",
                      "        if x is not None:",
                      f"            if x.shape != vals[{i}].shape:",
                      f"                x = unbroadcast(x, vals[{i}].shape)"]
            if contributions[i] == 1 and i != target:
                lines.append(f"            g{i} = x")
            elif i in shared:
                lines += [f"            if g{i} is None:",
                          f"                g{i} = x",
                          "            else:",
                          f"                g{i} = g{i} + x",
                          f"                o{i} = True"]
            else:
                lines.append(f"            g{i} = x if g{i} is None else g{i} + x")
    for k, (s, dtype) in enumerate(zip(var_slots, dtypes)):
        ns[f"D{k}"] = dtype
        lines += [f"    if g{s} is not None and g{s}.dtype != D{k}:",
                  f"        g{s} = g{s}.astype(D{k})"]
    lines.append(f"    return [{', '.join(f'g{s}' for s in var_slots)}]")
    return _build(lines, ns, "backward")


def _build(lines: list[str], ns: dict[str, Any], name: str) -> Callable[..., Any]:
    code = compile("\n".join(lines) + "\n", f"<tensorlet plan {name}>", "exec")
    exec(code, ns)  # noqa: S102 - source generated above from integers and namespace names only
    # popped, so that the namespace (the function's globals) does not point back at the function: without that
    # cycle, a dropped plan frees its ops' saved arrays at once instead of at the next full garbage collection
    return ns.pop(name)  # type: ignore[no-any-return]
