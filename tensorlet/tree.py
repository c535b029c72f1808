"""Nested structures of values: what ``tf.nest`` and Keras 3's ``keras.tree`` do, under one rule for every caller.

The tape's sources, a traced step's outputs, a Functional model's inputs and outputs and the arrays ``fit``
receives are all nested structures; every part of tensorlet walks them through this module, so all agree on one
order. The rules are TensorFlow's (``tf.nest``, checked against TensorFlow 2.21):

- **Nested** are lists, tuples, namedtuples, other ``collections.abc.Sequence`` types except strings and bytes
  (``deque``, ``range``), ``collections.abc.Mapping`` types (``dict``, ``OrderedDict``, ``defaultdict``, ...) and
  mapping views (``d.keys()``, ``d.values()``, ``d.items()``). Everything else is a **leaf**: Tensors, Variables,
  KerasTensors, NumPy arrays, numbers, strings, ``None``, and ``TensorShape`` (a tuple subclass in tensorlet, but
  one value in TensorFlow, where it is no sequence). A class opts out of nesting with ``_tree_leaf = True``.
- A mapping's values are flattened in **sorted key order**, whatever the insertion order, ``OrderedDict`` included
  (Keras 3's ``keras.tree`` keeps an ``OrderedDict``'s own order; tensorlet follows TensorFlow). The keys of one
  mapping must be sortable among themselves (a TypeError names them otherwise).
- Packing rebuilds each container as its own type: a mapping gets its own key order back (``{"b": 1, "a": 2}``
  flattens to ``[2, 1]`` and packs back to ``{"b": .., "a": ..}``), a ``defaultdict`` keeps its
  ``default_factory``, a namedtuple is rebuilt field by field, a mapping view becomes a list.
- ``None`` is a leaf (``flatten([None, 1]) == [None, 1]``); an empty container has no leaves
  (``flatten([[], {}]) == []``) and ``pack_sequence_as`` gives it back.
- ``assert_same_structure(a, b, check_types=True)`` raises TypeError when two containers differ in type (list
  against tuple, two different namedtuples; all mappings count as one type) and ValueError when nesting, lengths
  or a mapping's keys differ. With ``check_types=False`` only nesting and lengths are compared.

Example:
    >>> from tensorlet import tree
    >>> tree.flatten({"b": [1, 2], "a": (3, None)})
    [3, None, 1, 2]
    >>> tree.pack_sequence_as({"b": [0, 0], "a": (0, 0)}, [30, 40, 10, 20])
    {'b': [10, 20], 'a': (30, 40)}
    >>> tree.map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
"""
from __future__ import annotations

import collections
from collections.abc import Mapping, MappingView, Sequence
from numbers import Integral
from typing import Any, Callable

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path",
           "is_nested", "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to",
           "map_structure_with_path", "pack_sequence_as", "traverse"]

# What a type is, looked up once per type: the walks below pay one dict lookup per element.
_LEAF, _LIST, _TUPLE, _NAMEDTUPLE, _SEQUENCE, _MAPPING, _VIEW = range(7)
_KINDS: dict[type, int] = {list: _LIST, tuple: _TUPLE, dict: _MAPPING, int: _LEAF, float: _LEAF, bool: _LEAF,
                           str: _LEAF, bytes: _LEAF, type(None): _LEAF}


def _classify(t: type) -> int:
    if getattr(t, "_tree_leaf", False) or issubclass(t, (str, bytes, bytearray, memoryview)):
        return _LEAF
    if issubclass(t, Mapping):
        return _MAPPING
    if issubclass(t, MappingView):
        return _VIEW
    if issubclass(t, tuple):
        fields = getattr(t, "_fields", None)
        if isinstance(fields, tuple) and all(isinstance(f, str) for f in fields):
            return _NAMEDTUPLE
        return _SEQUENCE
    return _SEQUENCE if issubclass(t, Sequence) else _LEAF


def _kind(x: Any) -> int:
    t = type(x)
    k = _KINDS.get(t)
    if k is None:
        k = _KINDS[t] = _classify(t)
    return k


