"""``tf.data``: input pipelines (``Dataset``), as TensorFlow course code builds them.

``Dataset`` is in ``data/dataset.py``; each transformation lives in its own module. Elements travel in chunks
(``data/chunk.py``) and functions given to ``map``/``filter`` are traced into plans (``data/element_function.py``).
"""
from tensorlet.data import experimental
from tensorlet.data.cardinality import AUTOTUNE
from tensorlet.data.cardinality import INFINITE as INFINITE_CARDINALITY
from tensorlet.data.cardinality import UNKNOWN as UNKNOWN_CARDINALITY
from tensorlet.data.dataset import Dataset
from tensorlet.data.files import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from tensorlet.data.iterator import Iterator, NumpyIterator
from tensorlet.data.options import Options
from tensorlet.data.structure import DatasetSpec

DatasetV2 = Dataset

__all__ = ["AUTOTUNE", "Dataset", "DatasetSpec", "DatasetV2", "FixedLengthRecordDataset", "INFINITE_CARDINALITY",
           "Iterator", "NumpyIterator", "Options", "TFRecordDataset", "TextLineDataset", "UNKNOWN_CARDINALITY",
           "experimental"]
