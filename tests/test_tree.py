"""tensorlet.tree: one rule for nested structures (tf.nest's), and its tf.nest / keras.tree faces."""
from __future__ import annotations

import collections
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet import tree

Point = collections.namedtuple("Point", "x y")
Triple = collections.namedtuple("Triple", "a b c")


# -- random nested structures ------------------------------------------------------------------------------
leaves = st.one_of(st.integers(-5, 5), st.none(), st.floats(allow_nan=False), st.text(max_size=3))
keys = st.text("abcdef", min_size=1, max_size=3)


def _containers(children):
    return st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.tuples(children, children).map(lambda t: Point(*t)),
        st.dictionaries(keys, children, max_size=3),
        st.dictionaries(keys, children, max_size=3).map(lambda d: collections.OrderedDict(reversed(d.items()))),
        st.dictionaries(keys, children, max_size=3).map(lambda d: collections.defaultdict(list, d)),
    )


structures = st.recursive(leaves, _containers, max_leaves=12)


def assert_identical(a, b):
    """Equal values, the same container types, and the same key order in every mapping."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        if isinstance(a, collections.defaultdict):
            assert a.default_factory is b.default_factory
        for k in a:
            assert_identical(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_identical(x, y)
    else:
        assert a == b or (a is None and b is None)


def reorder(s):
    """The same structure with every mapping's insertion order reversed."""
    if isinstance(s, collections.defaultdict):
        return collections.defaultdict(s.default_factory, [(k, reorder(s[k])) for k in reversed(list(s))])
    if isinstance(s, dict):
        return type(s)([(k, reorder(s[k])) for k in reversed(list(s))])
    if isinstance(s, Point):
        return Point(*[reorder(v) for v in s])
    if isinstance(s, (list, tuple)):
        return type(s)(reorder(v) for v in s)
    return s


# -- properties --------------------------------------------------------------------------------------------
@given(structures)
def test_pack_sequence_as_inverts_flatten_any_structure(s):
    assert_identical(tree.pack_sequence_as(s, tree.flatten(s)), s)


@given(structures)
def test_flatten_ignores_insertion_order_of_mappings(s):
    assert tree.flatten(reorder(s)) == tree.flatten(s)


@given(structures)
def test_map_structure_identity_keeps_structure_and_order(s):
    assert_identical(tree.map_structure(lambda v: v, s), s)
    assert_identical(tree.map_structure(lambda a, b: a, s, reorder(s)), s)


@given(structures)
def test_flatten_with_path_agrees_with_flatten(s):
    pairs = tree.flatten_with_path(s)
    assert [v for _, v in pairs] == tree.flatten(s)
    assert_identical(tree.map_structure_with_path(lambda p, v: v, s), s)


@given(structures)
def test_assert_same_structure_accepts_reordered_copy(s):
    tree.assert_same_structure(s, reorder(s))


# -- the rules ---------------------------------------------------------------------------------------------
def test_flatten_dict_sorted_and_pack_restores_insertion_order():
    d = {"b": 1, "a": 2, "c": 3}
    assert tree.flatten(d) == [2, 1, 3]
    packed = tree.pack_sequence_as(d, [10, 20, 30])
    assert list(packed.items()) == [("b", 20), ("a", 10), ("c", 30)]


def test_flatten_ordered_dict_sorted_as_tensorflow_does():
    od = collections.OrderedDict([("b", 1), ("a", 2)])
    assert tree.flatten(od) == [2, 1]
    packed = tree.pack_sequence_as(od, [10, 20])
    assert type(packed) is collections.OrderedDict and list(packed.items()) == [("b", 20), ("a", 10)]


def test_pack_defaultdict_keeps_default_factory():
    dd = collections.defaultdict(list, {"b": 1, "a": 2})
    packed = tree.pack_sequence_as(dd, [10, 20])
    assert type(packed) is collections.defaultdict and packed.default_factory is list
    assert dict(packed) == {"b": 20, "a": 10}


def test_namedtuple_flattened_by_field_and_rebuilt():
    p = Point(1, [2, 3])
    assert tree.flatten(p) == [1, 2, 3]
    assert tree.pack_sequence_as(p, [7, 8, 9]) == Point(7, [8, 9])
    assert type(tree.map_structure(lambda v: v * 2, p)) is Point


def test_leaves_none_strings_arrays_tensors_and_shapes():
    t, v = tf.constant([1.0, 2.0]), tf.Variable(3.0)
    arr = np.zeros(3)
    shape = tf.TensorShape([None, 3])
    assert tree.flatten(None) == [None]
    assert tree.flatten([None, (None,)]) == [None, None]
    assert tree.flatten("abc") == ["abc"] and tree.flatten(b"x") == [b"x"]
    flat = tree.flatten([t, {"v": v}, arr, shape])
    assert flat[0] is t and flat[1] is v and flat[2] is arr and flat[3] is shape
    assert not tree.is_nested(t) and not tree.is_nested(shape) and not tree.is_nested(None)
    assert tree.is_nested([]) and tree.is_nested(()) and tree.is_nested({}) and tree.is_nested({"a": 1}.values())


