"""``keras.mixed_precision``: dtype policies under their Keras 2 and Keras 3 names (recorded; tensorlet computes
in the variables' dtype). Re-exports only."""
from tensorlet.config.keras_settings import (
    DTypePolicy,  # noqa: F401
    dtype_policy,  # noqa: F401
    set_dtype_policy,  # noqa: F401
)
from tensorlet.config.keras_settings import DTypePolicy as Policy  # noqa: F401
from tensorlet.config.keras_settings import dtype_policy as global_policy  # noqa: F401
from tensorlet.config.keras_settings import set_dtype_policy as set_global_policy  # noqa: F401
