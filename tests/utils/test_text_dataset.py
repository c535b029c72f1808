"""text_dataset_from_directory: a tf.data.Dataset of (texts, labels) batches with class_names and file_paths."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, utils


@pytest.fixture
def folder(tmp_path):
    for label, words in (("neg", "bad awful"), ("pos", "good great")):
        (tmp_path / label).mkdir()
        for i in range(6):
            (tmp_path / label / f"{i}.txt").write_text(f"{words} {i}")
    (tmp_path / "pos" / "notes.md").write_text("not a text file")
    return tmp_path


def test_classes_labels_and_batches(folder, capsys):
    ds = utils.text_dataset_from_directory(str(folder), batch_size=5, shuffle=False)
    assert "Found 12 files belonging to 2 classes." in capsys.readouterr().out
    assert isinstance(ds, tf.data.Dataset) and ds.class_names == ["neg", "pos"] and len(ds) == 3
    texts, labels = next(iter(ds))
    assert texts.dtype.name == "string" and texts.numpy()[0] == b"bad awful 0"
    assert labels.numpy().tolist() == [0, 0, 0, 0, 0]
    all_labels = np.concatenate([y.numpy() for _, y in ds])
    assert all_labels.tolist() == [0] * 6 + [1] * 6
    binary = utils.text_dataset_from_directory(str(folder), label_mode="binary", verbose=False, shuffle=False)
    assert next(iter(binary))[1].numpy().shape == (12, 1)
    cat = utils.text_dataset_from_directory(str(folder), label_mode="categorical", verbose=False, shuffle=False)
    assert next(iter(cat))[1].numpy().shape == (12, 2)
    single = utils.text_dataset_from_directory(str(folder), batch_size=None, verbose=False, shuffle=False)
    assert len(single) == 12 and next(iter(single))[0].numpy() == b"bad awful 0"
    short = utils.text_dataset_from_directory(str(folder), labels=None, max_length=3, verbose=False)
    assert all(len(t) <= 3 for batch in short for t in batch.numpy())


def test_validation_split_is_disjoint_and_seeded(folder):
    train, val = utils.text_dataset_from_directory(str(folder), validation_split=0.25, subset="both", seed=3,
                                                   verbose=False)
    assert len(train.file_paths) == 9 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    again = utils.text_dataset_from_directory(str(folder), validation_split=0.25, subset="validation", seed=3,
                                              verbose=False)
    assert again.file_paths == val.file_paths
    with pytest.raises(ValueError, match="seed"):
        utils.text_dataset_from_directory(str(folder), validation_split=0.25, subset="training")
    with pytest.raises(ValueError, match="label_mode"):
        utils.text_dataset_from_directory(str(folder), label_mode="sparse")


def test_the_keras_tutorial_pipeline_trains(folder):
    raw = utils.text_dataset_from_directory(str(folder), batch_size=4, seed=1, verbose=False)
    for text_batch, _labels in raw.take(1):
        assert len(text_batch.numpy()) == 4
    vectorize = layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(raw.map(lambda x, y: x))

    def vectorize_text(text, label):
        return vectorize(tf.expand_dims(text, -1)), label

    train = raw.map(vectorize_text).cache().prefetch(buffer_size=10)
    model = models.Sequential([layers.Input((4,)), layers.Embedding(20, 4), layers.GlobalAveragePooling1D(),
                               layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(train, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3  # every epoch saw the batches
    assert len(raw.skip(1)) == 2 and len(list(raw.unbatch())) == 12
