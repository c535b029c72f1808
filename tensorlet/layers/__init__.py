"""Keras layers, one module per layer, grouped by family."""
from tensorlet.layers.activation_layers import ActivityRegularization, LeakyReLU, ReLU, Softmax
from tensorlet.layers.core.activation import Activation
from tensorlet.layers.core.dense import Dense
from tensorlet.layers.core.lambda_layer import Lambda
from tensorlet.layers.input_layer import Input, InputLayer
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.layers.merging import (
    Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract, add, concatenate,
)
from tensorlet.layers.regularization.dropout import Dropout
from tensorlet.layers.reshaping.flatten import Flatten
from tensorlet.layers.reshaping.reshape import Reshape

__all__ = ["Layer", "InputSpec", "Input", "InputLayer", "Dense", "Activation", "Flatten", "Dropout", "Reshape",
           "Lambda", "ReLU", "LeakyReLU", "Softmax", "ActivityRegularization", "Add", "Subtract", "Multiply",
           "Average", "Maximum", "Minimum", "Concatenate", "add", "concatenate"]
