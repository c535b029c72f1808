"""Every docstring example in the package runs as a doctest (``np`` and ``tf`` are there, as in the docs' prose:
``import numpy as np`` and ``import tensorlet as tf``)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import tensorlet


def _modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(tensorlet.__path__, "tensorlet.") if not m.name.endswith("__main__")]  # those run the command line
    with_examples = []
    for name in sorted(names):
        try:
            module = importlib.import_module(name)
        except ImportError:  # an optional dependency (h5py, Pillow, scikit-learn...) is absent
            continue
        if any(t.examples for t in doctest.DocTestFinder().find(module)):
            with_examples.append(name)
    return with_examples


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"np": np, "tf": tensorlet},
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_walk_finds_the_package_examples():
    assert len(_modules()) > 50  # the walk itself broken would otherwise leave nothing to run
