"""The array backend the suite runs on, and a fixture that runs a test on every installed backend.

``--backend=strict`` (or ``TENSORLET_TEST_BACKEND=strict``) selects the backend for the whole session. CI runs
the op, layer and optimizer suites on the strict backend, which fails on any array that bypasses
``tensorlet.backend``; on a machine with a GPU, ``--backend=cupy`` runs them on CuPy.
"""
from __future__ import annotations

import importlib.util
import os

import pytest

from tensorlet import backend

BACKENDS = ("numpy", "strict", "cupy")


def cupy_available() -> bool:
    return importlib.util.find_spec("cupy") is not None


def pytest_addoption(parser):
    parser.addoption("--backend", choices=BACKENDS, default=os.environ.get("TENSORLET_TEST_BACKEND", "numpy"),
                     help="array backend for the session (default: $TENSORLET_TEST_BACKEND or numpy)")


def pytest_configure(config):
    name = config.getoption("--backend")
    if name not in BACKENDS:
        raise pytest.UsageError(f"TENSORLET_TEST_BACKEND={name!r}: expected one of {', '.join(BACKENDS)}")
    if name == "cupy" and not cupy_available():
        raise pytest.UsageError("--backend=cupy needs CuPy installed")
    backend.use_backend(name)


def pytest_report_header(config):
    return f"tensorlet array backend: {backend.current().name}"


@pytest.fixture(params=[pytest.param("numpy"), pytest.param("strict"),
                        pytest.param("cupy", marks=pytest.mark.skipif(not cupy_available(), reason="no CuPy"))])
def any_backend(request):
    """Runs the test once per installed backend (use it where that is cheap); yields the backend object."""
    with backend.use_backend(request.param) as b:
        yield b
