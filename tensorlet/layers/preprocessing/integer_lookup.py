"""IntegerLookup: integer values to contiguous indices (or back), over a fixed or adapted vocabulary."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Map integer values (ids, categories) to indices ``[mask], OOV index(es), then the vocabulary``.

    Args:
        max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, idf_weights, invert, output_mode,
        pad_to_max_tokens, sparse: as in ``IndexLookup``; defaults: one OOV index whose token is -1, no mask
        token. Several OOV indices take ``value % num_oov_indices``.

    Example:
        >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer([[12, 1138, 42], [42, 1000, 36]]).numpy().tolist()
        [[1, 3, 4], [4, 0, 2]]
    """

    _strings = False

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1, mask_token: Any = None,
                 oov_token: int = -1, vocabulary: Any = None, vocabulary_dtype: str = "int64",
                 idf_weights: Any = None, invert: bool = False, output_mode: str = "int", sparse: bool = False,
                 pad_to_max_tokens: bool = False, oov_method: str = "floormod", salt: Any = None,
                 **kwargs: Any) -> None:
        if vocabulary_dtype not in ("int32", "int64"):
            raise ValueError(f"IntegerLookup: `vocabulary_dtype` must be 'int32' or 'int64'. Received: "
                             f"vocabulary_dtype={vocabulary_dtype!r}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary_dtype=vocabulary_dtype, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, **kwargs)