def _sorted_keys(m: Any) -> list[Any]:
    try:
        return sorted(m)
    except TypeError:
        raise TypeError(f"A mapping's values are flattened in sorted key order, so its keys must be sortable among "
                        f"themselves; got keys {list(m)!r}") from None


def _rebuild(x: Any, kind: int, children: list[Any]) -> Any:
    """``x``'s container type (not a mapping) holding ``children``."""
    if kind == _LIST or kind == _VIEW:
        return children
    if kind == _TUPLE:
        return tuple(children)
    if kind == _NAMEDTUPLE:
        return type(x)(*children)
    return type(x)(children)


def _rebuild_mapping(x: Any, by_key: dict[Any, Any]) -> Any:
    """``x``'s mapping type with the new values ``by_key``, in ``x``'s own key order."""
    if type(x) is dict:
        return {k: by_key[k] for k in x}
    if isinstance(x, collections.defaultdict):
        return type(x)(x.default_factory, [(k, by_key[k]) for k in x])
    return type(x)([(k, by_key[k]) for k in x])


def _map_children(x: Any, kind: int, f: Callable[[Any], Any]) -> Any:
    if kind == _MAPPING:
        return _rebuild_mapping(x, {k: f(x[k]) for k in _sorted_keys(x)})
    return _rebuild(x, kind, [f(v) for v in x])


def _short(x: Any, limit: int = 300) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[:limit] + " ..."


def is_nested(seq: Any) -> bool:
    """Whether ``seq`` is a container this module walks into (a leaf otherwise; see the module docstring)."""
    return _kind(seq) != _LEAF


# -- flatten and pack --------------------------------------------------------------------------------------
def flatten(structure: Any, expand_composites: bool = False) -> list[Any]:
    """The leaves of ``structure``, depth first, a mapping's values in sorted key order.

    A leaf gives a one-item list (``flatten(None) == [None]``). ``expand_composites`` is accepted for
    TensorFlow's signature; tensorlet has no composite tensors.
    """
    kind = _KINDS.get(type(structure))
    if kind is None:
        kind = _kind(structure)
    if not kind:
        return [structure]
    out: list[Any] = []
    _flatten_into(structure, kind, out)
    return out


def _flatten_into(x: Any, kind: int, out: list[Any]) -> None:
    kinds = _KINDS
    for v in ([x[k] for k in _sorted_keys(x)] if kind == _MAPPING else x):
        k = kinds.get(type(v))
        if k is None:
            k = _kind(v)
        if k:
            _flatten_into(v, k, out)
        else:
            out.append(v)


def pack_sequence_as(structure: Any, flat_sequence: Any, expand_composites: bool = False,
                     sequence_fn: Callable[[Any, list[Any]], Any] | None = None) -> Any:
    """``structure`` with its leaves replaced, in ``flatten`` order, by the items of ``flat_sequence``.

    ``sequence_fn(container, children)`` (Keras 3), when given, builds every container instead of its own type
    (a mapping's children come in sorted key order).
    """
    kind = _kind(flat_sequence)
    if kind not in (_LIST, _TUPLE, _SEQUENCE, _NAMEDTUPLE, _VIEW):
        raise TypeError(f"pack_sequence_as: flat_sequence must be a list or tuple of leaves, got "
                        f"{type(flat_sequence).__name__}: {_short(flat_sequence)}")
    flat = flat_sequence if kind == _LIST or kind == _TUPLE else list(flat_sequence)
    kind = _kind(structure)
    if not kind:
        if len(flat) != 1:
            raise ValueError(f"pack_sequence_as: the structure {_short(structure)} is a single leaf, but "
                             f"flat_sequence has {len(flat)} items: {_short(flat)}")
        return flat[0]
    try:
        packed, end = _pack(structure, kind, flat, 0, sequence_fn)
    except IndexError:
        end = -1
    if end != len(flat):
        raise ValueError(f"pack_sequence_as: the structure has {len(flatten(structure))} leaves, but flat_sequence "
                         f"has {len(flat)} items. Structure: {_short(structure)}; flat_sequence: {_short(flat)}")
    return packed


