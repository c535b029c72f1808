"""Keras' ImageNet models (``keras.applications``), built from tensorlet layers.

One module per family (vgg, resnet, resnet_v2, mobilenet, mobilenet_v2, mobilenet_v3, inception_v3, xception,
densenet, efficientnet, efficientnet_v2, convnext, nasnet). Each builds Keras'
graph layer for layer (names, order, shapes and parameter counts as in Keras 3), takes Keras' arguments
(``include_top``, ``weights``, ``input_tensor``, ``input_shape``, ``pooling``, ``classes``,
``classifier_activation``), and has its ``preprocess_input`` and ``decode_predictions``. Shared parts: the input
and top in scaffold.py, blocks in blocks.py, preprocessing and shape rules in imagenet_utils.py, and the official
weight files in weights.py. The public names live in ``tensorlet.keras.applications``.
"""
