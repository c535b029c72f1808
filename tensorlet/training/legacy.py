"""The classic Keras 2 methods that today's Keras removed, kept working with a DeprecationWarning."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"`model.{old}` is deprecated and was removed from Keras; tensorlet keeps it working. Use "
                  f"{new} instead.", DeprecationWarning, stacklevel=3)


class LegacyMethods:
    """fit_generator, evaluate_generator, predict_generator, predict_classes and predict_proba."""

    def fit_generator(self, generator: Any, steps_per_epoch: Any = None, epochs: int = 1, verbose: Any = 1,
                      callbacks: Any = None, validation_data: Any = None, validation_steps: Any = None,
                      validation_freq: Any = 1, class_weight: Any = None, max_queue_size: int = 10,
                      workers: int = 1, use_multiprocessing: bool = False, shuffle: bool = True,
                      initial_epoch: int = 0) -> Any:
        _deprecated("fit_generator", "`model.fit`, which accepts generators")
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,  # type: ignore[attr-defined]
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator: Any, steps: Any = None, callbacks: Any = None, max_queue_size: int = 10,
                           workers: int = 1, use_multiprocessing: bool = False, verbose: Any = 0) -> Any:
        _deprecated("evaluate_generator", "`model.evaluate`, which accepts generators")
        return self.evaluate(generator, steps=steps, callbacks=callbacks,  # type: ignore[attr-defined]
                             verbose=verbose)

    def predict_generator(self, generator: Any, steps: Any = None, callbacks: Any = None, max_queue_size: int = 10,
                          workers: int = 1, use_multiprocessing: bool = False, verbose: Any = 0) -> Any:
        _deprecated("predict_generator", "`model.predict`, which accepts generators")
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)  # type: ignore[attr-defined]

    def predict_classes(self, x: Any, batch_size: int = 32, verbose: Any = 0) -> np.ndarray:
        """Class indices: argmax for a multi-unit output, ``p > 0.5`` for a single sigmoid unit."""
        _deprecated("predict_classes", "`np.argmax(model.predict(x), axis=-1)` (or `(model.predict(x) > 0.5)` for "
                    "a sigmoid output)")
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)  # type: ignore[attr-defined]
        if proba.shape[-1] > 1:
            return proba.argmax(axis=-1)
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x: Any, batch_size: int = 32, verbose: Any = 0) -> np.ndarray:
        _deprecated("predict_proba", "`model.predict`")
        return self.predict(x, batch_size=batch_size, verbose=verbose)  # type: ignore[attr-defined]
