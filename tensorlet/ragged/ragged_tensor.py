"""RaggedTensor: rows of different lengths, stored as TensorFlow stores them (flat values plus row splits).

A RaggedTensor of ragged rank 1 is ``values`` (a Tensor whose first axis runs over all rows' items) and
``row_splits`` (int64, ``nrows + 1`` entries, row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``). Higher
ragged ranks nest: ``values`` is itself a RaggedTensor, and ``flat_values`` is the Tensor at the bottom. This is
the layout ``tf.strings.split``, ``ngrams`` and ``unicode_decode`` return, and the one TextVectorization builds on.

Ragged tensors carry no gradients here: they hold text and token ids (string ops are not differentiable).
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.tensor import Tensor, TensorShape, _wrap, constant
from tensorlet.errors import InvalidArgumentError


def _host(x: Any) -> np.ndarray:
    return np.asarray(x._value if isinstance(x, Tensor) else x)


def _as_values(values: Any) -> Tensor | RaggedTensor:
    if isinstance(values, (Tensor, RaggedTensor)):
        return values
    return constant(values)


def _as_index(x: Any, what: str) -> np.ndarray:
    arr = _host(x)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind == "f"):
        raise TypeError(f"RaggedTensor: {what} must be integers, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"RaggedTensor: {what} must be a vector, got shape {arr.shape}")
    return arr.astype(np.int64)


def _nvals(values: Tensor | RaggedTensor) -> int:
    return values.nrows_int() if isinstance(values, RaggedTensor) else int(values._value.shape[0])


class RaggedTensor:
    """A tensor whose rows may have different lengths.

    Build one with ``tf.ragged.constant`` or a ``from_*`` factory; the constructor itself is private, as in TF.

    Example:
        >>> import tensorlet as tf
        >>> rt = tf.RaggedTensor.from_row_lengths([1, 2, 3, 4], row_lengths=[2, 0, 2])
        >>> rt
        <tf.RaggedTensor [[1, 2], [], [3, 4]]>
        >>> rt.to_tensor(default_value=-1).numpy().tolist()
        [[1, 2], [-1, -1], [3, 4]]
    """

    __slots__ = ("_values", "_splits", "_splits_dtype", "_uniform")

    def __init__(self, values: Any = None, row_partition: Any = None, internal: bool = False) -> None:
        if not internal:
            raise ValueError("RaggedTensor constructor is private; please use one of the factory methods "
                             "instead (e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._splits = row_partition
        self._splits_dtype = _dtypes.int64
        self._uniform: int | None = None  # every row has this length (from_tensor, from_uniform_row_length)

    @classmethod
    def _make(cls, values: Tensor | RaggedTensor, splits: np.ndarray, splits_dtype: Any = None,
              uniform: int | None = None) -> RaggedTensor:
        rt = cls(values, np.asarray(splits, dtype=np.int64), internal=True)
        rt._uniform = uniform
        if splits_dtype is not None:
            rt._splits_dtype = _dtypes.as_dtype(splits_dtype)
        elif isinstance(values, RaggedTensor):
            rt._splits_dtype = values._splits_dtype
        return rt

    # -- factories -----------------------------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, values: Any, row_splits: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        """Row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``."""
        values = _as_values(values)
        splits = _as_index(row_splits, "row_splits")
        if validate:
            if splits.size == 0 or splits[0] != 0:
                raise InvalidArgumentError("Arguments to from_row_splits do not form a valid RaggedTensor: "
                                           f"row_splits must start with 0, got {splits.tolist()}")
            if np.any(np.diff(splits) < 0):
                raise InvalidArgumentError("Arguments to from_row_splits do not form a valid RaggedTensor: "
                                           f"row_splits must be sorted, got {splits.tolist()}")
            if splits[-1] != _nvals(values):
                raise InvalidArgumentError("Arguments to from_row_splits do not form a valid RaggedTensor: "
                                           f"row_splits end at {splits[-1]} but values has {_nvals(values)} rows")
        return cls._make(values, splits, _host(row_splits).dtype if isinstance(row_splits, Tensor) else None)

    @classmethod
    def from_row_lengths(cls, values: Any, row_lengths: Any, name: Any = None, validate: bool = True
                         ) -> RaggedTensor:
        """Row ``i`` holds the next ``row_lengths[i]`` items of ``values``."""
        values = _as_values(values)
        lengths = _as_index(row_lengths, "row_lengths")
        if validate:
            if np.any(lengths < 0):
                raise InvalidArgumentError(f"RaggedTensor.from_row_lengths: row_lengths must be non-negative, "
                                           f"got {lengths.tolist()}")
            if lengths.sum() != _nvals(values):
                raise InvalidArgumentError(f"RaggedTensor.from_row_lengths: row_lengths sum to {lengths.sum()} but "
                                           f"values has {_nvals(values)} rows")
        return cls._make(values, np.concatenate([[0], np.cumsum(lengths)]))

    @classmethod
    def from_value_rowids(cls, values: Any, value_rowids: Any, nrows: Any = None, name: Any = None,
                          validate: bool = True) -> RaggedTensor:
        """Item ``j`` of ``values`` goes to row ``value_rowids[j]`` (sorted); ``nrows`` adds trailing empty rows."""
        values = _as_values(values)
        ids = _as_index(value_rowids, "value_rowids")
        n = int(ids[-1]) + 1 if nrows is None and ids.size else int(_host(nrows)) if nrows is not None else 0
        if validate:
            if np.any(np.diff(ids) < 0) or (ids.size and ids[0] < 0):
                raise InvalidArgumentError("RaggedTensor.from_value_rowids: value_rowids must be sorted and "
                                           f"non-negative, got {ids.tolist()}")
            if ids.size and ids[-1] >= n:
                raise InvalidArgumentError(f"RaggedTensor.from_value_rowids: nrows={n} but value_rowids names "
                                           f"row {ids[-1]}")
            if ids.size != _nvals(values):
                raise InvalidArgumentError(f"RaggedTensor.from_value_rowids: {ids.size} value_rowids for "
                                           f"{_nvals(values)} values")
        return cls._make(values, np.searchsorted(ids, np.arange(n + 1), side="left"))

    @classmethod
    def from_row_starts(cls, values: Any, row_starts: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        values = _as_values(values)
        starts = _as_index(row_starts, "row_starts")
        return cls.from_row_splits(values, np.concatenate([starts, [_nvals(values)]]), validate=validate)

    @classmethod
    def from_row_limits(cls, values: Any, row_limits: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        return cls.from_row_splits(values, np.concatenate([[0], _as_index(row_limits, "row_limits")]),
                                   validate=validate)

    @classmethod
    def from_nested_row_splits(cls, flat_values: Any, nested_row_splits: Any, name: Any = None,
                               validate: bool = True) -> RaggedTensor:
        result = _as_values(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result  # type: ignore[return-value]

    @classmethod
    def from_nested_row_lengths(cls, flat_values: Any, nested_row_lengths: Any, name: Any = None,
                                validate: bool = True) -> RaggedTensor:
        result = _as_values(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result  # type: ignore[return-value]

    @classmethod
    def from_tensor(cls, tensor: Any, lengths: Any = None, padding: Any = None, ragged_rank: int = 1,
                    name: Any = None, row_splits_dtype: Any = "int64") -> RaggedTensor:
        """Rows of a dense tensor, cut to ``lengths`` or before trailing ``padding``; axes 1..ragged_rank ragged."""
        dense = _host(tensor if isinstance(tensor, Tensor) else constant(tensor))
        if dense.ndim < ragged_rank + 1:
            raise ValueError(f"RaggedTensor.from_tensor: ragged_rank={ragged_rank} needs a tensor of rank > "
                             f"{ragged_rank}, got shape {dense.shape}")
        if lengths is not None and padding is not None:
            raise ValueError("RaggedTensor.from_tensor: give lengths or padding, not both")
        flat = dense.reshape((-1,) + dense.shape[ragged_rank:])
        outer = dense.shape[:ragged_rank]
        if lengths is not None:
            keep = np.minimum(_as_index(lengths, "lengths"), dense.shape[ragged_rank])
        elif padding is not None:
            equal = np.asarray(flat == np.asarray(_host(padding), dtype=dense.dtype))
            # an item is padding when all of its inner values are; rows keep everything up to their last real item
            real: Any = ~equal.reshape(len(equal), dense.shape[ragged_rank], -1).all(axis=2)
            keep = np.where(real.any(axis=1), dense.shape[ragged_rank] - np.argmax(real[:, ::-1], axis=1), 0)
        else:
            keep = np.full(int(np.prod(outer)), dense.shape[ragged_rank], dtype=np.int64)
        rows = [flat[i, :k] for i, k in enumerate(keep.reshape(-1))]
        values = np.concatenate(rows) if rows else flat[:0, 0]
        uniform = dense.shape[ragged_rank] if lengths is None and padding is None else None
        result = cls._make(_wrap(values), np.concatenate([[0], np.cumsum(keep.reshape(-1))]), row_splits_dtype,
                           uniform)
        for size in reversed(outer[1:]):
            result = cls.from_uniform_row_length(result, size)
            result._splits_dtype = _dtypes.as_dtype(row_splits_dtype)
        return result

    @classmethod
    def from_uniform_row_length(cls, values: Any, uniform_row_length: int, nrows: Any = None, name: Any = None,
                                validate: bool = True) -> RaggedTensor:
        """Rows of ``uniform_row_length`` items each: a uniform (not ragged) axis in the partition."""
        values = _as_values(values)
        width, n = int(uniform_row_length), _nvals(values)
        if width < 0 or (width and n % width) or (not width and nrows is None):
            raise InvalidArgumentError(f"RaggedTensor.from_uniform_row_length: {n} values do not split into rows "
                                       f"of {width}")
        rows = n // width if width else int(_host(nrows))
        return cls._make(values, np.arange(rows + 1) * width, uniform=width)

    # -- structure -----------------------------------------------------------------------------------
    @property
    def values(self) -> Tensor | RaggedTensor:
        return self._values

    @property
    def flat_values(self) -> Tensor:
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def row_splits(self) -> Tensor:
        return _wrap(self._splits.astype(self._splits_dtype.as_numpy_dtype))

    @property
    def nested_row_splits(self) -> tuple[Tensor, ...]:
        out = [self.row_splits]
        v = self._values
        while isinstance(v, RaggedTensor):
            out.append(v.row_splits)
            v = v._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self) -> _dtypes.DType:
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> _dtypes.DType:
        return self._splits_dtype

    @property
    def shape(self) -> TensorShape:
        """``[nrows, None (each ragged axis), inner dims of flat_values...]``."""
        inner = self._values.shape[1:] if isinstance(self._values, RaggedTensor) else self._values.shape[1:]
        return TensorShape((self.nrows_int(), self._uniform) + tuple(inner))

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def nrows_int(self) -> int:
        return len(self._splits) - 1

    def _index_tensor(self, arr: Any, out_type: Any = None) -> Tensor:
        dt = _dtypes.as_dtype(out_type) if out_type is not None else self._splits_dtype
        return _wrap(np.asarray(arr, dtype=dt.as_numpy_dtype))

    def nrows(self, out_type: Any = None, name: Any = None) -> Tensor:
        return self._index_tensor(self.nrows_int(), out_type)

    def row_starts(self, name: Any = None) -> Tensor:
        return self._index_tensor(self._splits[:-1])

    def row_limits(self, name: Any = None) -> Tensor:
        return self._index_tensor(self._splits[1:])

    def value_rowids(self, name: Any = None) -> Tensor:
        return self._index_tensor(np.repeat(np.arange(self.nrows_int()), np.diff(self._splits)))

    def row_lengths(self, axis: int = 1, name: Any = None) -> Tensor | RaggedTensor:
        """Lengths of the rows along ``axis`` (1: a Tensor; deeper: a RaggedTensor of the outer shape)."""
        if axis < 0:
            axis += self.ndim
        if axis == 1:
            return self._index_tensor(np.diff(self._splits))
        if axis < 1 or not isinstance(self._values, RaggedTensor):
            raise ValueError(f"RaggedTensor.row_lengths: axis={axis} is not a ragged axis of a tensor with shape "
                             f"{self.shape}")
        return self.with_values(self._values.row_lengths(axis - 1))

    def nested_row_lengths(self, name: Any = None) -> tuple[Tensor, ...]:
        return tuple(self._index_tensor(np.diff(_host(s))) for s in self.nested_row_splits)

    def bounding_shape(self, axis: Any = None, name: Any = None, out_type: Any = None) -> Tensor:
        dims = self._bounding_dims()
        arr = np.asarray(dims, dtype=np.int64)
        return self._index_tensor(arr if axis is None else arr[axis], out_type)

    def _bounding_dims(self) -> tuple[int, ...]:
        lengths = np.diff(self._splits)
        longest = int(lengths.max()) if lengths.size else 0
        inner = (self._values._bounding_dims()[1:] if isinstance(self._values, RaggedTensor)
                 else tuple(self._values._value.shape[1:]))
        return (self.nrows_int(), longest) + inner

    def with_values(self, new_values: Any) -> RaggedTensor:
        """The same row partition over new values (as many rows as ``values`` has)."""
        new_values = _as_values(new_values)
        if _nvals(new_values) != _nvals(self._values):
            raise ValueError(f"RaggedTensor.with_values: expected {_nvals(self._values)} values, got "
                             f"{_nvals(new_values)}")
        return RaggedTensor._make(new_values, self._splits, self._splits_dtype, self._uniform)

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype: Any) -> RaggedTensor:
        values = (self._values.with_row_splits_dtype(dtype) if isinstance(self._values, RaggedTensor)
                  else self._values)
        return RaggedTensor._make(values, self._splits, dtype, self._uniform)

    def merge_dims(self, outer_axis: int, inner_axis: int) -> Tensor | RaggedTensor:
        """Merge axes ``outer_axis..inner_axis`` into one (``merge_dims(0, -1)`` flattens to a Tensor)."""
        rank = self.ndim
        outer = outer_axis + rank if outer_axis < 0 else outer_axis
        inner = inner_axis + rank if inner_axis < 0 else inner_axis
        if not 0 <= outer <= inner < rank:
            raise ValueError(f"RaggedTensor.merge_dims: need 0 <= outer_axis <= inner_axis < rank={rank}, got "
                             f"outer_axis={outer_axis}, inner_axis={inner_axis}")
        return _merge(self, outer, inner)

    # -- conversion ----------------------------------------------------------------------------------
    def to_tensor(self, default_value: Any = None, name: Any = None, shape: Any = None) -> Tensor:
        """A dense tensor: rows padded with ``default_value`` (0, False or b''), cropped/padded to ``shape``."""
        dims = list(self._bounding_dims())
        if shape is not None:
            shape = list(shape.as_list() if hasattr(shape, "as_list") else shape)
            if len(shape) != len(dims):
                raise ValueError(f"RaggedTensor.to_tensor: shape {shape} has rank {len(shape)}, but the ragged "
                                 f"tensor has rank {len(dims)}")
            dims = [d if s is None else int(s) for d, s in zip(dims, shape)]
        dtype = self.flat_values._value.dtype
        if default_value is None:
            fill: Any = b"" if dtype.kind == "O" else 0
        else:
            fill = _host(default_value)
            fill = fill.item() if fill.ndim == 0 else fill
        out = np.empty(dims, dtype=dtype)
        out[...] = fill
        _scatter_rows(self, out, fill)
        return _wrap(out)

    def to_list(self) -> list[Any]:
        """Nested Python lists (strings as ``bytes``), as ``tf.RaggedTensor.to_list``."""
        inner = self._values.to_list() if isinstance(self._values, RaggedTensor) else self._values.numpy().tolist()
        return [inner[a:b] for a, b in zip(self._splits[:-1], self._splits[1:])]

    def numpy(self) -> np.ndarray:
        """Rows as NumPy arrays: one stacked array when all rows have one length, else an object array of rows."""
        values = self._values.numpy()
        rows = [values[a:b] for a, b in zip(self._splits[:-1], self._splits[1:])]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if all(len(r) == len(rows[0]) for r in rows):
            return np.array(rows)
        out = np.empty(len(rows), dtype=object)
        for i, r in enumerate(rows):
            out[i] = r
        return out

    # -- Python protocols ----------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        from tensorlet.ragged.ragged_getitem import getitem

        return getitem(self, key)

    def __iter__(self) -> Iterator[Any]:
        for i in range(self.nrows_int()):
            yield self[i]

    def __bool__(self) -> bool:
        raise TypeError("The truth value of a RaggedTensor is ambiguous; use tf.size or reduce over it")

    def __repr__(self) -> str:
        return f"<tf.RaggedTensor {_format(self.numpy())}>"

    __str__ = __repr__

    __hash__ = None  # type: ignore[assignment]


def _merge(x: Tensor | RaggedTensor, outer: int, inner: int) -> Tensor | RaggedTensor:
    """Merge axes outer..inner of a Tensor or RaggedTensor."""
    if outer == inner:
        return x
    if isinstance(x, Tensor):
        shape = tuple(x._value.shape)
        return _wrap(x._value.reshape(shape[:outer] + (-1,) + shape[inner + 1:]))
    if outer > 1:
        return x.with_values(_merge(x._values, outer - 1, inner - 1))
    if outer == 0:
        return _merge(x._values, 0, inner - 1)
    # outer == 1: each row becomes the concatenation of its sub-rows
    values = x._values
    if isinstance(values, RaggedTensor):
        merged = RaggedTensor._make(values._values, values._splits[x._splits], x._splits_dtype)
    else:
        width = int(values._value.shape[1])
        shape = tuple(values._value.shape)
        merged = RaggedTensor._make(_wrap(values._value.reshape((-1,) + shape[2:])), x._splits * width,
                                    x._splits_dtype)
    return _merge(merged, 1, inner - 1)


def _scatter_rows(rt: RaggedTensor, out: np.ndarray, fill: Any) -> None:
    """Write ``rt``'s items into the dense ``out`` (already filled), cropping what does not fit."""
    values = rt._values
    inner = out.shape[2:]
    if isinstance(values, RaggedTensor):
        dense = np.empty((values.nrows_int(),) + inner, dtype=out.dtype)
        dense[...] = fill
        _scatter_rows(values, dense, fill)
    elif tuple(values._value.shape[1:]) == tuple(inner):
        dense = values._value
    else:  # crop or pad the uniform inner axes
        dense = np.empty((values._value.shape[0],) + inner, dtype=out.dtype)
        dense[...] = fill
        region = (slice(None),) + tuple(slice(0, min(a, b)) for a, b in zip(values._value.shape[1:], inner))
        dense[region] = values._value[region]
    splits, width = rt._splits, out.shape[1]
    nrows = min(rt.nrows_int(), out.shape[0])
    if nrows * 16 < len(dense):  # long rows: one slice copy per row beats index arrays over every item
        bounds = splits[:nrows + 1].tolist()
        for i, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
            n = min(stop - start, width)
            out[i, :n] = dense[start:start + n]
        return
    lengths = np.diff(splits)
    rows = np.repeat(np.arange(rt.nrows_int()), lengths)
    cols = np.arange(len(rows)) - np.repeat(splits[:-1], lengths)
    keep = (rows < out.shape[0]) & (cols < width)
    out[rows[keep], cols[keep]] = dense[keep]


def _format(x: Any) -> str:
    """TF's ragged repr: NumPy's layout (line width, nesting) with elements separated by ', '."""
    if isinstance(x, np.ndarray):
        if x.size == 0:
            return repr(x.tolist())
        with np.printoptions(formatter={"all": _format}):
            return np.array2string(x, separator=", ")
    return str(x)
