"""The autodiff engine: Tensor, Variable, Function and GradientTape."""
from tensorlet.autodiff.function import Function, NotDifferentiableError
from tensorlet.autodiff.tape import GradientTape
from tensorlet.autodiff.tensor import Tensor, TensorShape, Variable, constant, convert_to_tensor

__all__ = ["Function", "NotDifferentiableError", "GradientTape", "Tensor", "TensorShape", "Variable",
           "constant", "convert_to_tensor"]
