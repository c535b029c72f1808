"""``tf.strings``: ops on string tensors (``dtype=tf.string``, elements stored as ``bytes``).

Every op takes a string Tensor, a RaggedTensor of strings, or Python/NumPy strings (``str`` is encoded as UTF-8),
and keeps the ragged structure of its input. Ops that split a string give a RaggedTensor one rank up. Patterns
are RE2's (see :mod:`tensorlet.strings.regex`); hash buckets match TensorFlow's. String ops have no gradient.
"""
from tensorlet.strings.conversion import as_string, to_number
from tensorlet.strings.format import format
from tensorlet.strings.hashing import to_hash_bucket_fast, to_hash_bucket_strong
from tensorlet.strings.join import join, reduce_join
from tensorlet.strings.ngrams import ngrams
from tensorlet.strings.regex import regex_full_match, regex_replace
from tensorlet.strings.split import bytes_split, split
from tensorlet.strings.transform import length, lower, strip, substr, upper
from tensorlet.strings.unicode import (
           unicode_decode,
           unicode_decode_with_offsets,
           unicode_encode,
           unicode_split,
)

__all__ = ["as_string", "bytes_split", "format", "join", "length", "lower", "ngrams", "reduce_join",
           "regex_full_match", "regex_replace", "split", "strip", "substr", "to_hash_bucket_fast",
           "to_hash_bucket_strong", "to_number", "unicode_decode", "unicode_decode_with_offsets", "unicode_encode",
           "unicode_split", "upper"]
