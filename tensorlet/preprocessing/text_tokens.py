"""TextVectorization's text steps on host strings: standardize, split and n-grams.

The built-in choices run on Python bytes directly (``lower`` changes ASCII letters only, as ``tf.strings.lower``;
punctuation is Keras' ``DEFAULT_STRIP_REGEX``; "whitespace" splits on runs of ASCII whitespace; "character" on
UTF-8 characters). A callable ``standardize`` receives and returns a string tensor, a callable ``split`` a string
tensor and returns a ragged (or dense) one, as in Keras, so ``tf.strings`` code runs unchanged.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np

from tensorlet.preprocessing.vocabulary import to_host

STRIP_PUNCTUATION = re.compile(rb'[!"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~\']')  # Keras' DEFAULT_STRIP_REGEX
STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")


def to_bytes_array(x: Any) -> np.ndarray:
    """Strings (a Tensor, array or nested lists of str/bytes) as an object array of bytes, same shape."""
    arr = to_host(x)
    arr = np.asarray(arr, dtype=object) if not isinstance(arr, np.ndarray) else arr
    flat = arr.reshape(-1).tolist()
    out = np.empty(len(flat), dtype=object)
    out[:] = [v.encode("utf-8") if isinstance(v, str) else v if isinstance(v, bytes) else
              (bytes(v) if isinstance(v, (bytearray, np.bytes_)) else str(v).encode("utf-8")) for v in flat]
    return out.reshape(arr.shape)


PUNCTUATION = bytes(sorted(set(b'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\'')))  # the bytes STRIP_PUNCTUATION matches
LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))  # A-Z to a-z: bytes.lower's table
SEPARATOR = b"\x00"  # joins a batch for one pass over all of it, where no text contains it


def standardize(texts: list[bytes], mode: Any) -> list[bytes]:
    """The built-in standardizations. One ``bytes.translate`` over the joined batch lowers ASCII letters and
    deletes punctuation (the same bytes as ``STRIP_PUNCTUATION``: no UTF-8 multi-byte character contains an ASCII
    byte), instead of a ``lower`` and a regex substitution per string."""
    if mode is None or not texts:
        return texts
    table = LOWER if mode in ("lower", "lower_and_strip_punctuation") else None
    delete = PUNCTUATION if mode in ("strip_punctuation", "lower_and_strip_punctuation") else b""
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1:  # a text holds the separator: string by string
        return [t.translate(table, delete) for t in texts]
    return joined.translate(table, delete).split(SEPARATOR)


def flat_tokens(inputs: Any, standardize_mode: Any) -> list[bytes]:
    """All whitespace-split tokens of a batch of strings in one list (what counting a vocabulary needs): the
    batch is standardized and split as one joined string, two C calls in all."""
    arr = to_bytes_array(inputs)
    if arr.ndim > 1:
        if arr.shape[-1] != 1:
            raise ValueError("When using `TextVectorization` to tokenize strings, the input rank must be 1 or the "
                             f"last shape dimension must be 1. Received: inputs.shape={arr.shape} with "
                             f"rank={arr.ndim}")
        arr = arr[..., 0]
    texts = standardize(arr.reshape(-1).tolist(), standardize_mode)
    return b" ".join(texts).split()


def split(texts: list[bytes], mode: Any, limit: int | None = None) -> list[list[bytes]]:
    """Each text's tokens; with ``limit``, at least its first ``limit`` tokens (whitespace: the rest of a longer
    text is left unsplit, in one last item)."""
    if mode == "whitespace":
        return [t.split() for t in texts] if limit is None else [t.split(None, limit) for t in texts]
    if mode == "character":
        return [[c.encode("utf-8", "surrogateescape") for c in t.decode("utf-8", "replace")] for t in texts]
    raise ValueError(f"TextVectorization: unknown split {mode!r}")


def ngrams(rows: list[list[bytes]], widths: tuple[int, ...]) -> list[list[bytes]]:
    """Each row's n-grams of every width, one width after another, joined by a space (``tf.strings.ngrams``)."""
    out = []
    for row in rows:
        grams: list[bytes] = []
        for n in widths:
            grams.extend(b" ".join(row[i:i + n]) for i in range(len(row) - n + 1))
        out.append(grams)
    return out