def _pack(x: Any, kind: int, flat: Any, i: int, sequence_fn: Any) -> tuple[Any, int]:
    kinds = _KINDS
    keys = _sorted_keys(x) if kind == _MAPPING else None
    children = []
    for v in (x if keys is None else [x[k] for k in keys]):
        k = kinds.get(type(v))
        if k is None:
            k = _kind(v)
        if k:
            v, i = _pack(v, k, flat, i, sequence_fn)
            children.append(v)
        else:
            children.append(flat[i])
            i += 1
    if sequence_fn is not None:
        return sequence_fn(x, children), i
    return (_rebuild(x, kind, children) if keys is None else _rebuild_mapping(x, dict(zip(keys, children)))), i


# -- comparing structures ----------------------------------------------------------------------------------
def _same_container_type(a: Any, b: Any, ka: int, kb: int) -> bool:
    if ka == _MAPPING or kb == _MAPPING:
        return ka == kb  # dict, OrderedDict and defaultdict match one another, as in tf.nest
    if type(a) is type(b):
        return True
    return (ka == kb == _NAMEDTUPLE and type(a).__name__ == type(b).__name__
            and type(a)._fields == type(b)._fields)


def _difference(a: Any, b: Any, check_types: bool) -> tuple[type[Exception], str] | None:
    """The first place where ``a`` and ``b`` differ, as (exception type, description), or None."""
    ka, kb = _kind(a), _kind(b)
    if not ka and not kb:
        return None
    if not ka or not kb:
        nested, leaf = (a, b) if ka else (b, a)
        return ValueError, (f"the substructure {_short(nested)} (a {type(nested).__name__}) faces the leaf "
                            f"{_short(leaf)}")
    if check_types:
        if not _same_container_type(a, b, ka, kb):
            return TypeError, (f"a {type(a).__name__} faces a {type(b).__name__}: {_short(a)} against {_short(b)} "
                               "(pass check_types=False to compare only the nesting)")
        if ka == _MAPPING and set(a) != set(b):
            return ValueError, (f"the mappings have different keys: {list(a)!r} against {list(b)!r}")
    ca = [a[k] for k in _sorted_keys(a)] if ka == _MAPPING else list(a)
    cb = [b[k] for k in _sorted_keys(b)] if kb == _MAPPING else list(b)
    if len(ca) != len(cb):
        return ValueError, (f"a {type(a).__name__} of length {len(ca)} faces a {type(b).__name__} of length "
                            f"{len(cb)}: {_short(a)} against {_short(b)}")
    for x, y in zip(ca, cb):
        found = _difference(x, y, check_types)
        if found is not None:
            return found
    return None


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool | None = True,
                          expand_composites: bool = False) -> None:
    """Raise if ``nest1`` and ``nest2`` differ in nesting, lengths, keys or (``check_types``) container types.

    Raises:
        ValueError: the nesting, a length or a mapping's keys differ.
        TypeError: with ``check_types`` (Keras 3's ``None`` counts as True), two containers differ in type.
    """
    found = _difference(nest1, nest2, check_types is None or bool(check_types))
    if found is not None:
        error, detail = found
        raise error(f"The two structures do not match.\n\nFirst structure: {_short(nest1)}\n\nSecond structure: "
                    f"{_short(nest2)}\n\nMore specifically: {detail}")


def _check_structures(structures: tuple[Any, ...], check_types: bool, caller: str) -> None:
    if not structures:
        raise ValueError(f"{caller} needs at least one structure after the function")
    for other in structures[1:]:
        assert_same_structure(structures[0], other, check_types)


