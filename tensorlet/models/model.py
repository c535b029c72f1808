"""Model: a Layer with training (compile/fit/evaluate/predict) and inspection (summary, get_layer).

``Model(inputs=..., outputs=...)`` returns a Functional model; subclassing ``Model`` and writing ``call`` gives a
subclassed model whose attribute layers are tracked.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend, tree
from tensorlet.autodiff.tensor import Variable, _wrap
from tensorlet.layers import tracking
from tensorlet.layers.layer import Layer, _dedup
from tensorlet.training.legacy import LegacyMethods
from tensorlet.training.trainer import Trainer


class Model(Trainer, LegacyMethods, Layer):
    """Groups layers into an object with training and inference features."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Model and ("inputs" in kwargs or "outputs" in kwargs or len(args) >= 2):
            from tensorlet.models.functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _functional_arguments(args, kwargs):  # a subclass given inputs and outputs is a Functional model of
            # its own class, as in Keras: its methods (train_step, metrics...) over Functional's graph
            from tensorlet.models.functional import Functional

            if not isinstance(self, Functional):
                self.__class__ = _functional_subclass(type(self))
            Functional.__init__(self, *args, **kwargs)  # type: ignore[arg-type]
            return
        name = kwargs.pop("name", None)
        trainable = kwargs.pop("trainable", True)
        dtype = kwargs.pop("dtype", None)
        if args or kwargs:
            raise TypeError(f"Model.__init__() got unexpected arguments: {args} {sorted(kwargs)}")
        Layer.__init__(self, name=name, trainable=trainable, dtype=dtype)
        Trainer.__init__(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        """A subclass saved with a functional graph (``MyModel(inputs, outputs)``) comes back as one, of its class;
        otherwise ``cls(**config)``."""
        if isinstance(config, dict) and {"layers", "input_layers", "output_layers"} <= set(config):
            from tensorlet.models.functional_config import functional_from_config

            return functional_from_config(config, custom_objects, model_class=cls)
        return super().from_config(config)

    # -- structure -----------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        return self._sublayers

    # tf.keras 2's Model order: the sublayers' weights first, then the model's own (attribute) variables
    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        own = [w for w in tracking.own_variables(self) if w.trainable]
        return _dedup([w for layer in self._sublayers for w in layer.trainable_weights] + own)

    @property
    def non_trainable_weights(self) -> list[Variable]:
        own = tracking.own_variables(self)
        children = self._sublayers
        if not self.trainable:  # all trainable variables first, then all non-trainable ones
            return _dedup([w for layer in children for w in layer.trainable_variables]
                          + [w for w in own if w.trainable]
                          + [w for layer in children for w in layer.non_trainable_variables]
                          + [w for w in own if not w.trainable])
        return _dedup([w for layer in children for w in layer.non_trainable_weights]
                      + [w for w in own if not w.trainable])

    @property
    def weights(self) -> list[Variable]:
        own = tracking.own_variables(self)
        return _dedup([w for layer in self._sublayers for w in layer.weights]
                      + [w for w in own if w.trainable] + [w for w in own if not w.trainable])


    @property
    def input(self) -> Any:
        """The model's symbolic input: one KerasTensor, or the structure it was built with (list, dict).
        ``Model(base.input, base.get_layer(...).output)`` builds a feature extractor on it."""
        inputs = getattr(self, "inputs", None)
        if inputs:
            structure = getattr(self, "_input_structure", None)
            if structure is not None and not (isinstance(structure, (list, tuple)) and len(structure) == 1):
                return structure
            return inputs[0] if len(inputs) == 1 else list(inputs)
        return Layer.input.fget(self)  # type: ignore[attr-defined]

    @property
    def output(self) -> Any:
        """The model's symbolic output: one KerasTensor, or the structure it was built with."""
        outputs = getattr(self, "outputs", None)
        if outputs:
            structure = getattr(self, "_output_structure", None)
            if structure is not None and not (isinstance(structure, (list, tuple)) and len(structure) == 1):
                return structure
            return outputs[0] if len(outputs) == 1 else list(outputs)
        return Layer.output.fget(self)  # type: ignore[attr-defined]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by name or by index in ``layers``."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index, not both")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has "
                                 f"{len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[la.name for la in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def reset_states(self) -> None:
        """Zero the states of every stateful layer inside (tf.keras 2's ``model.reset_states``)."""
        from tensorlet.layers.recurrent.rnn import stateful_layers

        for layer in stateful_layers(self):
            layer.reset_states()

    def build(self, input_shape: Any) -> None:
        """Build a subclassed model by calling it once on zeros of ``input_shape``."""
        if self.built:
            return
        probe = tree.map_shape_structure(  # one shape, or a list/tuple/dict of shapes (several inputs)
            lambda s: _wrap(backend.xp().zeros(tuple(1 if d is None else int(d) for d in s), dtype=self.dtype)),
            input_shape)
        self.built = True
        try:
            self.call(probe)
        except Exception as e:
            self.built = False
            raise ValueError(f'Model "{self.name}" could not be built from input shape {input_shape}: {e}') from e
        self._build_input_shape = tree.map_shape_structure(tuple, input_shape)

    def summary(self, line_length: int | None = None, positions: Any = None, print_fn: Any = None,
                expand_nested: bool = False, show_trainable: bool = False, layer_range: Any = None,
                style: str = "classic") -> None:
        """Print the layer table (the classic Keras 2 layout by default; ``style='box'`` for Keras 3's)."""
        from tensorlet.models.summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range,
                      style=style)

    def get_config(self) -> dict[str, Any]:
        config = Layer.get_config(self)
        return config

    def to_json(self, **kwargs: Any) -> str:
        import json

        from tensorlet.saving.serialization import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)

    def save(self, filepath: Any, overwrite: bool = True, save_format: Any = None, **kwargs: Any) -> None:
        from tensorlet.saving.model_files import save_model

        save_model(self, filepath, overwrite=overwrite, save_format=save_format, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True, save_format: Any = None, **kwargs: Any) -> None:
        from tensorlet.saving.model_files import save_weights

        save_weights(self, filepath, overwrite=overwrite, save_format=save_format, **kwargs)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, by_name: bool = False, **kwargs: Any) -> Any:
        from tensorlet.saving.model_files import load_weights

        return load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name, **kwargs)


def _functional_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """``(inputs, outputs)`` given positionally or by name, the inputs being symbolic tensors."""
    from tensorlet.layers.node import KerasTensor

    if len(args) >= 2:
        inputs = args[0]
    elif len(args) == 1 and "outputs" in kwargs:
        inputs = args[0]
    elif "inputs" in kwargs and "outputs" in kwargs:
        inputs = kwargs["inputs"]
    else:
        return False
    leaves = tree.flatten(inputs)
    return bool(leaves) and all(isinstance(t, KerasTensor) for t in leaves)


_FUNCTIONAL_SUBCLASSES: dict[type, type] = {}


def _functional_subclass(cls: type) -> type:
    """``cls`` with Functional mixed in after it (made once per class): ``isinstance(m, cls)`` holds, ``cls``'s own
    methods come first, Functional's graph methods next."""
    from tensorlet.models.functional import Functional

    made = _FUNCTIONAL_SUBCLASSES.get(cls)
    if made is None:
        made = _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, Functional),
                                                  {"__module__": cls.__module__, "__qualname__": cls.__qualname__})
    return made
