"""``keras.tree`` (Keras 3): nested-structure utilities, from :mod:`tensorlet.tree`.

One difference from Keras 3, on purpose: an ``OrderedDict`` is flattened in sorted key order, as ``tf.nest`` does
and as every other mapping is, not in its insertion order.
"""
from tensorlet.tree import (
    MAP_TO_NONE,
    assert_same_paths,
    assert_same_structure,
    flatten,
    flatten_with_path,
    is_nested,
    lists_to_tuples,
    map_shape_structure,
    map_structure,
    map_structure_up_to,
    pack_sequence_as,
    traverse,
)
