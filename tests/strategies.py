"""Hypothesis strategies shared by the op tests: shapes, broadcastable pairs, float64 arrays."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)
nonscalar_shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@st.composite
def broadcast_pair(draw):
    """Two shapes that broadcast together (some axes 1, some leading axes missing)."""
    base = draw(nonscalar_shapes)
    other = tuple(1 if draw(st.booleans()) else d for d in base)
    drop = draw(st.integers(0, len(other)))
    return base, other[drop:]


def arrays(shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)
