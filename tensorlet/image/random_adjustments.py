"""Random photometric adjustments: ``random_brightness``/``contrast``/``saturation``/``hue`` and their
``stateless_random_*`` forms (the factor drawn from a seed tensor, so the same seed gives the same image).

One factor is drawn per call (for a batch, the same for every image, as in TensorFlow). The draw is a tensor that
feeds the adjustment, so a traced function draws a new factor on every call.
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.autodiff.tensor import Tensor
from tensorlet.image import adjustments as A

Draw = Callable[[float, float], Tensor]


def _stateful(seed: Any) -> Draw:
    from tensorlet.random import uniform

    return lambda lo, hi: uniform([], lo, hi, seed=seed)


def _stateless(seed: Any) -> Draw:
    from tensorlet.stateless_random import stateless_uniform

    return lambda lo, hi: stateless_uniform([], seed, lo, hi)


def _check_delta(max_delta: Any, limit: float | None = None) -> float:
    value = float(max_delta)
    if value < 0:
        raise ValueError(f"max_delta must be non-negative, got {value}")
    if limit is not None and value > limit:
        raise ValueError(f"max_delta must be <= {limit}, got {value}")
    return value


def _check_range(lower: Any, upper: Any) -> tuple[float, float]:
    lo, hi = float(lower), float(upper)
    if hi <= lo:
        raise ValueError(f"upper must be > lower, got lower={lo}, upper={hi}")
    if lo < 0:
        raise ValueError(f"lower must be non-negative, got {lo}")
    return lo, hi


def _brightness(image: Any, max_delta: Any, draw: Draw) -> Tensor:
    d = _check_delta(max_delta)
    return A.adjust_brightness(image, draw(-d, d))


def _contrast(image: Any, lower: Any, upper: Any, draw: Draw) -> Tensor:
    return A.adjust_contrast(image, draw(*_check_range(lower, upper)))


def _saturation(image: Any, lower: Any, upper: Any, draw: Draw) -> Tensor:
    return A.adjust_saturation(image, draw(*_check_range(lower, upper)))


def _hue(image: Any, max_delta: Any, draw: Draw) -> Tensor:
    d = _check_delta(max_delta, 0.5)
    return A.adjust_hue(image, draw(-d, d))


def random_brightness(image: Any, max_delta: Any, seed: Any = None) -> Tensor:
    """``adjust_brightness`` by a delta drawn uniformly from [-max_delta, max_delta)."""
    return _brightness(image, max_delta, _stateful(seed))


def random_contrast(image: Any, lower: Any, upper: Any, seed: Any = None) -> Tensor:
    """``adjust_contrast`` by a factor drawn uniformly from [lower, upper)."""
    return _contrast(image, lower, upper, _stateful(seed))


def random_saturation(image: Any, lower: Any, upper: Any, seed: Any = None) -> Tensor:
    """``adjust_saturation`` by a factor drawn uniformly from [lower, upper)."""
    return _saturation(image, lower, upper, _stateful(seed))


def random_hue(image: Any, max_delta: Any, seed: Any = None) -> Tensor:
    """``adjust_hue`` by a delta drawn uniformly from [-max_delta, max_delta) (max_delta <= 0.5)."""
    return _hue(image, max_delta, _stateful(seed))


def stateless_random_brightness(image: Any, max_delta: Any, seed: Any) -> Tensor:
    return _brightness(image, max_delta, _stateless(seed))


def stateless_random_contrast(image: Any, lower: Any, upper: Any, seed: Any) -> Tensor:
    return _contrast(image, lower, upper, _stateless(seed))


def stateless_random_saturation(image: Any, lower: Any, upper: Any, seed: Any = None) -> Tensor:
    if seed is None:
        raise ValueError("stateless_random_saturation needs a seed (a shape [2] integer tensor)")
    return _saturation(image, lower, upper, _stateless(seed))


def stateless_random_hue(image: Any, max_delta: Any, seed: Any) -> Tensor:
    return _hue(image, max_delta, _stateless(seed))
