"""Vocabulary: the token <-> index table behind StringLookup, IntegerLookup and TextVectorization (host data).

Indices follow Keras' layout: the mask token first (index 0, in "int" output only), then ``num_oov_indices`` OOV
indices, then the tokens. ``adapt`` counts tokens (and, for TF-IDF, the documents each appears in); ``finalize``
keeps the most frequent ones, ties broken by the token itself, higher first (Keras' ``lexsort`` rule), at most
``max_tokens`` indices in all. Inverse document frequency: ``log(1 + documents / (1 + documents with the token))``,
the OOV indices taking the mean weight.
"""
from __future__ import annotations

import collections
import itertools
import math
import operator
from typing import Any, Iterable

import numpy as np

from tensorlet.strings.farmhash import fingerprint64
from tensorlet.strings.siphash import siphash24


def to_host(x: Any) -> Any:
    """A value (Tensor, RaggedTensor, array, list) as NumPy data; RaggedTensors as lists of rows."""
    from tensorlet.autodiff.tensor import Tensor
    from tensorlet.ragged.ragged_tensor import RaggedTensor

    if isinstance(x, RaggedTensor):
        return x.to_list()
    if isinstance(x, Tensor):
        from tensorlet.preprocessing.host import to_host as host_array

        return host_array(x._value)
    return x


def as_key(v: Any, strings: bool) -> Any:
    """A table key: bytes for string vocabularies (``str`` encoded as UTF-8), int otherwise."""
    if strings:
        return v.encode("utf-8") if isinstance(v, str) else bytes(v)
    return int(v)


def flat_values(x: Any) -> list[Any]:
    """Every token of a (nested) batch, in order."""
    x = to_host(x)
    if isinstance(x, np.ndarray):
        return x.reshape(-1).tolist()
    if isinstance(x, (list, tuple)):
        return [t for v in x for t in flat_values(v)]
    return [x]


def rows_of(x: Any) -> list[list[Any]]:
    """The documents of a batch, each a flat list of tokens (a 0-D or 1-D batch is one document)."""
    x = to_host(x)
    if isinstance(x, np.ndarray):
        if x.ndim <= 1:
            return [x.reshape(-1).tolist()]
        return [row.reshape(-1).tolist() for row in x]
    if isinstance(x, (list, tuple)):
        if not x or not isinstance(x[0], (list, tuple, np.ndarray)):
            return [list(x)]
        nested = (list, tuple, np.ndarray)
        # rows of tokens (what TextVectorization's tokenizer gives) are used as they are
        return [row if isinstance(row, list) and not (row and isinstance(row[0], nested)) else flat_values(row)
                for row in x]
    return [[x]]


