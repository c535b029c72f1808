"""Lambda functions in configs: stored as marshalled bytecode (base64), loaded only with safe_mode=False."""
from __future__ import annotations

import base64
import marshal
import types
from typing import Any

from tensorlet.saving import registry


def serialize_function(fn: Any) -> Any:
    """A config entry for ``fn``: a registered name, or its bytecode for a plain Python function."""
    name = registry.registered_name_of(fn)
    if name is not None:
        return name
    code = getattr(fn, "__code__", None)
    if code is None:
        return getattr(fn, "__name__", repr(fn))
    return {"class_name": "__lambda__", "config": {
        "code": base64.b64encode(marshal.dumps(code)).decode("ascii"),
        "defaults": None, "closure": None}}


def deserialize_function(config: Any, safe_mode: bool = True) -> Any:
    if isinstance(config, dict) and config.get("class_name") == "function":  # Keras 3's form for a named function
        config = config.get("config")
    if isinstance(config, str):
        fn = registry.lookup(config, "activations")
        if fn is None:
            raise ValueError(f"Unknown Lambda function {config!r}: pass it in custom_objects={{...}} or register it "
                             "with keras.saving.register_keras_serializable")
        return fn
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a Lambda layer whose function is stored as Python bytecode. "
                "Loading it would execute code from the file, so it is refused in safe mode. If you trust the file, "
                "pass safe_mode=False to load_model (or register the function and use its name).")
        code = marshal.loads(base64.b64decode(config["config"]["code"]))
        return types.FunctionType(code, {"__builtins__": __builtins__})
    raise ValueError(f"Cannot deserialize a Lambda function from {str(config)[:120]}")
