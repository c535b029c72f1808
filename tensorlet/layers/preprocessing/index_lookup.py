"""IndexLookup: the base of StringLookup and IntegerLookup (tokens to indices, or back with ``invert``).

The table is a ``preprocessing.vocabulary.Vocabulary``; lookups run as a ``HostOp`` so that a model holding the
layer looks up every batch anew. Keras 3 ``.keras`` files keep an adapted vocabulary in the file's assets
(``vocabulary.txt``) and TF-IDF weights as the variable ``idf_weights``; a vocabulary given as a list stays in
the config.
"""
from __future__ import annotations

from typing import Any, cast

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import Layer
from tensorlet.layers.preprocessing.host_op import HostOp
from tensorlet.preprocessing import categorical, host
from tensorlet.preprocessing.vocabulary import Vocabulary, read_vocabulary_file, to_host

INT64_MAX = 2 ** 63 - 1  # the index of a mask token in a count/multi-hot output: dropped from the counts


class IndexLookup(Layer):
    """Map tokens to indices in a vocabulary (Keras' ``IndexLookup``; use StringLookup or IntegerLookup).

    Args:
        max_tokens: the largest vocabulary size (mask and OOV indices included); None for no limit.
        num_oov_indices: how many indices out-of-vocabulary tokens share (hashed or ``floormod`` over them).
        mask_token: the padding token (index 0 in "int" output, dropped in the other outputs); None for none.
        oov_token: the token an unknown index gives back with ``invert=True``.
        vocabulary: a list of tokens or the path of a file with one token per line (else ``adapt``).
        idf_weights: the inverse document frequencies of ``vocabulary`` for "tf_idf" output.
        invert: map indices back to tokens.
        output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
        pad_to_max_tokens: give the encoded outputs ``max_tokens`` columns whatever the vocabulary size.
        sparse: accepted for compatibility; the outputs are dense.
        oov_method, salt: with several OOV indices, "floormod" (integers) or "farmhash" (Fingerprint64, or SipHash
            with ``salt``).
    """

    _strings = True  # string (bytes) tokens; IntegerLookup sets False

    def __init__(self, max_tokens: int | None, num_oov_indices: int, mask_token: Any, oov_token: Any,
                 vocabulary_dtype: Any = None, vocabulary: Any = None, idf_weights: Any = None,
                 invert: bool = False, output_mode: str = "int", sparse: bool = False,
                 pad_to_max_tokens: bool = False, oov_method: str = "floormod", salt: Any = None,
                 **kwargs: Any) -> None:
        # the size a saved layer had: its encoded outputs keep that width until the vocabulary (an asset) is loaded
        self._saved_vocabulary_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("encoding", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(**kwargs)
        name = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{name}: if set, `max_tokens` must be greater than 1. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(f"{name}: `num_oov_indices` must be greater than or equal to 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{name}: `pad_to_max_tokens=True` needs `max_tokens`")
        self.output_mode = categorical.check_mode(output_mode, name)
        if invert and self.output_mode != "int":
            raise ValueError(f"{name}: `output_mode` must be 'int' when `invert` is true. Received: "
                             f"output_mode={output_mode}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{name}: `oov_method` must be 'floormod' or 'farmhash'. Received: "
                             f"oov_method={oov_method!r}")
        if salt is not None and oov_method != "farmhash":
            raise ValueError(f"{name}: `salt` can only be used with oov_method='farmhash'")
        self.max_tokens, self.num_oov_indices = max_tokens, int(num_oov_indices)
        self.mask_token, self.oov_token = mask_token, oov_token
        self.invert, self.sparse, self.pad_to_max_tokens = bool(invert), bool(sparse), bool(pad_to_max_tokens)
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = None if salt is None else ([salt, salt] if isinstance(salt, int) else list(salt))
        self._vocab = Vocabulary(self._strings, mask_token, oov_token, self.num_oov_indices, max_tokens,
                                 mask_index=self.output_mode == "int", oov_method=oov_method, salt=self.salt)
        self._has_input_vocabulary = bool(has_input_vocabulary)
        self.input_vocabulary = None if isinstance(vocabulary, str) else _listify(vocabulary)
        self.input_idf_weights = _listify(idf_weights)
        self._idf: Any = None
        if self.output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(f"{name}: with a `vocabulary` in 'tf_idf' output mode, `idf_weights` must be given too")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- the vocabulary --------------------------------------------------------------------------------------
    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Use ``vocabulary`` (a list, array, tensor or file path) and, for "tf_idf", its ``idf_weights``."""
        name = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{name}: `idf_weights` must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{name}: `idf_weights` should only be set if output_mode is 'tf_idf'. Received: "
                             f"output_mode={self.output_mode}")
        if isinstance(vocabulary, str):
            import os

            from tensorlet.saving.serialization import loading_in_safe_mode

            if loading_in_safe_mode():
                raise ValueError(f"{name}: loading the vocabulary file {vocabulary!r} from outside the model file is "
                                 "refused in safe mode; pass safe_mode=False if you trust its source.")
            if not os.path.exists(vocabulary):
                raise ValueError(f"{name}: vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError(f"{name}: output_mode 'tf_idf' does not support loading a vocabulary from file.")
            vocabulary = read_vocabulary_file(vocabulary, self._strings)
        values = to_host(vocabulary)
        values = values.reshape(-1).tolist() if hasattr(values, "reshape") else list(values)
        found = self._vocab.set_tokens(values)
        if self.output_mode == "tf_idf":
            xp = host.xp()  # the IDF weights are host data of the host lookup
            idf = xp.asarray(to_host(idf_weights), dtype=xp.float32).reshape(-1)
            if idf.size != len(values):
                raise ValueError(f"{name}: `idf_weights` must be the same length as the vocabulary; "
                                 f"len(idf_weights) is {idf.size}, len(vocabulary) is {len(values)}")
            from tensorlet.preprocessing.vocabulary import idf_with_special

            pad = self.max_tokens if self.pad_to_max_tokens else None
            self._idf = idf if found and pad is None else idf_with_special(
                idf[self._vocab.token_start:] if found else idf, self._vocab.token_start, pad)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The tokens in index order (with the mask and OOV tokens first, unless asked otherwise)."""
        return self._vocab.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The size of the vocabulary, mask and OOV indices included."""
        return self._vocab.size()

    @property
    def idf_weights(self) -> Any:
        return None if self._idf is None else _wrap(self._idf)

    # -- adapt -----------------------------------------------------------------------------------------------
    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary from ``data``: an array, list or tensor, or any iterable of batches (a generator,
        a tf.data Dataset), of which at most ``steps`` batches are read."""
        self.reset_state()
        for batch in _batches(data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via the "
                             "`vocabulary` argument or `set_vocabulary()`.")
        self._vocab.update(self._adapt_tokens(data), documents=self.output_mode == "tf_idf")

    def _adapt_tokens(self, data: Any) -> Any:
        return data

    def finalize_state(self) -> None:
        if self._has_input_vocabulary:
            return
        pad = self.max_tokens if self.pad_to_max_tokens else None
        idf = self._vocab.finalize(self.output_mode == "tf_idf", pad)
        if idf is not None:
            self._idf = idf

    def reset_state(self) -> None:
        self._vocab.reset_counts()

    # -- the lookup ------------------------------------------------------------------------------------------
    def _depth(self) -> int:
        if self.pad_to_max_tokens:  # __init__ required max_tokens with it
            return int(cast(int, self.max_tokens))
        if not self._vocab.tokens and self._saved_vocabulary_size:
            return int(self._saved_vocabulary_size)
        return self._vocab.size()

    def _lookup(self, values: Any) -> Any:
        """Host lookup of an array of tokens (or indices with ``invert``)."""
        if self.invert:
            return self._vocab.invert(values)
        if self.output_mode != "tf_idf" and self.output_mode != "int" and not self.pad_to_max_tokens and \
                self._vocab.size() <= self._vocab.token_start:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you must "
                               f"set the vocabulary of layer '{self.name}' before calling it: pass `vocabulary` or "
                               "call `adapt`.")
        mask_value = 0 if self.output_mode == "int" else INT64_MAX
        indices = self._vocab.lookup(values, mask_value)
        if self.output_mode == "int":
            return indices
        if self.output_mode == "tf_idf" and self._idf is None:
            raise ValueError(f"Layer '{self.name}': in 'tf_idf' output mode, call `adapt` or give `idf_weights` "
                             "first")
        return categorical.encode(indices, self.output_mode, self._depth(), weights=self._idf, layer=self.name)

    def _host_inputs(self, inputs: Any) -> Tensor:
        return inputs if isinstance(inputs, Tensor) else _wrap(backend.xp().asarray(
            to_host(inputs), dtype=object if self._strings and not self.invert else None))

    def call(self, inputs: Any) -> Any:
        return HostOp(self._lookup, type(self).__name__)(self._host_inputs(inputs))

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        depth = self._depth()
        if self.output_mode == "one_hot":
            return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (depth,)
        return shape[:-1] + (depth,)

    def _output_dtype(self, inputs: Any) -> str:
        if self.invert:
            return "string" if self._strings else "int64"
        return "int64" if self.output_mode == "int" else "float32"

    # -- saving ----------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({
            "invert": self.invert, "max_tokens": self.max_tokens, "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token, "mask_token": self.mask_token, "output_mode": self.output_mode,
            "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype, "idf_weights": self.input_idf_weights,
            "vocabulary": self.input_vocabulary, "vocabulary_size": self.vocabulary_size(),
            "oov_method": self.oov_method, "salt": self.salt})
        return config

    def save_own_variables(self, store: Any) -> None:
        """Keras 3's variables of a lookup layer: the TF-IDF weights, as ``idf_weights``."""
        if self.output_mode == "tf_idf" and self._idf is not None:
            store["idf_weights"] = self._idf

    def load_own_variables(self, store: Any) -> None:
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            xp = host.xp()  # the IDF weights are host data of the host lookup
            self._idf = xp.asarray(store["idf_weights"], dtype=xp.float32)

    def save_assets(self, dir_path: str) -> None:
        """An adapted vocabulary goes to ``vocabulary.txt`` (one token per line), as Keras 3 writes it."""
        if self.input_vocabulary is not None:  # in the config already
            return
        import os

        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(v) for v in self.get_vocabulary(include_special_tokens=True)))

    def load_assets(self, dir_path: str) -> None:
        if self.input_vocabulary is not None:
            return
        import os

        path = os.path.join(dir_path, "vocabulary.txt")
        if not os.path.exists(path):
            return
        values = read_vocabulary_file(path, self._strings)
        idf = self._idf
        self._has_input_vocabulary = False
        self._vocab.set_tokens(values)
        self._idf = idf


def _listify(x: Any) -> Any:
    if x is None:
        return None
    host = to_host(x)
    values = host.tolist() if hasattr(host, "tolist") else list(host)
    return [v.decode("utf-8") if isinstance(v, bytes) else v for v in values]


def _batches(data: Any, steps: int | None) -> Any:
    """The batches of ``adapt``'s data: the data itself when it is an array, list or tensor, else its items
    (a generator, a tf.data Dataset), at most ``steps`` of them."""
    from tensorlet.ragged.ragged_tensor import RaggedTensor

    if isinstance(data, (list, tuple, Tensor, RaggedTensor, str, bytes)) or hasattr(data, "shape"):
        yield data
        return
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        yield batch
