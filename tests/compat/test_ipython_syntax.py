"""IPython cell syntax rewritten at the tokenizer level: statements starting lines only, literals untouched."""
from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from tensorlet.compat.ipython_syntax import SHELL, split_cell_magic, transform_cell


def test_shell_lines_and_shell_assignments():
    assert transform_cell("!pip install x\n") == f"{SHELL}.system('pip install x')\n"
    assert transform_cell("files = !ls -la\n") == f"files = {SHELL}.getoutput('ls -la')\n"
    assert transform_cell("a, b = !echo hi\n") == f"a, b = {SHELL}.getoutput('echo hi')\n"


def test_backslash_continues_a_shell_or_magic_line():
    source = "!wget --no-check-certificate \\\n    https://host/data.zip \\\n    -O /tmp/data.zip\nx = 1\n"
    assert transform_cell(source) == (
        f"{SHELL}.system('wget --no-check-certificate  https://host/data.zip  -O /tmp/data.zip')\nx = 1\n")
    assert transform_cell("y = (1 +\\\n     2)\n") == "y = (1 +\\\n     2)\n"


def test_line_magics_record_whether_they_are_indented():
    assert transform_cell("%matplotlib inline\n") == f"{SHELL}.run_line_magic('matplotlib', 'inline', False)\n"
    out = transform_cell("try:\n    %tensorflow_version 2.x\nexcept Exception:\n    pass\n")
    assert f"    {SHELL}.run_line_magic('tensorflow_version', '2.x', True)\n" in out
    assert transform_cell("t = %timeit -o f()\n") == f"t = {SHELL}.run_line_magic('timeit', '-o f()', False)\n"


def test_help_lines_in_their_three_forms():
    assert transform_cell("np.zeros?\n") == f"{SHELL}.pinfo('np.zeros', False)\n"
    assert transform_cell("np.zeros??\n") == f"{SHELL}.pinfo('np.zeros', True)\n"
    assert transform_cell("?len\n") == f"{SHELL}.pinfo('len', False)\n"


def test_literals_comments_continuations_and_operators_are_left_alone():
    source = ('print("hello!", "50%?")  # really?\n'
              's = """\n!not a command\n%not a magic\nwhat?\n"""\n'
              'x = (10\n     % 3)\n'
              'y = 3 \\\n    % 2\n'
              'd = "%d" % 3\n'
              'ok = a != b\n')
    assert transform_cell(source) == source
    ast.parse(transform_cell(source))


def test_cell_magic_wraps_the_whole_body():
    assert split_cell_magic("\n%%time\nx = 1\nx\n") == ("time", "", "x = 1\nx\n")
    assert transform_cell("%%writefile -a out.py\nprint(1)\n") == (
        f"{SHELL}.run_cell_magic('writefile', '-a out.py', 'print(1)\\n')\n")
    assert split_cell_magic("x = 1\n%%time\n") is None


@given(st.text(alphabet="!%?=ab #'\"", max_size=12))
def test_string_literals_are_never_rewritten(text):
    line = f"value = {text!r}  # {text.replace(chr(10), ' ')}\n"
    assert transform_cell(line) == line


@given(st.lists(st.sampled_from(["!ls", "%time x = 1", "x = 1", "files = !ls", "np.zeros?", "if x:",
                                 "    %tensorflow_version 2.x", "    y = 2", "print('a!b')"]), max_size=8))
def test_rewritten_cells_are_valid_python(lines):
    source = "\n".join(lines) + "\n"
    try:
        ast.parse(source.replace("!ls", "x").replace("%time ", "").replace("np.zeros?", "x")
                  .replace("    %tensorflow_version 2.x", "    pass"))
    except SyntaxError:
        return  # only cells that are valid once the IPython syntax is removed
    ast.parse(transform_cell(source))


def test_a_cell_indented_as_a_whole_is_dedented_as_ipython_does():
    assert transform_cell("  model = 1\n  model += 1\n") == "model = 1\nmodel += 1\n"
    assert transform_cell("\n for x in y:\n     print(x)\n") == "for x in y:\n    print(x)\n"
    ast.parse(transform_cell("  if x:\n      !ls\n"))


def test_cell_magic_may_follow_comment_lines():
    assert split_cell_magic("# EXERCISE\n%%bash --bg\nnohup server &\n") == ("bash", "--bg", "nohup server &\n")