# -- mapping -----------------------------------------------------------------------------------------------
def map_structure(func: Callable[..., Any], *structures: Any, check_types: bool = True,
                  expand_composites: bool = False, none_is_leaf: bool = True) -> Any:
    """``func`` applied to the leaves of ``structures`` (all of one structure), packed as the first one.

    ``func`` is called leaf by leaf in ``flatten`` order. With Keras 3's ``none_is_leaf=False``, a leaf that is
    None in the first structure stays None and ``func`` is not called on it.

    Example:
        >>> map_structure(lambda x: x * 2, {"b": 1, "a": (2, 3)})
        {'b': 2, 'a': (4, 6)}
    """
    if not callable(func):
        raise TypeError(f"map_structure: func must be callable, got {type(func).__name__}")
    if not none_is_leaf:
        inner = func
        func = lambda *xs: None if xs[0] is None else inner(*xs)  # noqa: E731
    if len(structures) == 1:
        x = structures[0]
        kind = _KINDS.get(type(x))
        if kind is None:
            kind = _kind(x)
        return _map_one(func, x, kind) if kind else func(x)
    _check_structures(structures, check_types, "map_structure")
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flats)])


def _map_one(func: Callable[[Any], Any], x: Any, kind: int) -> Any:
    kinds = _KINDS
    if kind == _MAPPING:
        by_key = {}
        for key in _sorted_keys(x):  # func is called in flatten order
            v = x[key]
            k = kinds.get(type(v))
            if k is None:
                k = _kind(v)
            by_key[key] = _map_one(func, v, k) if k else func(v)
        return _rebuild_mapping(x, by_key)
    children = []
    for v in x:
        k = kinds.get(type(v))
        if k is None:
            k = _kind(v)
        children.append(_map_one(func, v, k) if k else func(v))
    return _rebuild(x, kind, children)


def flatten_with_path(structure: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """``(path, leaf)`` pairs in ``flatten`` order; a path is the tuple of keys and indices leading to the leaf.

    Example:
        >>> flatten_with_path({"b": [7], "a": 8})
        [(('a',), 8), (('b', 0), 7)]
    """
    out: list[tuple[tuple[Any, ...], Any]] = []
    _paths(structure, (), out)
    return out


def _paths(x: Any, prefix: tuple[Any, ...], out: list[tuple[tuple[Any, ...], Any]]) -> None:
    kind = _kind(x)
    if not kind:
        out.append((prefix, x))
        return
    items = [(k, x[k]) for k in _sorted_keys(x)] if kind == _MAPPING else enumerate(x)
    for key, v in items:
        _paths(v, prefix + (key,), out)


def map_structure_with_path(func: Callable[..., Any], *structures: Any, check_types: bool = True) -> Any:
    """``func(path, *leaves)`` over ``structures`` (paths as in ``flatten_with_path``), packed as the first one."""
    _check_structures(structures, check_types, "map_structure_with_path")
    paths = [p for p, _ in flatten_with_path(structures[0])]
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(p, *leaves) for p, *leaves in zip(paths, *flats)])


def assert_same_paths(a: Any, b: Any) -> None:
    """Raise ValueError unless ``a`` and ``b`` have the same leaf paths (a list and a tuple may face each other)."""
    pa = [p for p, _ in flatten_with_path(a)]
    pb = [p for p, _ in flatten_with_path(b)]
    set_a, set_b = set(pa), set(pb)
    only_a = [p for p in pa if p not in set_b]
    only_b = [p for p in pb if p not in set_a]
    if only_a or only_b:
        raise ValueError(f"The two structures do not have the same paths.\n\nFirst structure: {_short(a)}\n\n"
                         f"Second structure: {_short(b)}\n\nPaths only in the first: {only_a}; only in the second: "
                         f"{only_b}")


def map_structure_up_to(shallow_structure: Any, func: Callable[..., Any], *structures: Any,
                        check_types: bool = True) -> Any:
    """``func`` applied to the substructures of ``structures`` found at the leaves of ``shallow_structure``.

    Example:
        >>> map_structure_up_to([None, None], len, [[1, 2], {"a": 3}])
        [2, 1]
    """
    if not structures:
        raise ValueError("map_structure_up_to needs at least one structure after the function")
    flats = []
    for s in structures:
        out: list[Any] = []
        _flatten_up_to(shallow_structure, s, check_types, out)
        flats.append(out)
    return pack_sequence_as(shallow_structure, [func(*parts) for parts in zip(*flats)])


