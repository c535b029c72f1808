"""Layer: the Keras lifecycle (``__init__``, lazy ``build`` on first call, ``call``) and weight tracking."""
from __future__ import annotations

import math
import threading
from typing import Any, Iterable

from tensorlet import backend, tree
from tensorlet.autodiff.tensor import Tensor, TensorShape, Variable, _wrap
from tensorlet.backend import Array
from tensorlet.config import floatx
from tensorlet.config import learning_phase as _learning_phase
from tensorlet.dtypes import np_dtype
from tensorlet.layers import masking, tracking
from tensorlet.layers.arguments import integer_arguments
from tensorlet.layers.input_spec import InputSpec, _fmt, checked_shape  # noqa: F401  (re-exported)
from tensorlet.layers.naming import to_snake_case, unique_name  # noqa: F401
from tensorlet.layers.nest import _any_symbolic, _first_shape, _shapes, _to_tensors  # noqa: F401  (re-exported)
from tensorlet.layers.node import KerasTensor, Node
from tensorlet.module import Module
from tensorlet.saving import weight_budget
from tensorlet.saving.registry import register_builtin
from tensorlet.trackable import children as _children
from tensorlet.trackable import deferred as _deferred

_IGNORED_CONFIG_KEYS = ("input_dtype", "seed_generator", "quantization_config", "lora_rank", "lora_alpha",
                        "optional", "sparse", "ragged", "shared_object_id")


class _CallDepth(threading.local):
    depth = 0  # nesting of eager Layer.__call__ in this thread


_calls = _CallDepth()