def test_empty_containers_have_no_leaves_and_come_back():
    s = [[], {}, (), {"a": []}]
    assert tree.flatten(s) == []
    assert_identical(tree.pack_sequence_as(s, []), s)


def test_flatten_mapping_views_and_pack_them_as_lists():
    d = {"b": 1, "a": 2}
    assert tree.flatten(d.values()) == [1, 2]
    assert tree.pack_sequence_as(d.values(), [5, 6]) == [5, 6]


def test_map_structure_several_structures():
    out = tree.map_structure(lambda a, b, c: a + b + c, {"x": [1, 2], "y": 3}, {"y": 30, "x": [10, 20]},
                             {"x": [100, 200], "y": 300})
    assert out == {"x": [111, 222], "y": 333}
    assert tree.map_structure(lambda a, b: (a, b), 1, 2) == (1, 2)


def test_map_structure_calls_func_in_flatten_order():
    seen = []
    tree.map_structure(seen.append, {"b": 1, "a": [2, 3]})
    assert seen == [2, 3, 1]


def test_map_structure_none_is_leaf_false_skips_none():
    assert tree.map_structure(lambda v: v + 1, [None, 1], none_is_leaf=False) == [None, 2]
    with pytest.raises(TypeError):
        tree.map_structure(lambda v: v + 1, [None, 1])


def test_map_shape_structure_passes_whole_shapes():
    seen = []
    out = tree.map_shape_structure(lambda s: seen.append(s) or len(s),
                                   {"x": (None, 3), "y": [tf.TensorShape([2, 2]), [4, np.int64(5)]]})
    assert out == {"x": 2, "y": [2, 2]}
    assert seen[0] == (None, 3)


def test_lists_to_tuples_converts_every_depth():
    assert tree.lists_to_tuples([1, {"a": [2, (3, [4])]}]) == (1, {"a": (2, (3, (4,)))})


def test_traverse_top_down_and_bottom_up():
    s = [1, (2, 3)]
    assert tree.traverse(lambda v: "T" if isinstance(v, tuple) else None, s) == [1, "T"]
    assert tree.traverse(lambda v: tree.MAP_TO_NONE if v == 2 else None, s) == [1, (None, 3)]
    seen = []
    assert tree.traverse(lambda v: seen.append(v), s, top_down=False) == s
    assert seen == [1, 2, 3, (2, 3), [1, (2, 3)]]
    assert tree.traverse(lambda v: v * 10 if isinstance(v, int) else None, s, top_down=False) == [10, (20, 30)]


def test_map_structure_up_to_hands_over_substructures():
    assert tree.map_structure_up_to([None, None], len, [[1, 2], {"a": 3}]) == [2, 1]
    out = tree.map_structure_up_to({"a": 0, "b": 0}, lambda x, y: (x, y), {"b": 3, "a": [1, 2]}, {"a": 5, "b": 6})
    assert out == {"a": ([1, 2], 5), "b": (3, 6)}


def test_flatten_with_path_uses_keys_and_indices():
    assert tree.flatten_with_path({"b": [7, Point(8, 9)], "a": None}) == [
        (("a",), None), (("b", 0), 7), (("b", 1, 0), 8), (("b", 1, 1), 9)]


