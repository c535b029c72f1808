"""``keras.random`` (Keras 3): seeded draws and ``SeedGenerator``. Re-exports only."""
from tensorlet.keras_ops.random import (  # noqa: F401
    SeedGenerator,
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
