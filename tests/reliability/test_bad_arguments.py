"""Every mistake in the table (tests/reliability/bad_arguments.py) gets a ValueError/TypeError naming the argument
or layer, what was expected and what was given; every input form Keras accepts is accepted."""
from __future__ import annotations

import pytest

from tests.reliability.bad_arguments import cases, classify

pytest.importorskip("h5py")  # a few cases save and load files
CASES = cases()


def test_the_table_holds_at_least_83_mistakes():
    assert len(CASES) >= 83
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_mistake_gets_a_clear_error_and_a_valid_input_works(case):
    outcome, what = classify(case)
    assert outcome == "good", what
