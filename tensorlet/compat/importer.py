"""An import hook that makes ``tensorflow``, ``Tensorflow`` and ``keras`` resolve to tensorlet.

The aliases are tensorlet's own module objects (``import tensorflow.keras as k; k is tensorlet.keras``), except
the top-level ``tensorflow`` (and ``tensorflow.compat.v2``), a view of ``tensorlet`` that reports the emulated
TensorFlow version (see ``tensorflow_module.py``). ``tensorflow.compat.v1`` is ``tensorlet.compat.v1`` and
``tensorflow.test`` is ``tensorlet.testing``. The hook is active only between ``install()`` and ``uninstall()``
(or inside ``activated()``); uninstall removes the aliases it registered.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from contextlib import contextmanager
from typing import Any, Iterator

# Keras 2 module paths that moved or merged: any of these resolves to the family module
_KERAS_MERGED = {
    "layers": "tensorlet.keras.layers", "models": "tensorlet.keras.models", "optimizers": "tensorlet.keras.optimizers",
    "callbacks": "tensorlet.keras.callbacks", "losses": "tensorlet.keras.losses", "metrics": "tensorlet.keras.metrics",
    "datasets": "tensorlet.keras.datasets", "initializers": "tensorlet.keras.initializers",
}


# TensorFlow module paths whose tensorlet module has another name
_TF_RENAMED = {"test": "tensorlet.testing", "logging": "tensorlet.tf_logging"}
# the aliases that are the version-reporting view of tensorlet rather than tensorlet itself
_TF_VIEWS = ("tensorflow", "Tensorflow", "tensorflow.compat.v2", "Tensorflow.compat.v2")


def target_of(name: str) -> str | None:
    """The tensorlet module that ``name`` stands for, or None if the name is not ours to alias."""
    parts = name.split(".")
    head = parts[0]
    if head in ("tensorflow", "Tensorflow"):
        rest = parts[1:]
        if rest[:2] == ["python", "keras"]:
            return ".".join(["tensorlet.keras"] + rest[2:])
        if rest == ["compat", "v1"]:
            return "tensorlet.compat.v1"
        if rest[:1] == ["compat"] and rest[1:2] in (["v1"], ["v2"]):
            rest = rest[2:]
        if rest and rest[0] in _TF_RENAMED:
            return ".".join([_TF_RENAMED[rest[0]]] + rest[1:])
        return ".".join(["tensorlet"] + rest)
    if head == "keras":
        rest = parts[1:]
        if rest == ["utils", "np_utils"]:
            return "tensorlet.keras.np_utils"
        if rest[:1] == ["src"]:
            rest = rest[1:]
        return ".".join(["tensorlet.keras"] + rest)
    return None


def _resolve(target: str) -> str:
    """Fall back from a Keras 2 submodule (keras.layers.core) to its family (keras.layers) when only that exists."""
    if importlib.util.find_spec(target) is not None:
        return target
    parts = target.split(".")
    if parts[:2] == ["tensorlet", "keras"] and len(parts) > 3 and parts[2] in _KERAS_MERGED:
        return _KERAS_MERGED[parts[2]]
    return target


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, alias: str, target: str) -> None:
        self.alias, self.target = alias, target

    def create_module(self, spec: Any) -> Any:
        try:
            module = importlib.import_module(self.target)
            if not hasattr(module, "__path__"):  # let Keras 2 submodule paths (keras.layers.core) be looked up
                module.__path__ = []
            self._real_spec = module.__spec__  # importlib overwrites __spec__ with the alias's; put it back below
            return module
        except ModuleNotFoundError as e:
            if e.name and self.target.startswith(e.name):
                raise ModuleNotFoundError(
                    f"{self.alias} is not provided by tensorlet (it maps to {self.target}, which does not exist)",
                    name=self.alias) from None
            raise

    def exec_module(self, module: Any) -> None:
        real = getattr(self, "_real_spec", None)
        if real is not None:
            module.__spec__ = real


class _ViewLoader(importlib.abc.Loader):
    """Loads the version-reporting view of tensorlet for ``tensorflow``."""

    def create_module(self, spec: Any) -> Any:
        from tensorlet.compat.tensorflow_module import tensorflow_module

        return tensorflow_module(spec.name)

    def exec_module(self, module: Any) -> None:
        pass


class AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.aliases: set[str] = set()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        mapped = target_of(fullname)
        if mapped is None:
            return None
        self.aliases.add(fullname)
        if fullname in _TF_VIEWS:
            return importlib.util.spec_from_loader(fullname, _ViewLoader(), is_package=True)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(fullname, _resolve(mapped)))


_finder: AliasFinder | None = None


def install() -> None:
    """Activate the aliases for this process."""
    global _finder
    if _finder is None:
        _finder = AliasFinder()
        sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    """Deactivate the aliases and forget the alias modules registered in ``sys.modules``."""
    global _finder
    if _finder is None:
        return
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in list(sys.modules):
        if target_of(name) is not None and (name in _finder.aliases or name.split(".")[0] in ("tensorflow", "keras",
                                                                                              "Tensorflow")):
            mod = sys.modules.get(name)
            if mod is not None and (name in _TF_VIEWS or getattr(mod, "__name__", "").startswith("tensorlet")):
                del sys.modules[name]
    _finder = None


def is_installed() -> bool:
    return _finder is not None


@contextmanager
def activated() -> Iterator[None]:
    install()
    try:
        yield
    finally:
        uninstall()
