"""Every application has Keras 3's parameter counts and layer count (``weights=None``, default arguments).

The exact numbers were measured here with Keras 3.15 (tf_keras 2.21 gives the same parameter counts; its
MobileNetV3 and ConvNeXt list more layers because it wraps ``x + 3`` and residual sums in TFOpLambda layers,
which Keras 3, and tensorlet, keep as hidden operations). keras.io's table of rounded sizes is a second check.
Building the largest models costs seconds even with zero initialization, so only the smallest model of each
family runs in the fast suite; the rest are marked slow.
"""
from __future__ import annotations

import pytest

from tensorlet.keras import applications

# name: (total parameters, trainable parameters, len(model.layers)), measured with Keras 3.15
KERAS_3 = {
    "VGG16": (138_357_544, 138_357_544, 23),
    "VGG19": (143_667_240, 143_667_240, 26),
    "ResNet50": (25_636_712, 25_583_592, 177),
    "ResNet101": (44_707_176, 44_601_832, 347),
    "ResNet152": (60_419_944, 60_268_520, 517),
    "ResNet50V2": (25_613_800, 25_568_360, 192),
    "ResNet101V2": (44_675_560, 44_577_896, 379),
    "ResNet152V2": (60_380_648, 60_236_904, 566),
    "MobileNet": (4_253_864, 4_231_976, 91),
    "MobileNetV2": (3_538_984, 3_504_872, 156),
    "MobileNetV3Small": (2_554_968, 2_542_856, 164),
    "MobileNetV3Large": (5_507_432, 5_483_032, 194),
    "InceptionV3": (23_851_784, 23_817_352, 313),
    "Xception": (22_910_480, 22_855_952, 134),
    "DenseNet121": (8_062_504, 7_978_856, 429),
    "DenseNet169": (14_307_880, 14_149_480, 597),
    "DenseNet201": (20_242_984, 20_013_928, 709),
    "EfficientNetB0": (5_330_571, 5_288_548, 240),
    "EfficientNetB1": (7_856_239, 7_794_184, 342),
    "EfficientNetB2": (9_177_569, 9_109_994, 342),
    "EfficientNetB3": (12_320_535, 12_233_232, 387),
    "EfficientNetB4": (19_466_823, 19_341_616, 477),
    "EfficientNetB5": (30_562_527, 30_389_784, 579),
    "EfficientNetB6": (43_265_143, 43_040_704, 669),
    "EfficientNetB7": (66_658_687, 66_347_960, 816),
    "EfficientNetV2B0": (7_200_312, 7_139_704, 273),
    "EfficientNetV2B1": (8_212_124, 8_141_052, 337),
    "EfficientNetV2B2": (10_178_374, 10_096_086, 352),
    "EfficientNetV2B3": (14_467_622, 14_358_406, 412),
    "EfficientNetV2S": (21_612_360, 21_458_488, 516),
    "EfficientNetV2M": (54_431_388, 54_139_356, 743),
    "EfficientNetV2L": (119_027_848, 118_515_272, 1031),
    "ConvNeXtTiny": (28_589_128, 28_589_128, 135),
    "ConvNeXtSmall": (50_223_688, 50_223_688, 261),
    "ConvNeXtBase": (88_591_464, 88_591_464, 261),
    "ConvNeXtLarge": (197_767_336, 197_767_336, 261),
    "ConvNeXtXLarge": (350_196_968, 350_196_968, 261),
    "NASNetMobile": (5_326_716, 5_289_978, 771),
    "NASNetLarge": (88_949_818, 88_753_150, 1041),
}
# keras.io/api/applications, "Parameters" column (millions, rounded), for the models it lists
KERAS_IO_MILLIONS = {
    "Xception": 22.9, "VGG16": 138.4, "VGG19": 143.7, "ResNet50": 25.6, "ResNet50V2": 25.6, "ResNet101": 44.7,
    "ResNet101V2": 44.7, "ResNet152": 60.4, "ResNet152V2": 60.4, "InceptionV3": 23.9, "MobileNet": 4.3,
    "MobileNetV2": 3.5, "DenseNet121": 8.1, "NASNetMobile": 5.3, "EfficientNetV2B0": 7.2, "EfficientNetV2B1": 8.2,
    "EfficientNetV2B2": 10.2, "EfficientNetV2B3": 14.5, "EfficientNetV2S": 21.6, "EfficientNetV2M": 54.4,
    "EfficientNetV2L": 119.0,
}
FAST = {"ResNet50", "ResNet50V2", "MobileNet", "MobileNetV2", "MobileNetV3Small", "InceptionV3", "Xception",
        "DenseNet121", "EfficientNetB0", "EfficientNetV2B0", "ConvNeXtTiny", "NASNetMobile"}
FAMILY_SMALLEST = sorted(FAST | {"VGG16"})


def _count(weights) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= int(d)
        total += n
    return total


@pytest.mark.parametrize("name", [n if n in FAST else pytest.param(n, marks=pytest.mark.slow) for n in KERAS_3])
def test_parameter_and_layer_counts_match_keras_3(name, cheap_weights):
    model = getattr(applications, name)(weights=None)
    total, trainable, n_layers = KERAS_3[name]
    assert (_count(model.weights), _count(model.trainable_weights), len(model.layers)) == (total, trainable, n_layers)
    assert model.count_params() == total


def test_the_recorded_counts_agree_with_keras_io():
    for name, millions in KERAS_IO_MILLIONS.items():
        assert round(KERAS_3[name][0] / 1e6, 1) == millions, name


def test_every_recorded_model_is_exported():
    assert sorted(KERAS_3) == sorted(applications.__all__)


@pytest.mark.parity
@pytest.mark.parametrize("name", FAMILY_SMALLEST)
def test_layers_match_keras_3_one_by_one(name, cheap_weights):
    """Name, class, output shape and weight shapes of every layer, in order (the input layer's name aside)."""
    keras = pytest.importorskip("keras")
    keras.backend.clear_session()
    theirs = getattr(keras.applications, name)(weights=None)
    ours = getattr(applications, name)(weights=None)

    def describe(layer):
        shape = tuple(None if d is None else int(d) for d in layer.output.shape)
        return layer.name, type(layer).__name__, shape, [tuple(int(d) for d in w.shape) for w in layer.weights]

    mine = [describe(la) for la in ours.layers][1:]
    reference = [describe(la) for la in theirs.layers][1:]
    assert mine == reference
    assert ours.name == theirs.name
