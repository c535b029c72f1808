"""``tf.data.Dataset``: the public API of an input pipeline; each method returns a new dataset.

A Dataset is an immutable description of a pipeline: a source (``from_tensor_slices``, ``from_generator``,
``range``, files) and transformations (``map``, ``shuffle``, ``batch``...). Nothing runs until it is iterated;
each iteration is a new pass. The methods below only check their arguments and build the dataset; each
transformation lives in its own module (``data/batching.py``, ``data/shuffling.py``...) and implements
``_chunks(ctx)``, the generator of chunks of elements one pass yields (see ``data/chunk.py``).

Example:
    >>> import tensorlet as tf
    >>> ds = tf.data.Dataset.from_tensor_slices([1, 2, 3, 4, 5]).map(lambda x: x * 2).batch(2)
    >>> [b.numpy().tolist() for b in ds]
    [[2, 4], [6, 8], [10]]
    >>> ds.element_spec
    TensorSpec(shape=(None,), dtype=tf.int32, name=None)
"""
from __future__ import annotations

from typing import Any, Callable
from typing import Iterator as _PyIterator

from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk
from tensorlet.data.iterator import Iterator, IterContext, NumpyIterator


class Dataset:
    """Base of every dataset: subclasses set ``_spec`` and implement ``_chunks`` (and ``_cardinality``)."""

    # only on the datasets that image_ and text_dataset_from_directory return, as in TensorFlow
    class_names: list[Any] | None
    file_paths: list[str]

    _repr_name = "Dataset"

    def __init__(self, inputs: list[Dataset], element_spec: Any) -> None:
        self._inputs = list(inputs)
        self._spec = element_spec
        self._options: Any = None

    # -- what subclasses provide ------------------------------------------------------------------------
    def _chunks(self, ctx: IterContext) -> _PyIterator[Chunk]:
        raise NotImplementedError(f"{type(self).__name__} must implement _chunks")

    def _cardinality(self) -> int:
        return _card.UNKNOWN

    def _indexed(self) -> Any:
        """For a pipeline that only selects rows of in-memory arrays (``from_tensor_slices``, then ``repeat``,
        ``take``, ``skip``): ``(columns, index_chunks)``, where ``index_chunks(ctx)`` yields arrays of row numbers
        in output order. ``shuffle`` then moves row numbers instead of rows. None for any other pipeline."""
        return None

    # -- inspection -------------------------------------------------------------------------------------
    @property
    def element_spec(self) -> Any:
        """The structure of ``tf.TensorSpec`` (``RaggedTensorSpec``, ``DatasetSpec``) of one element."""
        return self._spec

    def cardinality(self) -> Any:
        """The number of elements as an int64 scalar: ``INFINITE_CARDINALITY`` (-1) after ``repeat()``,
        ``UNKNOWN_CARDINALITY`` (-2) when it cannot be known without iterating (``filter``, ``from_generator``)."""
        import numpy as np

        from tensorlet.autodiff.tensor import _wrap

        return _wrap(np.asarray(self._cardinality(), dtype=np.int64))

    def __len__(self) -> int:
        n = self._cardinality()
        if n == _card.INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == _card.UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True  # a dataset is truthy whatever its length (len() may raise), as in TensorFlow

    def __iter__(self) -> Iterator:
        return Iterator(self)

    def as_numpy_iterator(self) -> NumpyIterator:
        """Iterate the elements as NumPy values.

        Example:
            >>> import tensorlet as tf
            >>> list(tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]}).as_numpy_iterator())
            [{'a': np.int32(1), 'b': np.int32(3)}, {'a': np.int32(2), 'b': np.int32(4)}]
        """
        return NumpyIterator(self)

    def get_single_element(self, name: Any = None) -> Any:
        """The only element of a dataset of exactly one element."""
        from tensorlet.errors import InvalidArgumentError

        it = iter(self)
        try:
            element = next(it)
        except StopIteration:
            raise InvalidArgumentError("Dataset was empty.") from None
        try:
            next(it)
        except StopIteration:
            return element
        raise InvalidArgumentError("Dataset had more than one element.")

    def __repr__(self) -> str:
        return f"<{self._repr_name} element_spec={self._spec!r}>"

    # -- sources ----------------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any, name: Any = None) -> Dataset:
        """One element per slice along the first axis of ``tensors`` (a tensor, or a tuple/dict of them)."""
        from tensorlet.data.sources import TensorSliceDataset

        return TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors: Any, name: Any = None) -> Dataset:
        """A dataset of one element, ``tensors`` itself."""
        from tensorlet.data.sources import TensorDataset

        return TensorDataset(tensors)

    @staticmethod
    def from_generator(generator: Callable[..., Any], output_types: Any = None, output_shapes: Any = None,
                       args: Any = None, output_signature: Any = None, name: Any = None) -> Dataset:
        """The elements a Python generator yields, converted to ``output_signature`` (or the older
        ``output_types``/``output_shapes``). ``generator`` is called (with ``args``) at each iteration."""
        from tensorlet.data.generator import GeneratorDataset

        return GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def range(*args: Any, output_type: Any = "int64", name: Any = None) -> Dataset:
        """``range(stop)``, ``range(start, stop[, step])`` as int64 elements (``output_type`` to change)."""
        from tensorlet.data.sources import RangeDataset

        return RangeDataset(args, output_type)

    @staticmethod
    def counter(start: int = 0, step: int = 1, dtype: Any = "int64", name: Any = None) -> Dataset:
        """``start, start + step, ...`` without end."""
        from tensorlet.data.sources import CounterDataset

        return CounterDataset(start, step, dtype)

    @staticmethod
    def zip(*args: Any, datasets: Any = None, name: Any = None) -> Dataset:
        """Elements of several datasets side by side, in the structure they are given in (a tuple or dict of
        datasets, or several datasets as arguments); as long as the shortest."""
        from tensorlet.data.sources import ZipDataset

        if datasets is not None and args:
            raise TypeError("Dataset.zip: give the datasets either positionally or as datasets=, not both")
        if datasets is None:
            if not args:
                raise TypeError("Dataset.zip() needs at least one dataset")
            datasets = args[0] if len(args) == 1 else tuple(args)
        return ZipDataset(datasets)

    @staticmethod
    def random(seed: int | None = None, rerandomize_each_iteration: bool | None = None, name: Any = None) -> Dataset:
        """Random int64 numbers without end (the same on each iteration unless ``rerandomize_each_iteration``)."""
        from tensorlet.data.sources import RandomDataset

        return RandomDataset(seed, bool(rerandomize_each_iteration))

    @staticmethod
    def list_files(file_pattern: Any, shuffle: bool | None = None, seed: int | None = None,
                   name: Any = None) -> Dataset:
        """The file names matching a glob pattern (or patterns), shuffled at each iteration unless
        ``shuffle=False`` (then sorted)."""
        from tensorlet.data.files import list_files

        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def sample_from_datasets(datasets: Any, weights: Any = None, seed: int | None = None,
                             stop_on_empty_dataset: bool = False, rerandomize_each_iteration: bool | None = None
                             ) -> Dataset:
        """Each element drawn from one of ``datasets`` at random, with probabilities ``weights``."""
        from tensorlet.data.sampling import SampleFromDatasets

        return SampleFromDatasets(datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration)

    @staticmethod
    def choose_from_datasets(datasets: Any, choice_dataset: Dataset, stop_on_empty_dataset: bool = True
                             ) -> Dataset:
        """Element ``i`` from ``datasets[c]`` where ``c`` is element ``i`` of ``choice_dataset`` (int64)."""
        from tensorlet.data.sampling import ChooseFromDatasets

        return ChooseFromDatasets(datasets, choice_dataset, stop_on_empty_dataset)

    # -- per-element functions ---------------------------------------------------------------------------
    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None, deterministic: Any = None,
            synchronous: Any = None, use_unbounded_threadpool: bool = False, name: Any = None) -> Dataset:
        """``map_func`` applied to each element (a tuple element is passed as separate arguments).

        The function is traced once into a plan and replayed per element (or per chunk, when it is elementwise);
        one that reads values back to Python runs eagerly. ``num_parallel_calls`` is accepted and changes
        nothing but the repr: elements keep their order.
        """
        from tensorlet.data.mapping import MapDataset

        return MapDataset(self, map_func, parallel=num_parallel_calls is not None)

    def filter(self, predicate: Callable[..., Any], name: Any = None) -> Dataset:
        """The elements for which ``predicate`` returns True (a scalar bool tensor)."""
        from tensorlet.data.mapping import FilterDataset

        return FilterDataset(self, predicate)

    def flat_map(self, map_func: Callable[..., Any], name: Any = None) -> Dataset:
        """The elements of the datasets ``map_func`` returns for each element, one dataset after another."""
        from tensorlet.data.interleaving import InterleaveDataset

        return InterleaveDataset(self, map_func, cycle_length=1, block_length=1, repr_name="_FlatMapDataset")

    def interleave(self, map_func: Callable[..., Any], cycle_length: Any = None, block_length: Any = None,
                   num_parallel_calls: Any = None, deterministic: Any = None, name: Any = None) -> Dataset:
        """The datasets ``map_func`` returns for ``cycle_length`` elements at a time, read ``block_length``
        elements from each in turn."""
        from tensorlet.data.interleaving import InterleaveDataset

        return InterleaveDataset(self, map_func, cycle_length, block_length)

    def scan(self, initial_state: Any, scan_func: Callable[..., Any], name: Any = None) -> Dataset:
        """Carry a state through the elements: ``new_state, output = scan_func(state, element)``."""
        from tensorlet.data.scanning import ScanDataset

        return ScanDataset(self, initial_state, scan_func)

    def reduce(self, initial_state: Any, reduce_func: Callable[..., Any], name: Any = None) -> Any:
        """Fold the elements into one value: ``state = reduce_func(state, element)``; returns the last state."""
        from tensorlet.data.scanning import reduce_dataset

        return reduce_dataset(self, initial_state, reduce_func)

    def take_while(self, predicate: Callable[..., Any], name: Any = None) -> Dataset:
        """The elements up to the first one for which ``predicate`` is False."""
        from tensorlet.data.mapping import FilterDataset

        return FilterDataset(self, predicate, stop=True)

    def rejection_resample(self, class_func: Callable[..., Any], target_dist: Any, initial_dist: Any = None,
                           seed: int | None = None, name: Any = None) -> Dataset:
        """``(class, element)`` pairs resampled so that the classes ``class_func`` gives follow ``target_dist``."""
        from tensorlet.data.resampling import rejection_resample

        return rejection_resample(self, class_func, target_dist, initial_dist, seed)

    def apply(self, transformation_func: Callable[[Dataset], Dataset]) -> Dataset:
        """``transformation_func(self)``, which must return a Dataset."""
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(f"Dataset.apply: `transformation_func` must return a Dataset, got {type(out).__name__}")
        return out

    # -- batching ---------------------------------------------------------------------------------------
    def batch(self, batch_size: int, drop_remainder: bool = False, num_parallel_calls: Any = None,
              deterministic: Any = None, name: Any = None) -> Dataset:
        """Consecutive elements stacked into batches of ``batch_size`` (the last one smaller unless
        ``drop_remainder``); every element of a batch must have the same shape."""
        from tensorlet.data.batching import BatchDataset

        return BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name: Any = None) -> Dataset:
        """Split each element along its first axis into elements (the inverse of ``batch``)."""
        from tensorlet.data.batching import UnbatchDataset

        return UnbatchDataset(self)

    def padded_batch(self, batch_size: int, padded_shapes: Any = None, padding_values: Any = None,
                     drop_remainder: bool = False, name: Any = None) -> Dataset:
        """Batches of elements of different shapes, each padded (with ``padding_values``, default 0 or b'') to
        ``padded_shapes`` (default: the longest in the batch along each unknown dimension)."""
        from tensorlet.data.padded_batching import PaddedBatchDataset

        return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def ragged_batch(self, batch_size: int, drop_remainder: bool = False, row_splits_dtype: Any = "int64",
                     name: Any = None) -> Dataset:
        """Batches whose components are RaggedTensors: elements may differ in shape."""
        from tensorlet.data.batching import RaggedBatchDataset

        return RaggedBatchDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def rebatch(self, batch_size: Any, drop_remainder: bool = False, name: Any = None) -> Dataset:
        """Re-cut an already batched dataset into batches of ``batch_size`` (an int, or a list of sizes used
        in turn)."""
        from tensorlet.data.batching import RebatchDataset

        return RebatchDataset(self, batch_size, drop_remainder)

    def window(self, size: int, shift: int | None = None, stride: int = 1, drop_remainder: bool = False,
               name: Any = None) -> Dataset:
        """Windows of ``size`` elements every ``shift`` elements, each a (structure of) small datasets; use
        ``flat_map(lambda w: w.batch(size))`` to turn them into tensors."""
        from tensorlet.data.windowing import WindowDataset

        return WindowDataset(self, size, shift, stride, drop_remainder)

    def group_by_window(self, key_func: Callable[..., Any], reduce_func: Callable[..., Any],
                        window_size: int | None = None, window_size_func: Callable[..., Any] | None = None,
                        name: Any = None) -> Dataset:
        """Group elements by ``key_func`` (int64); each full window of a key goes through
        ``reduce_func(key, window_dataset)``."""
        from tensorlet.data.windowing import GroupByWindowDataset

        return GroupByWindowDataset(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(self, element_length_func: Callable[..., Any], bucket_boundaries: Any,
                                  bucket_batch_sizes: Any, padded_shapes: Any = None, padding_values: Any = None,
                                  pad_to_bucket_boundary: bool = False, no_padding: bool = False,
                                  drop_remainder: bool = False, name: Any = None) -> Dataset:
        """Batch elements of similar length together (padded batches per length bucket)."""
        from tensorlet.data.windowing import bucket_by_sequence_length

        return bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                         padded_shapes, padding_values, pad_to_bucket_boundary, no_padding,
                                         drop_remainder)

    # -- order and selection ---------------------------------------------------------------------------
    def shuffle(self, buffer_size: int, seed: int | None = None, reshuffle_each_iteration: bool | None = None,
                name: Any = None) -> Dataset:
        """Randomly shuffle with a buffer of ``buffer_size`` elements: each output is drawn uniformly from the
        buffer, which is refilled from the input (a buffer smaller than the dataset shuffles only locally)."""
        from tensorlet.data.shuffling import ShuffleDataset

        return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def take(self, count: int, name: Any = None) -> Dataset:
        """The first ``count`` elements (all of them for -1)."""
        from tensorlet.data.slicing import TakeDataset

        return TakeDataset(self, count)

    def skip(self, count: int, name: Any = None) -> Dataset:
        """All but the first ``count`` elements (none for -1)."""
        from tensorlet.data.slicing import SkipDataset

        return SkipDataset(self, count)

    def repeat(self, count: int | None = None, name: Any = None) -> Dataset:
        """The dataset ``count`` times (without end for None or -1); each repetition is a new pass."""
        from tensorlet.data.slicing import RepeatDataset

        return RepeatDataset(self, count)

    def concatenate(self, dataset: Dataset, name: Any = None) -> Dataset:
        """This dataset's elements, then ``dataset``'s (their specs must be compatible)."""
        from tensorlet.data.slicing import ConcatenateDataset

        return ConcatenateDataset(self, dataset)

    def enumerate(self, start: int = 0, name: Any = None) -> Dataset:
        """``(index, element)`` pairs, the index an int64 counting from ``start``."""
        from tensorlet.data.sources import CounterDataset, ZipDataset

        return ZipDataset((CounterDataset(start, 1, "int64"), self), repr_name="_EnumerateDataset")

    def shard(self, num_shards: int, index: int, name: Any = None) -> Dataset:
        """Every ``num_shards``-th element, starting with element ``index``."""
        from tensorlet.data.slicing import ShardDataset

        return ShardDataset(self, num_shards, index)

    def unique(self, name: Any = None) -> Dataset:
        """The elements (int or string scalars) without repeats, in order of first appearance."""
        from tensorlet.data.unique import UniqueDataset

        return UniqueDataset(self)

    def ignore_errors(self, log_warning: bool = False, name: Any = None) -> Dataset:
        """Drop the elements whose computation raised an error (a failing ``map`` call, a corrupt record)."""
        from tensorlet.data.error_handling import IgnoreErrorsDataset

        return IgnoreErrorsDataset(self, log_warning)

    # -- performance ------------------------------------------------------------------------------------
    def cache(self, filename: str = "", name: Any = None) -> Dataset:
        """Keep the elements of the first complete pass (in memory, or in ``filename``) and serve later passes
        from there without running the pipeline above."""
        from tensorlet.data.caching import CacheDataset

        return CacheDataset(self, filename)

    def prefetch(self, buffer_size: int, name: Any = None) -> Dataset:
        """Prepare up to ``buffer_size`` elements ahead (``tf.data.AUTOTUNE`` accepted); elements and their
        order are unchanged."""
        from tensorlet.data.prefetching import PrefetchDataset

        return PrefetchDataset(self, buffer_size)

    def options(self) -> Any:
        """The ``tf.data.Options`` in effect for this dataset."""
        from tensorlet.data.options import Options

        for ds in _walk(self):
            if ds._options is not None:
                return ds._options
        return Options()

    def with_options(self, options: Any, name: Any = None) -> Dataset:
        """This dataset with ``options`` merged into its options."""
        from tensorlet.data.options import OptionsDataset

        return OptionsDataset(self, options)

    # -- saving -----------------------------------------------------------------------------------------
    def save(self, path: str, compression: Any = None, shard_func: Any = None, checkpoint_args: Any = None) -> None:
        """Write the elements to the directory ``path`` (read back with ``tf.data.Dataset.load``)."""
        from tensorlet.data.saving import save

        save(self, path, compression)

    @staticmethod
    def load(path: str, element_spec: Any = None, compression: Any = None, reader_func: Any = None) -> Dataset:
        """A dataset written by ``Dataset.save``."""
        from tensorlet.data.saving import load

        return load(path, element_spec, compression)


def _walk(ds: Dataset) -> _PyIterator[Dataset]:
    yield ds
    for parent in ds._inputs:
        yield from _walk(parent)


def check_dataset(x: Any, what: str) -> Dataset:
    if not isinstance(x, Dataset):
        raise TypeError(f"{what}: expected a tf.data.Dataset, got {type(x).__name__}")
    return x


def positive_int(value: Any, what: str, allow: tuple[int, ...] = ()) -> int:
    """``value`` as an int >= 1 (or one of ``allow``); a ValueError naming ``what`` otherwise."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__} {value!r}") from None
    if n < 1 and n not in allow:
        extra = f" (or {', '.join(map(str, allow))})" if allow else ""
        raise ValueError(f"{what} must be greater than zero{extra}, got {n}")
    return n


__all__ = ["Dataset", "structure"]
