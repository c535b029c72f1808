"""The docstring examples of tf.data and of the modules around it run as doctests."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tensorlet.data.dataset", "tensorlet.data.iterator", "tensorlet.data.structure", "tensorlet.data.generator",
    "tensorlet.data.files", "tensorlet.data.options", "tensorlet.io.tfrecord", "tensorlet.io.example_parsing",
    "tensorlet.io.file_io", "tensorlet.io.tensor_bytes", "tensorlet.train.example", "tensorlet.sparse.sparse_tensor",
    "tensorlet.ragged.ragged_tensor_spec", "tensorlet.utils.timeseries", "tensorlet.utils.dataset_split",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
    assert result.attempted > 0
