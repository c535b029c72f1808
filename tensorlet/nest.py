"""``tf.nest``: TensorFlow's five nested-structure functions. The rules (sorted mapping keys, leaves, errors) and
the rest of the family (paths, ``traverse``, ``map_structure_up_to``) are in :mod:`tensorlet.tree`."""
from tensorlet.tree import assert_same_structure, flatten, is_nested, map_structure, pack_sequence_as

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]