class Vocabulary:
    """An index table of string (bytes) or integer tokens with Keras' special indices.

    Args:
        strings: string tokens (else integers).
        mask_token, oov_token, num_oov_indices, max_tokens: as in ``StringLookup``.
        mask_index: whether index 0 is reserved for the mask token (the "int" output mode).
        oov_method, salt: how several OOV indices are chosen: "floormod" (integers) or Farmhash Fingerprint64,
            SipHash with ``salt``.
    """

    def __init__(self, strings: bool, mask_token: Any, oov_token: Any, num_oov_indices: int, max_tokens: int | None,
                 mask_index: bool, oov_method: str = "floormod", salt: Any = None) -> None:
        self.strings = strings
        self.mask_token = None if mask_token is None else as_key(mask_token, strings)
        self.oov_token = None if oov_token is None else as_key(oov_token, strings)
        self.num_oov_indices = int(num_oov_indices)
        self.max_tokens = max_tokens
        self.oov_start = 1 if mask_token is not None and mask_index else 0
        self.token_start = self.oov_start + self.num_oov_indices
        self.oov_method, self.salt = oov_method, salt
        self.tokens: list[Any] = []
        self.index: dict[Any, int] = {}
        self.reset_counts()

    # -- the table -------------------------------------------------------------------------------------------
    def size(self) -> int:
        return self.token_start + len(self.tokens)

    def set_tokens(self, vocabulary: Iterable[Any]) -> bool:
        """Use ``vocabulary`` (special tokens at its head are recognised and skipped); returns whether they were
        there. Raises ValueError on repeated or misplaced special tokens, or more than ``max_tokens``."""
        vocab = [as_key(v, self.strings) for v in vocabulary]
        if not vocab:
            raise ValueError("Cannot set an empty vocabulary.")
        special = [self.mask_token] * self.oov_start + [self.oov_token] * self.num_oov_indices
        found = vocab[:self.token_start] == special
        tokens = vocab[self.token_start:] if found else vocab
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(f"The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                             f"The repeated terms are: {[_show(t) for t in repeated]}")
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(f"Found the reserved mask token {_show(self.mask_token)} at an unexpected location in "
                             "`vocabulary`: the vocabulary need not include the mask and OOV tokens; if it does, "
                             f"only at its start, in this order: {[_show(t) for t in special]}")
        if self.max_tokens is not None and self.token_start + len(tokens) > self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary "
                             f"size is {self.token_start + len(tokens)}; `max_tokens` is {self.max_tokens}.")
        self.tokens = tokens
        self.index = {t: self.token_start + i for i, t in enumerate(tokens)}
        return found

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        special = [self.mask_token] * self.oov_start + [self.oov_token] * self.num_oov_indices
        vocab = (special if include_special_tokens else []) + list(self.tokens)
        if self.strings:
            return [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in vocab]
        return [int(v) if v is not None else v for v in vocab]

    # -- lookups ---------------------------------------------------------------------------------------------
    def lookup(self, values: Any, mask_value: int, encoded: bool = False) -> np.ndarray:
        """Indices of ``values`` (an array or nested lists, keeping its shape); the mask token gives
        ``mask_value``, an unknown token an OOV index. ``encoded``: string tokens are bytes already (then a list
        is taken as a flat list of tokens)."""
        if isinstance(values, list) and encoded:  # a flat list of bytes tokens (TextVectorization's)
            arr, flat = None, values
        else:
            arr = values if isinstance(values, np.ndarray) else np.asarray(values,
                                                                           dtype=object if self.strings else None)
            flat = arr.reshape(-1).tolist()
        if self.strings and not encoded:
            flat = [v.encode("utf-8") if isinstance(v, str) else v for v in flat]
        out = np.fromiter(map(self.index.get, flat, itertools.repeat(-1)), dtype=np.int64, count=len(flat))
        missing = np.flatnonzero(out < 0)
        if missing.size:  # the mask token, or out of the vocabulary
            mask, oov = self.mask_token, self._oov_index
            out[missing] = [mask_value if (mask is not None and flat[i] == mask) else oov(flat[i])
                            for i in missing.tolist()]
        return out if arr is None else out.reshape(arr.shape)

    def _oov_index(self, v: Any) -> int:
        if self.num_oov_indices == 0:
            raise ValueError(f"When `num_oov_indices=0` all inputs should be in vocabulary, found OOV value "
                             f"{_show(v)}; consider setting `num_oov_indices=1`.")
        if self.num_oov_indices == 1:
            return self.oov_start
        if not self.strings and self.oov_method != "farmhash":
            return self.oov_start + int(v) % self.num_oov_indices
        key = v if self.strings else str(int(v)).encode()
        h = siphash24(int(self.salt[0]), int(self.salt[1]), key) if self.salt is not None else fingerprint64(key)
        return self.oov_start + h % self.num_oov_indices

    def invert(self, indices: Any) -> np.ndarray:
        """Tokens of ``indices`` (the mask token at 0 in "int" mode, the OOV token for unknown indices)."""
        arr = np.asarray(indices)
        table = {self.token_start + i: t for i, t in enumerate(self.tokens)}
        if self.oov_start == 1:
            table[0] = self.mask_token
        out = [table.get(int(i), self.oov_token) for i in arr.reshape(-1).tolist()]
        result = np.empty(len(out), dtype=object if self.strings else np.int64)
        result[:] = out
        return result.reshape(arr.shape)

    # -- adapt -----------------------------------------------------------------------------------------------
    def reset_counts(self) -> None:
        self.counts: collections.Counter[Any] = collections.Counter()
        self.doc_counts: collections.Counter[Any] = collections.Counter()
        self.num_documents = 0

    def update(self, batch: Any, documents: bool, encoded: bool = False) -> None:
        """Count the tokens of a batch; with ``documents``, also in how many rows (documents) each appears.
        ``encoded``: the batch is rows of bytes tokens already (as TextVectorization's tokenizer gives them)."""
        rows = batch if encoded else rows_of(batch)
        strings = self.strings
        if encoded and not documents:  # one C-level count over all rows
            self.counts.update(itertools.chain.from_iterable(rows))
            return
        for row in rows:
            if strings:
                keys = row if encoded else [as_key(v, True) for v in row]
            else:
                keys = [int(v) for v in row]
            self.counts.update(keys)
            if documents:
                self.doc_counts.update(set(keys))
        if documents:
            self.num_documents += len(rows)

    def finalize(self, tf_idf: bool, pad_to: int | None) -> np.ndarray | None:
        """The learned vocabulary from the counts; returns the IDF weights for TF-IDF (else None)."""
        counts = self.counts
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        # count high to low, ties by token high to low: by token, then stably by count (two C-level sorts; the
        # tokens are distinct, so the first never compares counts)
        ranked = sorted(counts.items(), reverse=True)
        ranked.sort(key=operator.itemgetter(1), reverse=True)
        if self.max_tokens:
            ranked = ranked[:max(self.max_tokens - self.token_start, 0)]
        self.tokens = [t for t, _ in ranked]
        self.index = {t: self.token_start + i for i, t in enumerate(self.tokens)}
        weights = None
        if tf_idf:
            n = self.num_documents
            idf = [math.log(1.0 + n / (1.0 + self.doc_counts[t])) for t in self.tokens]
            weights = idf_with_special(np.asarray(idf, dtype=np.float32), self.token_start, pad_to)
        self.reset_counts()
        return weights


def idf_with_special(idf: np.ndarray, token_start: int, pad_to: int | None) -> np.ndarray:
    """IDF weights of the tokens with the special indices in front (their mean weight) and, for
    ``pad_to_max_tokens``, zeros after."""
    mean = float(np.mean(idf)) if idf.size else 0.0
    out = np.concatenate([np.full(token_start, mean, dtype=np.float32), idf.astype(np.float32)])
    if pad_to is not None and pad_to > out.size:
        out = np.concatenate([out, np.zeros(pad_to - out.size, dtype=np.float32)])
    return out


def read_vocabulary_file(path: str, strings: bool) -> list[Any]:
    """One token per line (trailing empty lines dropped), as Keras reads vocabulary files."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    return lines if strings else [int(v) for v in lines]


def _show(v: Any) -> Any:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else v
