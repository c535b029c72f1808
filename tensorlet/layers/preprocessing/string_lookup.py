"""StringLookup: strings to integer indices (or back), over a fixed or adapted vocabulary."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Map strings to indices: ``[mask], OOV index(es), then the vocabulary`` (Keras' layout).

    Args:
        max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, idf_weights, invert, output_mode,
        pad_to_max_tokens, sparse, oov_method, salt: as in ``IndexLookup``; defaults: one OOV index "[UNK]", no
        mask token.
        encoding: the text encoding of ``str`` inputs ("utf-8").

    Example:
        >>> layer = StringLookup(vocabulary=["a", "b", "c"])
        >>> layer([["a", "c", "d"]]).numpy().tolist()
        [[1, 3, 0]]
        >>> layer.get_vocabulary()
        ['[UNK]', 'a', 'b', 'c']
    """

    _strings = True
    _reads_strings = True  # fit may feed it texts (see training.argument_checks)

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1, mask_token: Any = None,
                 oov_token: str = "[UNK]", vocabulary: Any = None, idf_weights: Any = None, invert: bool = False,
                 output_mode: str = "int", pad_to_max_tokens: bool = False, sparse: bool = False,
                 encoding: str = "utf-8", oov_method: str = "floormod", salt: Any = None,
                 **kwargs: Any) -> None:
        kwargs.pop("vocabulary_dtype", None)
        oov_method = "farmhash" if salt is not None or oov_method == "farmhash" else oov_method
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary_dtype="string", vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, **kwargs)
        self.encoding = encoding

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["encoding"] = self.encoding
        config.pop("vocabulary_dtype", None)
        return config
