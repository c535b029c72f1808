"""Keras' image preprocessing on the host: image files (``load_img``, ``img_to_array``, ``array_to_img``,
``save_img``), ``smart_resize``, ``image_dataset_from_directory``, and Keras 2's ``ImageDataGenerator`` with its
iterators and single-image augmentation functions. The public spellings are in
``tensorlet.keras.preprocessing.image`` and ``tensorlet.keras.utils``."""
from tensorlet.preprocessing.image.affine import (
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
    transform_matrix_offset_center,
)
from tensorlet.preprocessing.image.dataset_from_directory import image_dataset_from_directory
from tensorlet.preprocessing.image.file_iterators import DataFrameIterator, DirectoryIterator
from tensorlet.preprocessing.image.image_data_generator import ImageDataGenerator
from tensorlet.preprocessing.image.image_files import array_to_img, img_to_array, load_img, save_img
from tensorlet.preprocessing.image.iterators import Iterator, NumpyArrayIterator
from tensorlet.preprocessing.image.smart_resize import smart_resize

__all__ = ["DataFrameIterator", "DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator",
           "apply_affine_transform", "apply_brightness_shift", "apply_channel_shift", "array_to_img",
           "image_dataset_from_directory", "img_to_array", "load_img", "random_brightness", "random_channel_shift",
           "random_rotation", "random_shear", "random_shift", "random_zoom", "save_img", "smart_resize",
           "transform_matrix_offset_center"]