def tokenize(inputs: Any, standardize_mode: Any, split_mode: Any, widths: tuple[int, ...] | None,
             limit: int | None = None) -> Any:
    """The tokens of a batch of strings: a list of token lists (one per string) when splitting, else an object
    array of the standardized strings (the input's shape). ``limit``: only the first ``limit`` tokens of each row
    are used (a row may hold one more item, unsplit, which the caller drops)."""
    if callable(standardize_mode) or callable(split_mode):
        return _tokenize_with_callables(inputs, standardize_mode, split_mode, widths)
    arr = to_bytes_array(inputs)
    if split_mode is not None and arr.ndim > 1:
        if arr.shape[-1] != 1:
            raise ValueError("When using `TextVectorization` to tokenize strings, the input rank must be 1 or the "
                             f"last shape dimension must be 1. Received: inputs.shape={arr.shape} with "
                             f"rank={arr.ndim}")
        arr = arr[..., 0]
    texts = standardize(arr.reshape(-1).tolist(), standardize_mode)
    if split_mode is None:
        rows: Any = texts
        if widths is not None:
            return ngrams([[t] for t in texts], widths)
        out = np.empty(len(texts), dtype=object)
        out[:] = rows
        return out.reshape(arr.shape)
    if widths is not None:
        return ngrams(split(texts, split_mode), widths)
    return split(texts, split_mode, limit)


def _tokenize_with_callables(inputs: Any, standardize_mode: Any, split_mode: Any,
                             widths: tuple[int, ...] | None) -> Any:
    from tensorlet.autodiff.tensor import _wrap
    from tensorlet.strings import split as strings_split

    x: Any = _wrap(to_bytes_array(inputs))
    if standardize_mode is not None:
        if callable(standardize_mode):
            x = standardize_mode(x)
        else:
            x = _wrap(_array_like(standardize(to_bytes_array(x).reshape(-1).tolist(), standardize_mode),
                                  to_bytes_array(x).shape))
    if split_mode is None:
        whole = to_bytes_array(x)
        return ngrams([[t] for t in whole.reshape(-1).tolist()], widths) if widths is not None else whole
    arr = to_bytes_array(x) if not callable(split_mode) else None
    if arr is not None and arr.ndim > 1:
        if arr.shape[-1] != 1:
            raise ValueError("When using `TextVectorization` to tokenize strings, the input rank must be 1 or the "
                             f"last shape dimension must be 1. Received: inputs.shape={arr.shape}")
        x = _wrap(arr[..., 0])
    if callable(split_mode):
        tokens = split_mode(x)
    elif split_mode == "whitespace":
        tokens = strings_split(x)
    else:
        from tensorlet.strings import unicode_split

        tokens = unicode_split(x, "UTF-8")
    rows = _rows(to_host(tokens))
    return ngrams(rows, widths) if widths is not None else rows


def _rows(value: Any) -> list[list[bytes]]:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    rows = []
    for row in value:
        row = row.tolist() if isinstance(row, np.ndarray) else list(row) if isinstance(row, (list, tuple)) else [row]
        rows.append([v.encode("utf-8") if isinstance(v, str) else v for v in row])
    return rows


def _array_like(items: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def check_choice(value: Any, allowed: tuple[str, ...], arg: str) -> Callable[..., Any] | str | None:
    if value is None or callable(value) or value in allowed:
        return value
    raise ValueError(f"TextVectorization: `{arg}` must be None, a callable or one of {list(allowed)}. Received: "
                     f"{arg}={value!r}")
