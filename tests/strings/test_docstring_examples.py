"""The docstring examples of the string, ragged and Keras 2 text modules run as doctests."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tensorlet.strings.conversion", "tensorlet.strings.farmhash", "tensorlet.strings.format",
    "tensorlet.strings.hashing", "tensorlet.strings.join", "tensorlet.strings.ngrams", "tensorlet.strings.regex",
    "tensorlet.strings.split", "tensorlet.strings.transform", "tensorlet.strings.unicode",
    "tensorlet.ragged.ragged_tensor", "tensorlet.ragged.ragged_factory",
    "tensorlet.preprocessing.text", "tensorlet.preprocessing.tokenizer", "tensorlet.preprocessing.sequence",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