class Layer(Module):
    """Base class of all layers (a ``tf.Module``, as in TensorFlow 2).

    Args:
        trainable: whether the layer's weights are updated by training.
        name: a unique name (auto-generated from the class name when omitted).
        dtype: the dtype of weights and computations (floatx by default).
        input_shape / input_dim / batch_size: the classic first-layer shape arguments.
    """


    _registry_family = "layers"  # where tensorlet's own subclasses are registered (Keras 3 operations differ)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # tensorlet's own layer and model classes are the "layers" built-ins of the registry; users' classes
        # register with register_keras_serializable or come in through custom_objects, as in Keras
        if cls.__module__.startswith("tensorlet.") and not cls.__name__.startswith("_") \
                and "<locals>" not in cls.__qualname__:
            register_builtin(cls._registry_family, cls)
        if cls.__module__.startswith("tensorlet.") and "__init__" in cls.__dict__:
            # integer-annotated arguments arrive as ints, whatever number type they come as (layers/arguments.py)
            cls.__init__ = integer_arguments(cls.__dict__["__init__"])  # type: ignore[method-assign]

    @integer_arguments
    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 input_shape: int | tuple[int | None, ...] | None = None, input_dim: int | None = None,
                 batch_size: int | None = None, batch_input_shape: tuple[int | None, ...] | None = None,
                 activity_regularizer: Any = None, autocast: bool = True, dynamic: bool = False, weights: Any = None,
                 **kwargs: Any) -> None:
        for key in _IGNORED_CONFIG_KEYS:  # Keras 3 config entries with no meaning here
            kwargs.pop(key, None)
        if kwargs:
            bad = ", ".join(sorted(kwargs))
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected keyword argument(s): {bad}")
        object.__setattr__(self, "_tracked", {})  # attribute name -> value holding layers/variables/metrics
        object.__setattr__(self, "_attribute_variables", set())  # ids of own variables that came from attributes
        self.name = name if name is not None else unique_name(to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        if isinstance(dtype, dict):  # a Keras 3 DTypePolicy config
            dtype = dtype.get("config", {}).get("name", None)
        self.dtype = np_dtype(dtype).name if dtype is not None else floatx()
        self.built = False
        self._weights: list[Variable] = []
        self._added_losses: list[Any] = []
        self._inbound_nodes: list[Node] = []
        self.input_spec: InputSpec | None = None
        self.supports_masking = type(self).compute_mask is not Layer.compute_mask  # Keras: a mask-making layer
        self._build_input_shape: Any = None
        self._initial_weights = weights
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._batch_input_shape: tuple[Any, ...] | None = tuple(batch_input_shape)
        elif input_shape is not None:
            shape = checked_shape(input_shape, "input_shape", f'Layer "{self.name}"', allow_int=False)
            self._batch_input_shape = (batch_size,) + shape
        else:
            self._batch_input_shape = None
        from tensorlet import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer) if activity_regularizer else None

    # -- attribute tracking (layers/tracking.py) -----------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        tracking.on_setattr(self, name, value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        tracking.forget(self, name)
        object.__delattr__(self, name)

    @property
    def _sublayers(self) -> list[Layer]:
        return tracking.sublayers(self)

    # -- weights -----------------------------------------------------------------------------------------
    def add_weight(self, name: str | None = None, shape: Any = None, dtype: Any = None, initializer: Any = None,
                   regularizer: Any = None, trainable: bool = True, constraint: Any = None, **kwargs: Any) -> Variable:
        """Create a weight Variable, initialize it, and track it (with its regularizer and constraint)."""
        from tensorlet import constraints, initializers, regularizers

        shape = tuple(int(d) for d in (shape or ()))
        dtype = np_dtype(dtype or self.dtype)
        init = initializers.get(initializer if initializer is not None else
                                ("glorot_uniform" if dtype.kind == "f" else "zeros"))
        weight_budget.charge(shape, dtype.itemsize, f"{self.name}/{name}")  # bounded while loading a file
        value = _init_value(init, shape, dtype)
        weight_name = name or f"weight_{len(self._weights)}"
        var = Variable(value, trainable=trainable, name=weight_name, dtype=dtype)
        var._name = weight_name  # named by the layer's path, not by an enclosing tf.name_scope
        var._layer_path = f"{self.name}/{weight_name}"
        var.constraint = constraints.get(constraint) if constraint is not None else None
        self._weights.append(var)
        if _deferred.ATTRIBUTE in self.__dict__:  # a checkpoint restore waits for this weight
            _deferred.notify(self)
        if regularizer is not None:
            self._regularizers.append((regularizers.get(regularizer), var))
        return var

    @property
    def _regularizers(self) -> list[tuple[Any, Variable]]:
        regs = self.__dict__.get("_regularizer_list")
        if regs is None:
            regs = []
            object.__setattr__(self, "_regularizer_list", regs)
        return regs

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._sublayers:
            layer.trainable = value

    # tf.keras 2's order: a layer's own weights come before its sublayers' (a Model puts them after: model.py)
    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        own = [w for w in tracking.own_variables(self) if w.trainable]
        return _dedup(own + [w for layer in self._sublayers for w in layer.trainable_weights])

    @property
    def trainable_variables(self) -> list[Variable]:
        return self.trainable_weights

    @property
    def non_trainable_weights(self) -> list[Variable]:
        own = tracking.own_variables(self)
        if not self.trainable:  # everything, trainable variables first
            return _dedup([w for w in own if w.trainable] + [w for w in own if not w.trainable]
                          + [w for layer in self._sublayers for w in layer.weights])
        return _dedup([w for w in own if not w.trainable]
                      + [w for layer in self._sublayers for w in layer.non_trainable_weights])

    @property
    def non_trainable_variables(self) -> list[Variable]:
        return self.non_trainable_weights

    @property
    def weights(self) -> list[Variable]:
        return _dedup(self.trainable_weights + self.non_trainable_weights)

    @property
    def variables(self) -> list[Variable]:
        return self.weights

    def get_weights(self) -> list[Any]:
        """The weights as NumPy arrays, in ``weights`` order."""
        return [backend.to_numpy(w._value).copy() for w in self.weights]

    def set_weights(self, weights: Iterable[Any]) -> None:
        """Set the weights from NumPy arrays; counts and shapes are checked and named."""
        weights = list(weights)
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f'Layer "{self.name}" expects {len(own)} weight(s), but the weights list has {len(weights)} '
                f"element(s). Expected shapes: {[tuple(w.shape) for w in own]}; received: "
                f"{[tuple(backend.asarray(getattr(w, '_value', w)).shape) for w in weights]}")
        for var, value in zip(own, weights):
            arr = backend.asarray(getattr(value, "_value", value))
            if tuple(arr.shape) != tuple(var._value.shape):
                raise ValueError(
                    f'Layer "{self.name}" weight shape mismatch for "{var.name}": expected shape '
                    f"{tuple(var._value.shape)}, received shape {tuple(arr.shape)}")
        for var, value in zip(own, weights):
            var.assign(backend.asarray(getattr(value, "_value", value)))

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(f'You tried to call `count_params` on layer "{self.name}", but the layer isn\'t built. '
                             "You can build it manually via: `layer.build(batch_input_shape)`.")
        return sum(math.prod(w.shape) for w in self.weights)

    # -- losses --------------------------------------------------------------------------------------------
    def add_loss(self, loss: Any) -> None:
        self._added_losses.append(loss)

    @property
    def losses(self) -> list[Tensor]:
        """Weight-regularization penalties (computed now) and losses added during the last call."""
        out = [reg(var) for reg, var in self._regularizers]
        out += [loss() if callable(loss) else loss for loss in self._added_losses]
        for layer in self._sublayers:
            out += layer.losses
        return out

    def _clear_added_losses(self) -> None:
        self._added_losses.clear()
        for layer in self._sublayers:
            layer._clear_added_losses()

    # -- metrics -----------------------------------------------------------------------------------------
    def add_metric(self, value: Any, name: str | None = None, aggregation: str | None = None,
                   **kwargs: Any) -> None:
        """Keras 2: track ``value`` (computed in ``call``) as the running mean metric ``name`` of this layer."""
        from tensorlet.layers import added_metrics

        added_metrics.add_metric(self, value, name=name, aggregation=aggregation)

    @property
    def metrics(self) -> list[Any]:
        """The metric objects held in attributes or added by ``add_metric``, this layer's then its sublayers'."""
        out: list[Any] = []
        for layer in [self] + self._sublayers:  # a nested model's compiled metrics are not its layer metrics
            for m in (tracking.own_metrics(layer) if layer is self else Layer.metrics.fget(layer)):  # type: ignore
                if all(m is not seen for seen in out):
                    out.append(m)
        return out

    # -- lifecycle -----------------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return inputs

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The mask of the outputs: the input mask for a layer that ``supports_masking``, else None."""
        return mask if self.supports_masking else None

    def _maybe_build(self, input_shape: Any) -> None:
        if self.built:
            return
        input_shape = _tensor_shapes(input_shape)  # build() gets TensorShape(s), as in tf.keras 2
        self._build_input_shape = input_shape
        self.build(input_shape)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if _any_symbolic(inputs):
            return self._call_symbolic(inputs, *args, **kwargs)
        inputs = _to_tensors(inputs, self.dtype)
        if not self.built:
            self._maybe_build(_shapes(inputs))
        if self.input_spec is not None and isinstance(inputs, Tensor):
            self.input_spec.check(self, tuple(inputs._value.shape))
        if "training" in kwargs and not self._call_accepts("training"):
            kwargs.pop("training")
        elif (_learning_phase.phase is not None and not args and "training" not in kwargs
              and self._call_accepts("training")):
            kwargs["training"] = bool(_learning_phase.phase)  # Keras 2's K.set_learning_phase
        if "mask" in kwargs and not self._call_accepts("mask"):
            kwargs.pop("mask")
        previous_mask = masking.fill_mask_arguments(self, inputs, args, kwargs)
        depth = _calls.depth
        if depth == 0:  # an outermost call: the losses added by the previous call are gone, as in Keras
            self._clear_added_losses()
        _calls.depth = depth + 1
        try:
            outputs = self.call(inputs, *args, **kwargs)
        finally:
            _calls.depth = depth
        masking.attach_output_masks(self, inputs, outputs, previous_mask)
        if self.activity_regularizer is not None:
            self._added_losses[:] = [self.activity_regularizer(o) for o in tree.flatten(outputs)]
        return outputs

    def _call_accepts(self, arg: str) -> bool:
        cache = type(self).__dict__.get("_call_args_cache")
        if cache is None:
            import inspect

            params = inspect.signature(self.call).parameters
            cache = set(params) | ({"training", "mask"} if any(p.kind == p.VAR_KEYWORD for p in params.values())
                                   else set())
            type.__setattr__(type(self), "_call_args_cache", cache)
        return arg in cache

    def _call_symbolic(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        in_shapes = tree.map_structure(lambda t: t.shape, inputs)
        self._maybe_build(tree.map_structure(tuple, in_shapes))
        if self.input_spec is not None and isinstance(inputs, KerasTensor):
            self.input_spec.check(self, tuple(inputs.shape))
        out_shape = self.compute_output_shape(_tensor_shapes(in_shapes))
        out_dtype = self._output_dtype(inputs)
        outputs = tree.map_shape_structure(lambda s: KerasTensor(s, out_dtype), out_shape)
        Node(self, inputs, outputs, args, kwargs)
        masking.attach_symbolic_masks(self, inputs, outputs, kwargs)
        return outputs

    def _output_dtype(self, inputs: Any) -> str:
        return self.dtype

    def compute_output_shape(self, input_shape: Any) -> Any:
        """By default: run ``call`` on zeros with batch size 1 and read the result's shape."""
        def dummy(s: Any) -> Tensor:
            s = tuple(1 if d is None else d for d in s)
            return _wrap(backend.xp().zeros(s, dtype=np_dtype(self.dtype)))

        probe = tree.map_shape_structure(dummy, input_shape)
        from tensorlet.autodiff.context import not_recording

        with not_recording():
            kwargs = {"training": False} if self._call_accepts("training") else {}
            out = self.call(probe, **kwargs)
        first = _first_shape(input_shape)
        batch = first[0] if first else None
        return tree.map_structure(lambda t: tuple([batch] + list(t._value.shape[1:])) if t._value.ndim else (), out)

    # -- introspection -------------------------------------------------------------------------------------
    @property
    def input(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f'Layer "{self.name}" has never been called and thus has no defined input.')
        return self._inbound_nodes[0].inputs

    @property
    def output(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f'Layer "{self.name}" has never been called and thus has no defined output.')
        return self._inbound_nodes[0].outputs

    @property
    def input_shape(self) -> Any:
        if self._inbound_nodes:
            return tree.map_structure(lambda t: tuple(t.shape), self._inbound_nodes[0].inputs)
        if self._build_input_shape is not None:
            return self._build_input_shape
        if self._batch_input_shape is not None:
            return self._batch_input_shape
        raise AttributeError(f'The layer "{self.name}" has never been called and thus has no defined input shape.')

    @property
    def output_shape(self) -> Any:
        if self._inbound_nodes:
            return tree.map_structure(lambda t: tuple(t.shape), self._inbound_nodes[0].outputs)
        if self._build_input_shape is not None:
            return self.compute_output_shape(self._build_input_shape)
        raise AttributeError(f'The layer "{self.name}" has never been called and thus has no defined output shape.')

    def _checkpoint_children(self) -> list[tuple[str, Any]]:
        """Checkpoint edges: weights by name, then attributes holding layers, variables or optimizers."""
        return _children.layer_children(self)

    # -- config --------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**config)

    def get_build_config(self) -> dict[str, Any] | None:
        if self._build_input_shape is None:
            return None
        return {"input_shape": tree.map_shape_structure(list, self._build_input_shape)}

    def build_from_config(self, config: dict[str, Any]) -> None:
        shape = (config or {}).get("input_shape")
        if shape is None:
            return
        self._maybe_build(tree.map_shape_structure(tuple, shape))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


# -- helpers ---------------------------------------------------------------------------------------------------
def _tensor_shapes(shape: Any) -> Any:
    """A shape, or a list/dict of shapes, as TensorShape(s): tuples that also have ``as_list``, ``rank``..."""
    return tree.map_shape_structure(TensorShape, shape) if shape is not None else None


def _init_value(init: Any, shape: tuple[int, ...], dtype: Any) -> Array:
    v = init(shape, dtype=dtype.name)
    return backend.asarray(getattr(v, "_value", v), dtype=dtype)


def _dedup(ws: list[Variable]) -> list[Variable]:
    seen: set[int] = set()
    out = []
    for w in ws:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out
