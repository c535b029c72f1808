"""``keras.applications``: the ImageNet models and, per family, ``preprocess_input`` and ``decode_predictions``
(``keras.applications.mobilenet_v2.preprocess_input``)."""
from tensorlet.keras.applications import (  # noqa: F401
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from tensorlet.keras.applications.convnext import (  # noqa: F401
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from tensorlet.keras.applications.densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from tensorlet.keras.applications.efficientnet import (  # noqa: F401
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from tensorlet.keras.applications.efficientnet_v2 import (  # noqa: F401
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from tensorlet.keras.applications.inception_v3 import InceptionV3  # noqa: F401
from tensorlet.keras.applications.mobilenet import MobileNet  # noqa: F401
from tensorlet.keras.applications.mobilenet_v2 import MobileNetV2  # noqa: F401
from tensorlet.keras.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small  # noqa: F401
from tensorlet.keras.applications.nasnet import NASNetLarge, NASNetMobile  # noqa: F401
from tensorlet.keras.applications.resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from tensorlet.keras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from tensorlet.keras.applications.vgg16 import VGG16  # noqa: F401
from tensorlet.keras.applications.vgg19 import VGG19  # noqa: F401
from tensorlet.keras.applications.xception import Xception  # noqa: F401

__all__ = ["VGG16", "VGG19", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2", "MobileNet", "MobileNetV2", "MobileNetV3Small", "MobileNetV3Large", "InceptionV3", "Xception", "DenseNet121", "DenseNet169", "DenseNet201", "EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3", "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L", "ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge", "NASNetMobile", "NASNetLarge"]
