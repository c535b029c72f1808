"""Keras 2's iterators over image files: ``DirectoryIterator`` (``flow_from_directory``: one subfolder per class)
and ``DataFrameIterator`` (``flow_from_dataframe``: file names and labels in a pandas DataFrame).

Files are listed as Keras 2 lists them (class folders in sorted order, files sorted within each, subfolders
included), so ``filenames``, ``classes`` and ``class_indices`` match Keras', and ``subset`` takes the same slice of
each class (the first ``validation_split`` of every class folder is the validation subset). Each batch loads its
files with ``load_img`` (Pillow's resize, ``interpolation="nearest"`` by default, as Keras 2), then applies the
generator's random transform and standardisation.
"""
from __future__ import annotations

import os
import warnings
from typing import Any
from typing import Iterator as PyIterator

import numpy as np

from tensorlet.config import floatx, image_data_format
from tensorlet.preprocessing.image.image_files import img_to_array, load_img
from tensorlet.preprocessing.image.iterators import Iterator, save_batch


class FileIterator(Iterator):
    """What the file iterators share: image shape, colour mode, subset, and turning files into batches."""

    class_mode: Any
    classes: Any
    _filepaths: list[str]  # set by each subclass from its file list
    class_indices: dict[str, int]
    dtype: Any

    def _set_processing_attrs(self, image_data_generator: Any, target_size: Any, color_mode: str, data_format: str,
                              save_to_dir: str | None, save_prefix: str, save_format: str, subset: str | None,
                              interpolation: str, keep_aspect_ratio: bool) -> None:
        self.image_data_generator = image_data_generator
        self.target_size = tuple(int(v) for v in target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        if color_mode not in ("rgb", "rgba", "grayscale"):
            raise ValueError(f'Invalid color mode: {color_mode!r}; expected "rgb", "rgba", or "grayscale".')
        self.color_mode = color_mode
        self.data_format = data_format
        channels = {"rgba": 4, "rgb": 3, "grayscale": 1}[color_mode]
        self.image_shape = (self.target_size + (channels,) if data_format == "channels_last"
                            else (channels,) + self.target_size)
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.interpolation = interpolation
        self.split: tuple[float, float] | None = None
        if subset is not None:
            fraction = image_data_generator._validation_split if image_data_generator is not None else 0.0
            if subset == "validation":
                self.split = (0, fraction)
            elif subset == "training":
                self.split = (fraction, 1)
            else:
                raise ValueError(f'Invalid subset name: {subset!r}; expected "training" or "validation"')
        self.subset = subset

    @property
    def filepaths(self) -> list[str]:
        return self._filepaths

    @property
    def labels(self) -> Any:
        return self.classes

    @property
    def sample_weight(self) -> Any:
        return None

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray) -> Any:
        gen = self.image_data_generator
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        paths = self.filepaths
        for i, j in enumerate(index_array):
            img = load_img(paths[j], color_mode=self.color_mode, target_size=self.target_size,
                           interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
            x = img_to_array(img, data_format=self.data_format)
            img.close()
            if gen is not None:
                x = gen.standardize(gen.apply_transform(x, gen.get_random_transform(x.shape)))
            batch_x[i] = x
        if self.save_to_dir:
            save_batch(batch_x, index_array, self.data_format, self.save_to_dir, self.save_prefix, self.save_format,
                       1e7)
        mode = self.class_mode
        if mode == "input":
            batch_y: Any = batch_x.copy()
        elif mode in ("binary", "sparse"):
            batch_y = np.asarray([self.classes[k] for k in index_array], dtype=self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            for i, k in enumerate(index_array):
                batch_y[i, self.classes[k]] = 1.0
        elif mode == "multi_output":
            batch_y = [output[index_array] for output in self.labels]
        elif mode == "raw":
            batch_y = self.labels[index_array]
        else:
            return batch_x
        weights = self.sample_weight
        return (batch_x, batch_y) if weights is None else (batch_x, batch_y, weights[index_array])


def _valid_files(directory: str, formats: tuple[str, ...], follow_links: bool) -> PyIterator[tuple[str, str]]:
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda walked: walked[0]):
        for name in sorted(files):
            if name.lower().endswith(".tiff"):
                warnings.warn('Using ".tiff" files with multiple bands will cause distortion. Please verify your '
                              "output.", stacklevel=3)
            if name.lower().endswith(formats):
                yield root, name


def list_class_files(directory: str, formats: tuple[str, ...], split: tuple[float, float] | None,
                     follow_links: bool) -> list[str]:
    """The image files below one class folder (paths relative to its parent), the ``split`` fraction of them."""
    files = list(_valid_files(directory, formats, follow_links))
    if split:
        files = files[int(split[0] * len(files)):int(split[1] * len(files))]
    name = os.path.basename(directory)
    return [os.path.join(name, os.path.relpath(os.path.join(root, f), directory)) for root, f in files]


class DirectoryIterator(FileIterator):
    """Augmented batches from ``directory/<class>/<image files>`` (``ImageDataGenerator.flow_from_directory``).

    ``class_mode``: ``"categorical"`` (one-hot), ``"binary"`` (0/1 floats), ``"sparse"`` (class indices),
    ``"input"`` (the images again, for autoencoders) or None (images only). Attributes as Keras 2: ``filenames``,
    ``filepaths``, ``classes``, ``class_indices``, ``num_classes``, ``samples``.
    """

    allowed_class_modes = ("categorical", "binary", "sparse", "input", None)

    def __init__(self, directory: str, image_data_generator: Any, target_size: Any = (256, 256),
                 color_mode: str = "rgb", classes: Any = None, class_mode: str | None = "categorical",
                 batch_size: int = 32, shuffle: bool = True, seed: int | None = None, data_format: str | None = None,
                 save_to_dir: str | None = None, save_prefix: str = "", save_format: str = "png",
                 follow_links: bool = False, subset: str | None = None, interpolation: str = "nearest",
                 keep_aspect_ratio: bool = False, dtype: Any = None) -> None:
        self._set_processing_attrs(image_data_generator, target_size, color_mode, data_format or image_data_format(),
                                   save_to_dir, save_prefix, save_format, subset, interpolation, keep_aspect_ratio)
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {class_mode!r}; expected one of: {list(self.allowed_class_modes)}")
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"flow_from_directory: {directory!r} is not a directory")
        self.directory, self.class_mode, self.dtype = directory, class_mode, dtype or floatx()
        if not classes:
            classes = [d for d in sorted(os.listdir(directory)) if os.path.isdir(os.path.join(directory, d))]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        self.filenames: list[str] = []
        labels: list[int] = []
        for name in classes:
            found = list_class_files(os.path.join(directory, name), self.white_list_formats, self.split,
                                     follow_links)
            self.filenames += found
            labels += [self.class_indices[name]] * len(found)
        self.samples = len(self.filenames)
        self.classes = np.asarray(labels, dtype="int32")
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)


