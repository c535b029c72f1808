"""The notebook shell: magics honoured or skipped with one note, UsageError in blocks, display, get_ipython."""
from __future__ import annotations

import io
import os

import pytest

from tensorlet.compat.notebook_shell import NotebookShell, UsageError


@pytest.fixture
def shell():
    err = io.StringIO()
    sh = NotebookShell({"__name__": "__main__"}, stderr=err)
    sh.err = err
    return sh


def test_unknown_magic_inside_try_runs_the_except_branch_as_jupyter_off_colab(shell):
    shell.run_cell("try:\n    %tensorflow_version 2.x\n    IS_COLAB = True\nexcept Exception:\n"
                   "    IS_COLAB = False\n")
    assert shell.user_ns["IS_COLAB"] is False
    with pytest.raises(UsageError, match="Line magic function `%tensorflow_version` not found"):
        shell.run_cell("if True:\n    %tensorflow_version 2.x\n")


def test_top_level_unknown_magic_is_skipped_with_one_note(shell):
    shell.run_cell("%tensorflow_version 2.x\nx = 1\n")
    shell.run_cell("%tensorflow_version 2.x\n")
    assert shell.user_ns["x"] == 1
    assert shell.err.getvalue().count("skipped magic line: %tensorflow_version 2.x") == 1


def test_shell_commands_and_help_lines_are_skipped_with_notes(shell, capsys):
    shell.run_cell("!nvidia-smi\nfiles = !ls\nlen?\nn = len(files)\n")
    assert shell.user_ns["n"] == 0 and shell.user_ns["files"].s == ""
    notes = shell.err.getvalue()
    assert "skipped shell line: !nvidia-smi" in notes and "skipped help line: len?" in notes
    assert "skipped shell line: !ls (its output is an empty list)" in notes


def test_matplotlib_inline_and_load_ext_are_skipped(shell):
    shell.run_cell("%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n")
    assert shell.err.getvalue().count("skipped magic line") == 3


def test_time_magics_run_their_statement_or_cell(shell, capsys):
    shell.run_cell("%time a = 2 + 3\n")
    shell.run_cell("%%time\nb = a * 2\nb\n")
    t = shell.run_cell("t = %timeit -o c = a + 1\n")
    out = capsys.readouterr().out
    assert shell.user_ns["a"] == 5 and shell.user_ns["b"] == 10 and shell.user_ns["c"] == 6
    assert out.count("Wall time:") == 2 and "\n10\n" in out and t is None
    assert shell.user_ns["t"].loops == 1


def test_last_expression_is_displayed_unless_it_ends_with_a_semicolon(shell, capsys):
    shell.run_cell("x = [1, 2]\nx\n")
    shell.run_cell("x;  # hidden\n")
    shell.run_cell("display('shown', 3)\n")
    assert capsys.readouterr().out == "[1, 2]\n'shown'\n3\n"


def test_get_ipython_is_not_colab(shell):
    shell.run_cell("IN_COLAB = 'google.colab' in str(get_ipython())\n")
    assert shell.user_ns["IN_COLAB"] is False


def test_writefile_capture_env_and_cd(shell, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shell.run_cell("%%writefile helper.py\nVALUE = 41\n")
    shell.run_cell("%run helper.py\nresult = VALUE + 1\n")
    shell.run_cell("%%capture cap\nprint('quiet')\n")
    shell.run_cell("%env TENSORLET_TEST_ENV=yes\n")
    os.mkdir(tmp_path / "sub")
    shell.run_cell("%cd sub\nhere = %pwd\n")
    assert shell.user_ns["result"] == 42 and shell.user_ns["cap"].stdout == "quiet\n"
    assert os.environ.pop("TENSORLET_TEST_ENV") == "yes" and shell.user_ns["here"].endswith("sub")
    assert "Writing helper.py" in capsys.readouterr().out


def test_shell_and_display_cell_magics_are_skipped(shell):
    shell.run_cell("%%bash\nrm -rf /\n")
    shell.run_cell("%%html\n<b>hi</b>\n")
    assert "skipped shell cell: %%bash" in shell.err.getvalue()
    assert "skipped display cell: %%html" in shell.err.getvalue()


def test_tracebacks_show_the_cell_source(shell):
    import traceback

    try:
        shell.run_cell("x = 1\nraise ValueError('boom')\n", "nb.ipynb[cell 3]")
    except ValueError:
        text = traceback.format_exc()
    assert 'nb.ipynb[cell 3]", line 2' in text and "raise ValueError('boom')" in text


def test_notebook_defined_magics_run(shell, capsys):
    pytest.importorskip("IPython")
    shell.run_cell("from IPython.core.magic import register_cell_magic, register_line_magic\n"
                   "@register_cell_magic\ndef backend(line, cell):\n"
                   "    if line.split()[-1] == 'tensorflow':\n        get_ipython().run_cell(cell)\n"
                   "    else:\n        print('skipped for', line)\n"
                   "@register_line_magic\ndef shout(line):\n    return line.upper()\n")
    shell.run_cell("%%backend tensorflow\nran = True\n")
    shell.run_cell("%%backend jax\nran_jax = True\n")
    shell.run_cell("loud = %shout hello\n")
    assert shell.user_ns["ran"] and "ran_jax" not in shell.user_ns and shell.user_ns["loud"] == "HELLO"
    assert "skipped for jax" in capsys.readouterr().out


def test_registering_a_magic_of_an_unknown_kind_fails(shell):
    with pytest.raises(ValueError, match="magic_kind must be"):
        shell.register_magic_function(print, "block")
