"""Seeds of random transformations (``shuffle``, ``random``, ``sample_from_datasets``...), by TensorFlow's rule
for datasets: an op seed makes a transformation repeat its draws in every run and every time it is built (with the
global seed, or a fixed default without one); with only the global seed, each transformation built takes the next
seed of a counter; with neither, draws differ from run to run (following NumPy's global state, so that
``np.random.seed`` alone also reproduces)."""
from __future__ import annotations

import numpy as np

from tensorlet import seeding

_DEFAULT_GLOBAL = 87654321


def base_seed(seed: int | None) -> int:
    """An integer that fixes every draw of one transformation."""
    if seed is not None:
        glob = seeding.get_global_seed()
        return int(np.random.default_rng((_DEFAULT_GLOBAL if glob is None else glob, int(seed)))
                   .integers(0, 2**62))
    return int(seeding.rng(None).integers(0, 2**62))


def pass_rng(base: int, index: int, vary: bool) -> np.random.Generator:
    """The generator of one pass: the same in every pass unless ``vary`` (reshuffle each iteration)."""
    return np.random.default_rng((base, index) if vary else base)
