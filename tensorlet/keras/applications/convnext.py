"""``keras.applications.convnext``."""
from tensorlet.applications.convnext import (  # noqa: F401
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
    LayerScale,
    StochasticDepth,
    decode_predictions,
    preprocess_input,
)
