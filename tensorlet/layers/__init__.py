"""Keras layers, one module per layer, grouped by family."""
from tensorlet.layers.core.activation import Activation
from tensorlet.layers.core.dense import Dense
from tensorlet.layers.input_layer import Input, InputLayer
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.layers.regularization.dropout import Dropout
from tensorlet.layers.reshaping.flatten import Flatten

__all__ = ["Layer", "InputSpec", "Input", "InputLayer", "Dense", "Activation", "Flatten", "Dropout"]
