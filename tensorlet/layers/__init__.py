"""Keras layers, one module per layer, grouped by family."""
from tensorlet.layers.activation_layers import (
    ELU,
    ActivityRegularization,
    LeakyReLU,
    PReLU,
    ReLU,
    Softmax,
    ThresholdedReLU,
)
from tensorlet.layers.attention.additive_attention import AdditiveAttention
from tensorlet.layers.attention.attention import Attention
from tensorlet.layers.attention.grouped_query_attention import GroupedQueryAttention, GroupQueryAttention
from tensorlet.layers.attention.multi_head_attention import MultiHeadAttention
from tensorlet.layers.convolutional.conv import Conv1D, Conv2D, Convolution1D, Convolution2D
from tensorlet.layers.convolutional.conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Convolution2DTranspose,
)
from tensorlet.layers.convolutional.depthwise_conv import (
    DepthwiseConv2D,
    SeparableConv2D,
    SeparableConvolution2D,
)
from tensorlet.layers.core.activation import Activation
from tensorlet.layers.core.dense import Dense
from tensorlet.layers.core.einsum_dense import EinsumDense
from tensorlet.layers.core.embedding import Embedding
from tensorlet.layers.core.lambda_layer import Lambda
from tensorlet.layers.core.layer_scale import LayerScale
from tensorlet.layers.core.masking import Masking
from tensorlet.layers.input_layer import Input, InputLayer
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.layers.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    concatenate,
)
from tensorlet.layers.normalization.batch_normalization import BatchNormalization, LayerNormalization
from tensorlet.layers.pooling.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)
from tensorlet.layers.preprocessing.category_encoding import CategoryEncoding
from tensorlet.layers.preprocessing.discretization import Discretization
from tensorlet.layers.preprocessing.hashing import Hashing
from tensorlet.layers.preprocessing.image_augmentation import (
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)
from tensorlet.layers.preprocessing.integer_lookup import IntegerLookup
from tensorlet.layers.preprocessing.normalization import Normalization
from tensorlet.layers.preprocessing.rescaling import Rescaling
from tensorlet.layers.preprocessing.resizing import CenterCrop, Resizing
from tensorlet.layers.preprocessing.string_lookup import StringLookup
from tensorlet.layers.preprocessing.text_vectorization import TextVectorization
from tensorlet.layers.recurrent.bidirectional import Bidirectional
from tensorlet.layers.recurrent.conv_lstm import ConvLSTM2D
from tensorlet.layers.recurrent.gru import GRU, GRUCell
from tensorlet.layers.recurrent.lstm import LSTM, LSTMCell
from tensorlet.layers.recurrent.rnn import RNN
from tensorlet.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from tensorlet.layers.recurrent.stacked_cells import StackedRNNCells
from tensorlet.layers.recurrent.time_distributed import TimeDistributed
from tensorlet.layers.regularization.dropout import Dropout
from tensorlet.layers.regularization.noise import AlphaDropout, GaussianDropout, GaussianNoise
from tensorlet.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D
from tensorlet.layers.regularization.stochastic_depth import StochasticDepth
from tensorlet.layers.reshaping.flatten import Flatten
from tensorlet.layers.reshaping.reshape import Reshape
from tensorlet.layers.reshaping.sequence import Cropping1D, Permute, RepeatVector, UpSampling1D, ZeroPadding1D
from tensorlet.layers.reshaping.spatial import Cropping2D, UpSampling2D, ZeroPadding2D
from tensorlet.saving.registry import register_builtins

# Each layer class registers itself under its name (Layer.__init_subclass__); the Keras aliases are added here.
register_builtins("layers", aliases={
    "Layer": Layer, "Convolution1D": Conv1D, "Convolution2D": Conv2D, "Convolution2DTranspose": Conv2DTranspose,
    "SeparableConvolution2D": SeparableConv2D, "MaxPool1D": MaxPool1D, "MaxPool2D": MaxPool2D, "AvgPool1D": AvgPool1D,
    "AvgPool2D": AvgPool2D, "GlobalMaxPool1D": GlobalMaxPool1D, "GlobalMaxPool2D": GlobalMaxPool2D,
    "GlobalAvgPool1D": GlobalAvgPool1D, "GlobalAvgPool2D": GlobalAvgPool2D,
    "GroupQueryAttention": GroupedQueryAttention})

__all__ = ["Layer", "InputSpec", "Input", "InputLayer", "Dense", "Activation", "Flatten", "Dropout", "Reshape",
           "Lambda", "ReLU", "LeakyReLU", "Softmax", "ActivityRegularization", "Add", "Subtract", "Multiply",
           "Average", "Maximum", "Minimum", "Concatenate", "add", "concatenate", "Conv1D", "Conv2D", "Convolution1D",
           "Convolution2D", "Conv1DTranspose", "Conv2DTranspose", "Convolution2DTranspose", "DepthwiseConv2D",
           "SeparableConv2D", "SeparableConvolution2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "MaxPool1D",
           "MaxPool2D", "AvgPool1D", "AvgPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalAvgPool1D", "GlobalAvgPool2D",
           "BatchNormalization", "LayerNormalization", "Embedding", "Rescaling", "Normalization", "RandomFlip", "RandomRotation",
           "RandomTranslation", "RandomZoom", "RandomContrast", "RandomCrop", "SpatialDropout2D",
           "ZeroPadding2D", "Cropping2D", "UpSampling2D", "PReLU", "ELU", "ThresholdedReLU", "Dot",
           "Permute", "RepeatVector", "UpSampling1D", "ZeroPadding1D", "Cropping1D", "GaussianNoise",
           "GaussianDropout", "AlphaDropout", "SpatialDropout1D", "SimpleRNN", "LSTM", "GRU", "Bidirectional",
           "Resizing", "CenterCrop", "LayerScale", "StochasticDepth",
           "Masking", "EinsumDense", "MultiHeadAttention", "Attention", "AdditiveAttention", "GroupQueryAttention",
           "GroupedQueryAttention", "RNN", "SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells",
           "TimeDistributed", "TextVectorization", "StringLookup", "IntegerLookup", "Hashing", "CategoryEncoding",
           "Discretization", "ConvLSTM2D"]
