"""``tf.nn``: activations, softmax, moments, crossentropies on logits, convolutions and pooling in TensorFlow's
spelling (``convolution``), dropout, embedding lookup and normalizations (``functions``)."""
from tensorlet.nn.convolution import (  # noqa: F401
    avg_pool,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    convolution,
    depthwise_conv2d,
    max_pool,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    separable_conv2d,
)
from tensorlet.nn.functions import (  # noqa: F401
    batch_normalization,
    compute_average_loss,
    dropout,
    embedding_lookup,
    in_top_k,
    l2_normalize,
    scale_regularization_loss,
    weighted_cross_entropy_with_logits,
)
from tensorlet.ops.elementwise import sigmoid, tanh  # noqa: F401
from tensorlet.ops.nn import (  # noqa: F401
    bias_add,
    elu,
    gelu,
    l2_loss,
    leaky_relu,
    log_softmax,
    moments,
    relu,
    relu6,
    selu,
    sigmoid_cross_entropy_with_logits,
    silu,
    softmax,
    softmax_cross_entropy_with_logits,
    softplus,
    softsign,
    sparse_softmax_cross_entropy_with_logits,
    swish,
)
from tensorlet.ops.reduction import top_k  # noqa: F401
