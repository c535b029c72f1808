"""``tf.sysconfig``: build information. tensorlet is pure Python: no C++ headers, libraries or CUDA build; a GPU
is used through CuPy when installed (see ``tensorlet.backend``)."""
from __future__ import annotations

import os
from typing import Any

CXX11_ABI_FLAG = 0
CXX_VERSION = 0
MONOLITHIC_BUILD = 0


def get_build_info() -> dict[str, Any]:
    """The keys TensorFlow reports, for a build without CUDA, ROCm or TensorRT."""
    return {"cpu_compiler": "none (pure Python)", "is_cuda_build": False, "is_rocm_build": False,
            "is_tensorrt_build": False}


def get_include() -> str:
    """The package folder (tensorlet ships no C++ headers)."""
    return os.path.dirname(os.path.abspath(__file__))


def get_lib() -> str:
    return get_include()


def get_compile_flags() -> list[str]:
    return []


def get_link_flags() -> list[str]:
    return []
