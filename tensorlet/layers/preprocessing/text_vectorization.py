"""TextVectorization: raw strings to token indices or bag-of-words vectors, with an adaptable vocabulary."""
from __future__ import annotations

import itertools
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import Layer
from tensorlet.layers.preprocessing.host_op import HostOp
from tensorlet.layers.preprocessing.index_lookup import INT64_MAX, _batches
from tensorlet.layers.preprocessing.string_lookup import StringLookup
from tensorlet.preprocessing import categorical, host, text_tokens


class TextVectorization(Layer):
    """Standardize, split, (n-gram) and index strings; output token indices or per-sample encodings.

    Each string is standardized (``standardize``: "lower_and_strip_punctuation", "lower", "strip_punctuation", None
    or a callable on a string tensor), split into tokens (``split``: "whitespace", "character", None or a callable),
    optionally turned into n-grams (``ngrams``: an int n for 1..n-grams, or a tuple of widths), and looked up in
    the vocabulary (``adapt`` learns it: the most frequent tokens first, ties by token, higher first; index 0 is
    padding and 1 the OOV token "[UNK]" in "int" mode, index 0 the OOV token otherwise).

    Args:
        max_tokens: the largest vocabulary size, padding and OOV included.
        output_mode: "int" (a sequence of indices per string), "multi_hot", "count", "tf_idf" or "one_hot".
        output_sequence_length: in "int" mode, pad with 0 or truncate every sequence to this length (else the
            sequences are padded to the longest in the batch, or returned as a RaggedTensor with ``ragged=True``).
        pad_to_max_tokens: encoded outputs have ``max_tokens`` columns.
        vocabulary: a list of tokens or a file path, instead of ``adapt``; ``idf_weights`` for "tf_idf".

    Example:
        >>> layer = TextVectorization(max_tokens=10, output_sequence_length=4)
        >>> layer.adapt(["the cat sat", "the dog"])
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
        >>> layer(["the cat ate"]).numpy().tolist()
        [[2, 5, 1, 0]]
    """

    _reads_strings = True  # fit may feed it texts (see training.argument_checks)

    def __init__(self, max_tokens: int | None = None, standardize: Any = "lower_and_strip_punctuation",
                 split: Any = "whitespace", ngrams: Any = None, output_mode: str = "int",
                 output_sequence_length: int | None = None, pad_to_max_tokens: bool = False, vocabulary: Any = None,
                 idf_weights: Any = None, sparse: bool = False, ragged: bool = False, encoding: str = "utf-8",
                 **kwargs: Any) -> None:
        vocabulary_size = kwargs.pop("vocabulary_size", None)  # a saved layer's, before its vocabulary loads
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        if isinstance(kwargs.get("dtype"), str) and kwargs["dtype"] in ("string", "object"):
            kwargs.pop("dtype")
        super().__init__(**kwargs)
        self.standardize = text_tokens.check_choice(standardize, text_tokens.STANDARDIZE, "standardize")
        self.split = text_tokens.check_choice(split, text_tokens.SPLIT, "split")
        output_mode = categorical.check_mode(output_mode, "TextVectorization")
        if not (ngrams is None or isinstance(ngrams, int) or (isinstance(ngrams, (tuple, list)) and
                                                             all(isinstance(n, int) for n in ngrams))):
            raise ValueError(f"TextVectorization: `ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams!r}")
        if output_mode == "int" and not (output_sequence_length is None or isinstance(output_sequence_length, int)):
            raise ValueError("TextVectorization: `output_sequence_length` must be None or an integer in 'int' mode. "
                             f"Received: output_sequence_length={output_sequence_length!r}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("TextVectorization: `output_sequence_length` must not be set if `output_mode` is not "
                             f"'int'. Received: output_sequence_length={output_sequence_length}")
        if ragged and output_mode != "int":
            raise ValueError(f"TextVectorization: `ragged=True` needs output_mode='int'. Received: "
                             f"output_mode={output_mode!r}")
        self.ngrams = tuple(ngrams) if isinstance(ngrams, list) else ngrams
        self._widths: tuple[int, ...] | None = (tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else
                                                None if ngrams is None else tuple(ngrams))
        self.output_mode, self.output_sequence_length = output_mode, output_sequence_length
        self.ragged, self.sparse, self.encoding = bool(ragged), bool(sparse), encoding
        self._lookup_layer = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, mask_token="",
                                          output_mode=output_mode, sparse=sparse,
                                          has_input_vocabulary=has_input_vocabulary, name="string_lookup",
                                          vocabulary_size=vocabulary_size)

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # Keras 3 files: a group for the lookup layer
        return [("_lookup_layer", self._lookup_layer)]

    # -- vocabulary ------------------------------------------------------------------------------------------
    @property
    def max_tokens(self) -> int | None:
        return self._lookup_layer.max_tokens

    @property
    def pad_to_max_tokens(self) -> bool:
        return self._lookup_layer.pad_to_max_tokens

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[str]:
        """The tokens in index order (with "" and "[UNK]" first in "int" mode, unless asked otherwise)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary (and, for "tf_idf", the document frequencies) from ``data``: strings as an array,
        list or tensor, or any iterable of batches of strings (a generator, a tf.data Dataset)."""
        self.reset_state()
        for batch in _batches(data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if (self.split == "whitespace" and self._widths is None and self.output_mode != "tf_idf"
                and not callable(self.standardize)):  # counts need no row boundaries: one flat list of tokens
            tokens: Any = [text_tokens.flat_tokens(data, self.standardize)]
        else:
            tokens = self._tokens(data)
        if isinstance(tokens, list):  # rows of bytes tokens: counted as they are
            lookup = self._lookup_layer
            if lookup._has_input_vocabulary:
                raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via the "
                                 "`vocabulary` argument or `set_vocabulary()`.")
            lookup._vocab.update(tokens, documents=self.output_mode == "tf_idf", encoded=True)
        else:
            self._lookup_layer.update_state(tokens)

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    # -- calling ---------------------------------------------------------------------------------------------
    def _tokens(self, data: Any) -> Any:
        return text_tokens.tokenize(data, self.standardize, self.split, self._widths)

    def _vectorize(self, strings: Any) -> Any:
        """Host computation: the batch's strings to the layer's output array."""
        width = self.output_sequence_length if self.output_mode == "int" else None
        if callable(self.standardize) or callable(self.split):
            tokens = self._tokens(strings)
        else:  # tokens past the output length are never split off
            tokens = text_tokens.tokenize(strings, self.standardize, self.split, self._widths, limit=width)
        lookup = self._lookup_layer
        if not isinstance(tokens, list):  # no split: one token per string
            return lookup._lookup(tokens)
        if getattr(strings, "ndim", 1) == 0:  # one string: one sequence, or one encoded vector
            return self._vectorize(strings.reshape(1))[0]
        xp = host.xp()  # a host computation (run by a HostOp)
        if width is not None:
            tokens = [r[:width] for r in tokens]
        lengths = xp.fromiter(map(len, tokens), dtype="int64", count=len(tokens))
        flat = list(itertools.chain.from_iterable(tokens))
        if self.output_mode == "int":
            ids = lookup._vocab.lookup(flat, 0, encoded=True)
            out = xp.zeros((len(tokens), width if width is not None else int(lengths.max(initial=0))), dtype="int64")
            out[xp.arange(out.shape[1])[None, :] < lengths[:, None]] = ids
            return out
        # the encoded modes: each row's tokens counted; the padding of a short row is dropped (the mask index)
        ids = lookup._vocab.lookup(flat, INT64_MAX, encoded=True)
        padded = xp.full((len(tokens), int(lengths.max(initial=0))), INT64_MAX, dtype="int64")
        padded[xp.arange(padded.shape[1])[None, :] < lengths[:, None]] = ids
        return categorical.encode(padded, self.output_mode, lookup._depth(), weights=lookup._idf)

    def call(self, inputs: Any) -> Any:
        if self.ragged and self.output_mode == "int":
            from tensorlet.ragged.ragged_tensor import RaggedTensor

            tokens = self._tokens(inputs)
            rows = tokens if isinstance(tokens, list) else [[t] for t in tokens.reshape(-1).tolist()]
            if self.output_sequence_length is not None:
                rows = [r[:self.output_sequence_length] for r in rows]
            ids = [self._lookup_layer._lookup(_object_array(r)).tolist() if r else [] for r in rows]
            return RaggedTensor.from_row_lengths(_wrap(backend.xp().asarray(
                [i for r in ids for i in r], dtype="int64")), [len(r) for r in ids])
        x = inputs if isinstance(inputs, Tensor) else _wrap(text_tokens.to_bytes_array(inputs))
        follows_data = self.output_mode == "int" and self.output_sequence_length is None and (
            self.split is not None or self.ngrams is not None)  # each batch padded to its longest text
        return HostOp(self._vectorize, "TextVectorization", shape_follows_data=follows_data)(x)

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return (shape[0], self.output_sequence_length) if self.split is not None or self.ngrams else shape
        depth = self._lookup_layer._depth()
        return (shape[0], depth) if self.split is not None or len(shape) <= 1 else shape[:-1] + (depth,)

    def _output_dtype(self, inputs: Any) -> str:
        return "int64" if self.output_mode == "int" else "float32"

    # -- saving ----------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object

        config = super().get_config()
        lookup = self._lookup_layer
        config.update({
            "max_tokens": lookup.max_tokens,
            "standardize": self.standardize if not callable(self.standardize) else
            serialize_keras_object(self.standardize),
            "split": self.split if not callable(self.split) else serialize_keras_object(self.split),
            "ngrams": list(self.ngrams) if isinstance(self.ngrams, tuple) else self.ngrams,
            "output_mode": self.output_mode, "output_sequence_length": self.output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": self.sparse, "ragged": self.ragged,
            "vocabulary": lookup.input_vocabulary, "idf_weights": lookup.input_idf_weights,
            "encoding": self.encoding, "vocabulary_size": self.vocabulary_size()})
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> TextVectorization:
        from tensorlet.saving.serialization import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            value = config.get(key)
            if value is not None and not (isinstance(value, str) and value in text_tokens.STANDARDIZE +
                                          text_tokens.SPLIT):
                config[key] = deserialize_keras_object(value, custom_objects=custom_objects, family="activations")
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def get_build_config(self) -> dict[str, Any] | None:
        return {"input_shape": list(self._build_input_shape)} if self._build_input_shape is not None else None

    def save_own_variables(self, store: Any) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store: Any) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)


def _object_array(items: list[Any]) -> Any:
    out = backend.xp().empty(len(items), dtype=object)
    out[:] = items
    return out


