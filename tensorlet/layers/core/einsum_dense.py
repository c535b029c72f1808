"""EinsumDense: a dense layer whose product is an einsum equation (the projections of attention layers)."""
from __future__ import annotations

import re
from typing import Any

from tensorlet import activations, constraints, initializers, regularizers
from tensorlet.layers.layer import Layer
from tensorlet.ops import einsum as einsum_ops
from tensorlet.ops import elementwise as E

_EQUATION = re.compile(r"^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]+)$")


def analyze_equation(equation: str, bias_axes: str | None, input_shape: tuple[Any, ...],
                     output_shape: Any) -> tuple[tuple[int, ...], tuple[int, ...] | None, tuple[Any, ...]]:
    """Kernel shape, bias shape and full output shape of ``equation`` on inputs of ``input_shape``.

    ``output_shape`` gives the output without its first (batch) axis and without the axes of an ellipsis; each
    kernel axis takes its size from the input axis or the output axis of the same letter. The bias spans the output
    from its first ``bias_axes`` letter on, with size 1 on the letters not in ``bias_axes`` (Keras' layout).
    """
    match = _EQUATION.match(equation.replace(" ", ""))
    if match is None:
        raise ValueError(f"EinsumDense: invalid equation {equation!r}; expected 'input,kernel->output' such as "
                         "'ab,bc->ac' or '...b,bc->...c'")
    in_spec, kernel_spec, out_spec = match.groups()
    left = in_spec.startswith("...")
    in_spec, out_spec = in_spec.replace("...", ""), out_spec.replace("...", "")
    elided = len(input_shape) - len(in_spec)
    out = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    if elided > 0 and left:  # the batch axis, then the elided axes, then output_shape
        full_out = [input_shape[0]] + list(input_shape[1:elided]) + out
    elif elided > 0:
        full_out = [input_shape[0]] + out + list(input_shape[len(input_shape) - elided:])
    else:
        full_out = [input_shape[0]] + out

    def axis_of(spec: str, ndim: int, letter: str) -> int:
        i = spec.index(letter)
        return i - len(spec) + ndim if left else i

    size: dict[str, Any] = {}
    for c in out_spec:
        size[c] = full_out[axis_of(out_spec, len(full_out), c)]
    for c in in_spec:
        n = input_shape[axis_of(in_spec, len(input_shape), c)]
        if c in size and size[c] is not None and n is not None and size[c] != n:
            raise ValueError(f"EinsumDense {equation!r}: input axis '{c}' has size {n} but output_shape gives "
                             f"{size[c]} (input shape {tuple(input_shape)}, output_shape {tuple(out)})")
        size[c] = n
    for c in out_spec:
        if c not in in_spec and c not in kernel_spec:
            raise ValueError(f"EinsumDense {equation!r}: output axis '{c}' is in neither the input nor the kernel")
    kernel = []
    for c in kernel_spec:
        if c not in size or size[c] is None:
            raise ValueError(f"EinsumDense {equation!r}: the size of kernel axis '{c}' is unknown (input shape "
                             f"{tuple(input_shape)}, output_shape {tuple(out)})")
        kernel.append(int(size[c]))
    bias = None
    if bias_axes:
        for c in bias_axes:
            if c not in out_spec:
                raise ValueError(f"EinsumDense {equation!r}: bias axis '{c}' is not an output axis {out_spec!r}")
        first = min(out_spec.index(c) for c in bias_axes)
        bias = tuple(int(size[c]) if c in bias_axes else 1 for c in out_spec[first:])
        if elided > 0 and not left:
            bias += (1,) * elided
    for c in out_spec:  # the output axes the kernel decides
        full_out[axis_of(out_spec, len(full_out), c)] = size[c]
    return tuple(kernel), bias, tuple(full_out)


class EinsumDense(Layer):
    """y = activation(einsum(equation, x, kernel) + bias).

    Args:
        equation: ``"input,kernel->output"`` subscripts, e.g. ``"abc,cde->abde"`` (an ellipsis stands for axes passed
            through).
        output_shape: the output shape without the batch axis (and the ellipsis axes); None for an axis of the input.
        activation, bias_axes (output letters that get a bias; None: no bias), kernel/bias initializers,
        regularizers and constraints: as in Keras.

    Example:
        >>> layer = EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d")
        >>> layer(np.zeros((2, 5, 3), "float32")).shape
        TensorShape([2, 5, 4])
    """

    def __init__(self, equation: str, output_shape: Any, activation: Any = None, bias_axes: str | None = None,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, lora_rank: Any = None,
                 lora_alpha: Any = None, gptq_unpacked_column_size: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        if _EQUATION.match(equation.replace(" ", "")) is None:
            raise ValueError(f"EinsumDense: invalid equation {equation!r}; expected 'input,kernel->output' such as "
                             "'ab,bc->ac' or '...b,bc->...c'")

    def build(self, input_shape: Any) -> None:
        kernel_shape, bias_shape, self.full_output_shape = analyze_equation(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape)
        self.kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = (self.add_weight(name="bias", shape=bias_shape, initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, constraint=self.bias_constraint)
                     if bias_shape is not None else None)
        self.built = True

    def call(self, inputs: Any) -> Any:
        y = einsum_ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            y = E.add(y, self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return analyze_equation(self.equation, None, tuple(input_shape), self.partial_output_shape)[2]

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({
            "output_shape": list(self.partial_output_shape), "equation": self.equation,
            "activation": activations.serialize(self.activation), "bias_axes": self.bias_axes,
            "kernel_initializer": ser(self.kernel_initializer), "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer), "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint), "bias_constraint": ser(self.bias_constraint)})
        return config
