"""The module object that ``import tensorflow`` gives under the compatibility layer.

It is a view of ``tensorlet``: every attribute is looked up in tensorlet itself (``tf.keras is tensorlet.keras``),
except ``__name__`` and ``__version__``, which report the TensorFlow API level tensorlet emulates, so that version
checks in course code (``assert tf.__version__ >= "2.0"``) pass while ``tensorlet.__version__`` stays the package's
own release number.
"""
from __future__ import annotations

import types
from typing import Any

import tensorlet
from tensorlet import version


class TensorflowModule(types.ModuleType):
    def __init__(self, name: str = "tensorflow") -> None:
        super().__init__(name, tensorlet.__doc__)
        self.__version__ = version.VERSION
        self.__path__ = list(tensorlet.__path__)
        self.__file__ = tensorlet.__file__

    def __getattribute__(self, name: str) -> Any:
        # every public name is tensorlet's, looked up directly: a miss on the module followed by __getattr__ would
        # cost microseconds per `tf.x` in a training loop; dunders (__version__, __spec__, __path__...) are the view's
        if name.startswith("__"):
            try:
                return object.__getattribute__(self, name)
            except AttributeError:
                pass
        return getattr(tensorlet, name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(tensorlet)) | set(tensorlet._LAZY) | {"__version__"})

    def __repr__(self) -> str:
        return f"<module 'tensorflow' (tensorlet {tensorlet.__version__}, TensorFlow {version.VERSION} API)>"


_instances: dict[str, TensorflowModule] = {}


def tensorflow_module(name: str = "tensorflow") -> TensorflowModule:
    """One view per alias name, kept for the life of the process."""
    if name not in _instances:
        _instances[name] = TensorflowModule(name)
    return _instances[name]