def _flatten_up_to(shallow: Any, x: Any, check_types: bool, out: list[Any]) -> None:
    ks = _kind(shallow)
    if not ks:
        out.append(x)
        return
    kx = _kind(x)
    where = f"shallow structure {_short(shallow)}, input {_short(x)}"
    if not kx:
        raise TypeError(f"map_structure_up_to: the input has a leaf where the shallow structure has a "
                        f"{type(shallow).__name__} ({where})")
    if (ks == _MAPPING) != (kx == _MAPPING) or (check_types and not _same_container_type(shallow, x, ks, kx)):
        raise TypeError(f"map_structure_up_to: a {type(shallow).__name__} in the shallow structure faces a "
                        f"{type(x).__name__} in the input ({where})")
    if len(shallow) != len(x):
        raise ValueError(f"map_structure_up_to: a {type(shallow).__name__} of length {len(shallow)} faces one of "
                         f"length {len(x)} ({where})")
    if ks == _MAPPING:
        missing = [k for k in shallow if k not in x]
        if missing:
            raise ValueError(f"map_structure_up_to: the input lacks the key(s) {missing} ({where})")
        for k in _sorted_keys(shallow):
            _flatten_up_to(shallow[k], x[k], check_types, out)
        return
    for s, v in zip(shallow, x):
        _flatten_up_to(s, v, check_types, out)


# -- rewriting ---------------------------------------------------------------------------------------------
class _MapToNone:
    def __repr__(self) -> str:
        return "MAP_TO_NONE"


MAP_TO_NONE = _MapToNone()
"""Returned by a ``traverse`` function to put None in place of a substructure (None itself means "unchanged")."""


def traverse(func: Callable[[Any], Any], structure: Any, top_down: bool = True) -> Any:
    """Rewrite ``structure`` by calling ``func`` on every substructure and leaf.

    Top down, ``func`` sees a container before its contents; a result other than None replaces the container,
    whose contents are then not visited. Bottom up, ``func`` sees each container rebuilt from its traversed
    contents. A result of None keeps the visited value; ``MAP_TO_NONE`` puts None in its place.
    """
    return _traverse_down(func, structure) if top_down else _traverse_up(func, structure)


def _traverse_down(func: Callable[[Any], Any], x: Any) -> Any:
    result = func(x)
    if result is not None:
        return None if result is MAP_TO_NONE else result
    kind = _KINDS.get(type(x))
    if kind is None:
        kind = _kind(x)
    if not kind:
        return x
    if kind == _MAPPING:
        return _rebuild_mapping(x, {k: _traverse_down(func, x[k]) for k in _sorted_keys(x)})
    return _rebuild(x, kind, [_traverse_down(func, v) for v in x])


def _traverse_up(func: Callable[[Any], Any], x: Any) -> Any:
    kind = _kind(x)
    if kind == _MAPPING:
        x = _rebuild_mapping(x, {k: _traverse_up(func, x[k]) for k in _sorted_keys(x)})
    elif kind:
        x = _rebuild(x, kind, [_traverse_up(func, v) for v in x])
    result = func(x)
    if result is MAP_TO_NONE:
        return None
    return x if result is None else result


def lists_to_tuples(structure: Any) -> Any:
    """``structure`` with every list (at any depth) turned into a tuple.

    Example:
        >>> lists_to_tuples([1, {"a": [2]}])
        (1, {'a': (2,)})
    """
    kind = _kind(structure)
    if not kind:
        return structure
    out = _map_children(structure, kind, lists_to_tuples)
    return tuple(out) if isinstance(out, list) else out


def _is_shape(x: Any) -> bool:
    return isinstance(x, (list, tuple)) and all(d is None or isinstance(d, Integral) for d in x)


def map_shape_structure(func: Callable[[Any], Any], structure: Any) -> Any:
    """``map_structure`` over a structure of shapes: a list or tuple of ints and None (``TensorShape`` too) is one
    shape, passed whole to ``func``.

    Example:
        >>> map_shape_structure(len, {"x": (None, 3), "y": [(None, 2, 2), [4]]})
        {'x': 2, 'y': [3, 1]}
    """
    if _is_shape(structure):
        return func(structure)
    kind = _kind(structure)
    if not kind:
        return func(structure)
    return _map_children(structure, kind, lambda s: map_shape_structure(func, s))
