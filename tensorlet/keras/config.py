"""``keras.config`` (Keras 3): floatx, epsilon, image data format, backend, dtype policy, unsafe deserialization,
interactive logging. Re-exports only."""
from tensorlet.config import (  # noqa: F401
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from tensorlet.config.keras_settings import (  # noqa: F401
    DTypePolicy,
    backend,
    dtype_policy,
    enable_unsafe_deserialization,
    set_dtype_policy,
)
from tensorlet.utils.io_utils import (  # noqa: F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