class DataFrameIterator(FileIterator):
    """Augmented batches from file names and labels in a pandas DataFrame (``flow_from_dataframe``).

    ``class_mode`` adds ``"raw"`` (the ``y_col`` values as they are) and ``"multi_output"`` (one target per column
    of a list ``y_col``) to the directory modes; ``weight_col`` gives sample weights; ``validate_filenames`` drops
    (with a warning) rows whose file does not exist or is not an image.
    """

    allowed_class_modes = ("binary", "categorical", "input", "multi_output", "raw", "sparse", None)

    def __init__(self, dataframe: Any, directory: str | None = None, image_data_generator: Any = None,
                 x_col: str = "filename", y_col: Any = "class", weight_col: str | None = None,
                 target_size: Any = (256, 256), color_mode: str = "rgb", classes: Any = None,
                 class_mode: str | None = "categorical", batch_size: int = 32, shuffle: bool = True,
                 seed: int | None = None, data_format: str = "channels_last", save_to_dir: str | None = None,
                 save_prefix: str = "", save_format: str = "png", subset: str | None = None,
                 interpolation: str = "nearest", keep_aspect_ratio: bool = False, dtype: Any = "float32",
                 validate_filenames: bool = True) -> None:
        self._set_processing_attrs(image_data_generator, target_size, color_mode, data_format, save_to_dir,
                                   save_prefix, save_format, subset, interpolation, keep_aspect_ratio)
        df = dataframe.copy()
        self.directory, self.class_mode, self.dtype = directory or "", class_mode, dtype
        self._check_params(df, x_col, y_col, weight_col, classes)
        if validate_filenames:
            df = self._filter_valid_filepaths(df, x_col)
        labelled = class_mode not in ("input", "multi_output", "raw", None)
        if labelled:
            df, classes = self._filter_classes(df, y_col, classes)
            self.class_indices = dict(zip(classes, range(len(classes))))
        if self.split:
            n = len(df)
            df = df.iloc[int(self.split[0] * n):int(self.split[1] * n), :]
        if labelled:
            self.classes = self._class_ids(df, y_col)
        self.filenames = df[x_col].tolist()
        self._sample_weight = df[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets: Any = [np.array(df[col].tolist()) for col in y_col]
        if class_mode == "raw":
            self._targets = df[y_col].values
        self.samples = len(self.filenames)
        checked = "validated" if validate_filenames else "non-validated"
        tail = f" belonging to {len(self.class_indices)} classes." if labelled else "."
        print(f"Found {self.samples} {checked} image filenames{tail}")
        self._filepaths = [os.path.join(self.directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _check_params(self, df: Any, x_col: str, y_col: Any, weight_col: str | None, classes: Any) -> None:
        mode = self.class_mode
        if mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {mode!r}; expected one of: {list(self.allowed_class_modes)}")
        if mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(f'If class_mode="multi_output", y_col must be a list. Received {type(y_col).__name__}.')
        if not all(df[x_col].apply(lambda v: isinstance(v, str))):
            raise TypeError(f"All values in column x_col={x_col} must be strings.")
        if mode in ("binary", "sparse") and not all(df[y_col].apply(lambda v: isinstance(v, str))):
            raise TypeError(f'If class_mode="{mode}", y_col="{y_col}" column values must be strings.')
        if mode == "binary":
            count = len(set(classes)) if classes else df[y_col].nunique()
            if count != 2:
                raise ValueError(f'If class_mode="binary" there must be 2 classes. Found {count} classes.')
        if mode == "categorical" and not all(df[y_col].apply(lambda v: isinstance(v, (str, list, tuple)))):
            raise TypeError(f'If class_mode="categorical", y_col="{y_col}" column values must be type string, list '
                            "or tuple.")
        if classes and mode in ("input", "multi_output", "raw", None):
            warnings.warn(f'`classes` will be ignored given the class_mode="{mode}"', stacklevel=3)
        if weight_col and not issubclass(df[weight_col].dtype.type, np.number):
            raise TypeError(f"Column weight_col={weight_col} must be numeric.")

    @staticmethod
    def _filter_classes(df: Any, y_col: str, classes: Any) -> tuple[Any, list[Any]]:
        df = df.copy()

        def keep(labels: Any, wanted: list[Any]) -> Any:
            if isinstance(labels, (list, tuple)):
                return [c for c in labels if c in wanted] or None
            if isinstance(labels, str):
                return labels if labels in wanted else None
            raise TypeError(f"Expect string, list or tuple but found {type(labels)} in {y_col} column ")

        if classes:
            wanted = list(dict.fromkeys(classes))
            df[y_col] = df[y_col].apply(lambda v: keep(v, wanted))
            found = wanted
        else:
            seen: set[Any] = set()
            for v in df[y_col]:
                seen.update(v) if isinstance(v, (list, tuple)) else seen.add(v)
            found = sorted(seen)
        return df.dropna(subset=[y_col]), found

    def _class_ids(self, df: Any, y_col: str) -> list[Any]:
        return [[self.class_indices[c] for c in v] if isinstance(v, (list, tuple)) else self.class_indices[v]
                for v in df[y_col]]

    def _filter_valid_filepaths(self, df: Any, x_col: str) -> Any:
        paths = df[x_col].map(lambda name: os.path.join(self.directory, name))
        mask = paths.apply(lambda p: p.lower().endswith(self.white_list_formats) and os.path.isfile(p))
        invalid = int((~mask).sum())
        if invalid:
            warnings.warn(f'Found {invalid} invalid image filename(s) in x_col="{x_col}". These filename(s) will be '
                          "ignored.", stacklevel=3)
        return df[mask]

    @property
    def labels(self) -> Any:
        return self._targets if self.class_mode in ("multi_output", "raw") else self.classes

    @property
    def sample_weight(self) -> Any:
        return self._sample_weight