# -- errors ------------------------------------------------------------------------------------------------
def test_assert_same_structure_errors_name_both_structures():
    with pytest.raises(ValueError, match=r"(?s)First structure: \[1, \[2\]\].*Second structure: \[1, 2\]"):
        tree.assert_same_structure([1, [2]], [1, 2])
    with pytest.raises(ValueError, match=r"(?s)\{'a': 1\}.*\{'b': 1\}.*different keys"):
        tree.assert_same_structure({"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match="length 1 faces a list of length 2"):
        tree.assert_same_structure([1], [1, 2])


def test_assert_same_structure_check_types():
    with pytest.raises(TypeError, match="list faces a tuple"):
        tree.assert_same_structure([1, 2], (1, 2))
    tree.assert_same_structure([1, 2], (1, 2), check_types=False)
    with pytest.raises(TypeError, match="Point faces a tuple"):
        tree.assert_same_structure(Point(1, 2), (1, 2))
    Other = collections.namedtuple("Other", "x y")
    with pytest.raises(TypeError):
        tree.assert_same_structure(Point(1, 2), Other(1, 2))
    SamePoint = collections.namedtuple("Point", "x y")
    tree.assert_same_structure(Point(1, 2), SamePoint(3, 4))
    # all mappings count as one type, as in tf.nest
    tree.assert_same_structure({"a": 1}, collections.OrderedDict(a=2))
    tree.assert_same_structure({"a": 1}, collections.defaultdict(list, a=2), check_types=None)


def test_map_structure_mismatch_and_no_structure():
    with pytest.raises(ValueError, match=r"(?s)First structure: \[1, 2\].*Second structure: \[1\]"):
        tree.map_structure(lambda a, b: a, [1, 2], [1])
    with pytest.raises(TypeError, match="list faces a tuple"):
        tree.map_structure(lambda a, b: a, [1, 2], (1, 2))
    assert tree.map_structure(lambda a, b: b, [1, 2], (3, 4), check_types=False) == [3, 4]
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure(lambda: 0)
    with pytest.raises(TypeError, match="func must be callable"):
        tree.map_structure([1], [1])


def test_pack_sequence_as_counts_and_types():
    with pytest.raises(ValueError, match="the structure has 2 leaves, but flat_sequence has 1 items"):
        tree.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError, match="has 3 items"):
        tree.pack_sequence_as([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="single leaf"):
        tree.pack_sequence_as(1, [1, 2])
    with pytest.raises(TypeError, match="flat_sequence must be a list or tuple"):
        tree.pack_sequence_as([1], 5)
    assert tree.pack_sequence_as(1, [5]) == 5 and tree.pack_sequence_as([1, 2], (5, 6)) == [5, 6]


def test_unsortable_keys_name_the_keys():
    with pytest.raises(TypeError, match=r"sortable.*\[1, 'a'\]"):
        tree.flatten({1: "x", "a": "y"})


def test_map_structure_up_to_errors():
    with pytest.raises(TypeError, match="leaf where the shallow structure has a list"):
        tree.map_structure_up_to([None, None], len, 3)
    with pytest.raises(ValueError, match="length 2 faces one of length 3"):
        tree.map_structure_up_to([None, None], len, [1, 2, 3])
    with pytest.raises(ValueError, match=r"lacks the key\(s\) \['b'\]"):
        tree.map_structure_up_to({"a": 0, "b": 0}, len, {"a": [], "c": []})


def test_assert_same_paths_lets_list_face_tuple():
    tree.assert_same_paths([1, (2, 3)], (4, [5, 6]))
    with pytest.raises(ValueError, match=r"only in the first: \[\('a',\)\]; only in the second: \[\('b',\)\]"):
        tree.assert_same_paths({"a": 1}, {"b": 1})


# -- public faces ------------------------------------------------------------------------------------------
def test_tf_nest_and_keras_tree_expose_the_module():
    assert tf.nest.flatten is tree.flatten and tf.nest.map_structure is tree.map_structure
    assert sorted(n for n in dir(tf.nest) if not n.startswith("_")) == [
        "assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]
    keras_tree = importlib.import_module("tensorlet.keras.tree")
    assert tf.keras.tree is keras_tree
    for name in ("MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path",
                 "is_nested", "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to",
                 "pack_sequence_as", "traverse"):
        assert getattr(keras_tree, name) is getattr(tree, name)


def test_import_tensorflow_nest_and_keras_tree_through_the_shim():
    from tensorlet.compat import importer

    with importer.activated():
        nest = importlib.import_module("tensorflow.nest")
        ktree = importlib.import_module("keras.tree")
        assert nest.flatten({"b": 1, "a": 2}) == [2, 1]
        assert ktree.lists_to_tuples([1]) == (1,)


# -- parity ------------------------------------------------------------------------------------------------
@pytest.mark.parity
def test_parity_with_tf_nest():
    tf_real = pytest.importorskip("tensorflow")  # imported before hypothesis runs: it raises the recursion limit

    @given(structures)
    def check(s):
        assert tree.flatten(s) == tf_real.nest.flatten(s)
        flat = list(range(len(tree.flatten(s))))
        assert_identical(tree.pack_sequence_as(s, flat), tf_real.nest.pack_sequence_as(s, flat))
        assert_identical(tree.map_structure(str, s), tf_real.nest.map_structure(str, s))

    check()


@pytest.mark.parity
def test_parity_errors_with_tf_nest():
    tf_real = pytest.importorskip("tensorflow")
    cases = [([1, 2], (1, 2), True), ([1, [2]], [1, 2], True), ({"a": 1}, {"b": 1}, True), ([1], [1, 2], True),
             (Point(1, 2), (1, 2), True), (Point(1, 2), (1, 2), False), ({"a": 1}, collections.OrderedDict(a=1), True),
             (1, [1], True), (None, 1, True), ({"a": 1}, [1], False)]
    for a, b, check in cases:
        try:
            tf_real.nest.assert_same_structure(a, b, check_types=check)
            theirs = None
        except (TypeError, ValueError) as e:
            theirs = type(e)
        try:
            tree.assert_same_structure(a, b, check_types=check)
            ours = None
        except (TypeError, ValueError) as e:
            ours = type(e)
        assert ours is theirs, (a, b, check)
