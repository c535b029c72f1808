"""``scan`` and ``reduce``: a state carried through the elements by a user function (traced like ``map``)."""
from __future__ import annotations

from typing import Any, Callable, Iterator

from tensorlet import tree
from tensorlet.data import structure
from tensorlet.data.chunk import MAX_ROWS, Chunk, from_rows, row
from tensorlet.data.dataset import Dataset
from tensorlet.data.element_function import ElementFunction
from tensorlet.data.iterator import IterContext
from tensorlet.data.mapping import first_components


def _state_function(fn: Callable[..., Any], initial_state: Any, dataset: Dataset, what: str,
                    with_output: bool) -> tuple[list[Any], ElementFunction, Any]:
    """The initial state's components, and the function over ``(state, element)`` (its state spec relaxed to
    unknown dimensions where the function changes the state's shape, as TensorFlow retraces it)."""
    state = structure.normalize(initial_state, f"{what}: initial_state")
    state_spec = structure.spec_of_element(state)
    peek = first_components(dataset)
    for _ in range(2):
        spec = (state_spec, dataset.element_spec)
        function = ElementFunction(fn, spec, what, lambda: _with_state(tree.flatten(state), peek()))
        out = function.output_spec
        if with_output:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(f"{what}: `scan_func` must return a pair (new_state, output_element), got {out!r}")
            new_state_spec = out[0]
        else:
            new_state_spec = out
        try:
            relaxed = structure.most_specific_compatible(state_spec, new_state_spec, what)
        except TypeError:
            raise TypeError(f"{what}: the function's new state {new_state_spec!r} does not match the structure "
                            f"and dtypes of the initial state {state_spec!r}") from None
        if relaxed == state_spec:
            return tree.flatten(state), function, state_spec
        state_spec = relaxed
    return tree.flatten(state), function, state_spec


def _with_state(state: list[Any], element: list[Any] | None) -> list[Any] | None:
    return None if element is None else state + element


class ScanDataset(Dataset):
    _repr_name = "_ScanDataset"

    def __init__(self, input_dataset: Dataset, initial_state: Any, scan_func: Callable[..., Any]) -> None:
        self._input = input_dataset
        self._state, self._fn, state_spec = _state_function(scan_func, initial_state, input_dataset,
                                                            "Dataset.scan", True)
        self._n_state = len(tree.flatten(state_spec))
        super().__init__([input_dataset], self._fn.output_spec[1])

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        state = list(self._state)
        ns = self._n_state
        width = len(tree.flatten(self._spec))
        for chunk in self._input._chunks(ctx):
            outputs = []
            for i in range(chunk.n):
                out = self._fn.apply(state + row(chunk, i))
                state = list(out[:ns])
                outputs.append(out[ns:])
                if len(outputs) >= MAX_ROWS:
                    yield from_rows(outputs, width)
                    outputs = []
            if outputs:
                yield from_rows(outputs, width)


def reduce_dataset(dataset: Dataset, initial_state: Any, reduce_func: Callable[..., Any]) -> Any:
    state, fn, state_spec = _state_function(reduce_func, initial_state, dataset, "Dataset.reduce", False)
    ctx = IterContext()
    for chunk in dataset._chunks(ctx):
        for i in range(chunk.n):
            state = list(fn.apply(state + row(chunk, i)))
    return structure.packer(state_spec)([structure.public(c) for c in state])
