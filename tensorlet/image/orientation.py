"""Flips, quarter turns and transposes: ``flip_left_right``, ``flip_up_down``, ``rot90``, ``transpose``, and
the random flips (``random_flip_*``, ``stateless_random_flip_*``).

All are reversed or permuted views, so gradients pass straight back. A random flip of a batch flips each image on
its own draw; the draw is a tensor selecting between the image and its mirror, so a traced function draws anew on
every call.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.image.image_tensor import as_image, host_int
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S


def _check_rank(x: Tensor, name: str = "image") -> int:
    rank = x._value.ndim
    if rank not in (3, 4):
        raise ValueError(f"'{name}' (shape {tuple(x._value.shape)}) must have either 3 or 4 dimensions.")
    return rank


def _reverse(x: Tensor, axis: int) -> Tensor:
    key: list[Any] = [slice(None)] * x._value.ndim
    key[axis] = slice(None, None, -1)
    return S.getitem(x, tuple(key))


def flip_left_right(image: Any) -> Tensor:
    """Mirror the width axis."""
    x = as_image(image)
    _check_rank(x)
    return _reverse(x, x._value.ndim - 2)


def flip_up_down(image: Any) -> Tensor:
    """Mirror the height axis."""
    x = as_image(image)
    _check_rank(x)
    return _reverse(x, x._value.ndim - 3)


def transpose(image: Any, name: Any = None) -> Tensor:
    """Swap height and width."""
    x = as_image(image)
    rank = _check_rank(x)
    return S.transpose(x, [1, 0, 2] if rank == 3 else [0, 2, 1, 3])


def rot90(image: Any, k: Any = 1, name: Any = None) -> Tensor:
    """Rotate by ``k`` quarter turns counter-clockwise."""
    x = as_image(image)
    _check_rank(x)
    turns = host_int(k, "k") % 4
    h = x._value.ndim - 3
    if turns == 1:
        return transpose(_reverse(x, h + 1))
    if turns == 2:
        return _reverse(_reverse(x, h), h + 1)
    if turns == 3:
        return _reverse(transpose(x), h + 1)
    return x


def _random_flip(image: Any, axis_from_end: int, draw: Any) -> Tensor:
    """Flip where a uniform draw is below 0.5: once for one image, per image for a batch."""
    x = as_image(image)
    rank = _check_rank(x)
    flipped = _reverse(x, rank - axis_from_end)
    if rank == 3:
        u = draw([])
    else:
        u = S.reshape(draw([x._value.shape[0]]), [-1, 1, 1, 1])
    return E.where(E.less(u, 0.5), flipped, x)


def random_flip_left_right(image: Any, seed: Any = None) -> Tensor:
    """Mirror the width axis with probability 1/2 (each image of a batch on its own)."""
    from tensorlet.random import uniform

    return _random_flip(image, 2, lambda shape: uniform(shape, 0.0, 1.0, seed=seed))


def random_flip_up_down(image: Any, seed: Any = None) -> Tensor:
    """Mirror the height axis with probability 1/2 (each image of a batch on its own)."""
    from tensorlet.random import uniform

    return _random_flip(image, 3, lambda shape: uniform(shape, 0.0, 1.0, seed=seed))


def stateless_random_flip_left_right(image: Any, seed: Any) -> Tensor:
    """``random_flip_left_right`` decided by ``seed`` (a shape [2] integer tensor)."""
    from tensorlet.stateless_random import stateless_uniform

    return _random_flip(image, 2, lambda shape: stateless_uniform(shape, seed, 0.0, 1.0))


def stateless_random_flip_up_down(image: Any, seed: Any) -> Tensor:
    """``random_flip_up_down`` decided by ``seed`` (a shape [2] integer tensor)."""
    from tensorlet.stateless_random import stateless_uniform

    return _random_flip(image, 3, lambda shape: stateless_uniform(shape, seed, 0.0, 1.0))
