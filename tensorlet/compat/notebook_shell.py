"""The shell behind a notebook run: what ``get_ipython()`` returns, and what IPython's rewritten syntax calls.

It runs the cells in one namespace, accepts the notebook's own magics (``@register_cell_magic``), and implements
the magics a script can honour (``%time``/``%%time``,
``%timeit`` run once, ``%cd``, ``%env``, ``%run``, ``%%writefile``, ``%%capture``). Shell commands, help lines,
display-only magics and IPython-only settings (``%matplotlib inline``, ``%load_ext``, ``%pip``) are skipped with one
note on stderr each. A magic IPython would not know off Colab (``%tensorflow_version``) raises ``UsageError``
inside a block, so a ``try:``/``except`` around it takes the branch it takes in Jupyter; at the top of a cell it
is skipped with a note.
"""
from __future__ import annotations

import ast
import contextlib
import io
import linecache
import os
import runpy
import shlex
import sys
import time
import tokenize
from types import SimpleNamespace
from typing import Any

from tensorlet.compat.ipython_syntax import SHELL, transform_cell

_SKIPPED_LINE_MAGICS = {
    "matplotlib", "load_ext", "reload_ext", "unload_ext", "autoreload", "aimport", "config", "pip", "conda",
    "tensorboard", "who", "whos", "who_ls", "precision", "pylab", "history", "alias", "xmode", "lsmagic", "ls",
    "mkdir", "rm", "cp", "mv", "cat", "clear", "colors", "doctest_mode", "automagic", "magic", "reset",
    "reset_selective", "store", "bookmark", "dhist", "dirs", "pushd", "popd", "page", "pdb", "debug", "tb",
    "prun", "load", "save", "notebook", "qtconsole", "connect_info", "killbgscripts", "sx", "system", "sc",
    "pinfo", "pinfo2", "psearch", "pdef", "pdoc", "psource", "pfile", "recall", "rerun", "macro", "edit", "logstart",
    "logstop", "logon", "logoff", "logstate", "autocall", "autoawait", "gui", "matplotlib_inline", "env_list",
    "shell", "memit", "mprun", "lprun", "watermark", "version_information", "sql",
}
_SHELL_CELL_MAGICS = {"bash", "sh", "script", "system", "!", "shell", "perl", "ruby", "cmd", "powershell"}
_DISPLAY_CELL_MAGICS = {"html", "HTML", "javascript", "js", "latex", "markdown", "svg", "sql"}
_BODY_CELL_MAGICS = {"time", "timeit", "prun", "memit", "capture", "debug", "lprun", "mprun", "python", "python3"}


class UsageError(Exception):
    """What IPython raises for a magic it does not know."""


class ShellOutput(list):
    """The value of ``files = !ls``: a list of lines with IPython's ``.s``/``.n``/``.l`` views."""

    @property
    def s(self) -> str:
        return " ".join(self)

    @property
    def n(self) -> str:
        return "\n".join(self)

    @property
    def l(self) -> list[str]:  # noqa: E743 - IPython's name
        return list(self)


class NotebookShell:
    """Runs notebook cells in one namespace, the way a Jupyter kernel off Colab would."""

    def __init__(self, namespace: dict[str, Any], stderr: Any = None) -> None:
        self.user_ns = namespace
        self._stderr = stderr
        self._noted: set[str] = set()
        self._cells = 0
        self._user_magics: dict[tuple[str, str], Any] = {}
        namespace.setdefault("get_ipython", self.get_ipython)
        namespace.setdefault("display", display)
        namespace[SHELL] = self

    def get_ipython(self) -> NotebookShell:
        return self

    def __repr__(self) -> str:
        return "<tensorlet notebook shell (not IPython, not Colab)>"

    # -- notes -----------------------------------------------------------------------------------------------
    def note(self, text: str) -> None:
        """Print ``# tensorlet: text`` on stderr, once per distinct text."""
        if text not in self._noted:
            self._noted.add(text)
            print(f"# tensorlet: {text}", file=self._stderr or sys.stderr)

    # -- running cells ---------------------------------------------------------------------------------------
    def run_cell(self, source: str, name: str | None = None) -> Any:
        """Run one cell; as in Jupyter, the value of a final expression (without ``;``) is displayed."""
        self._cells += 1
        name = name or f"<cell {self._cells}>"
        code = transform_cell(source)
        linecache.cache[name] = (len(code), None, code.splitlines(keepends=True), name)
        tree = ast.parse(code, name)
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr):
            tree.body.pop()
        else:
            last = None
        exec(compile(tree, name, "exec"), self.user_ns)  # noqa: S102 - running the user's own notebook is the point
        if not isinstance(last, ast.Expr):
            return None
        value = eval(compile(ast.Expression(last.value), name, "eval"), self.user_ns)  # noqa: S307
        if value is not None and not _ends_with_semicolon(code) and not _is_magic_call(last):
            print(repr(value))
        return value

    # -- the calls IPython syntax turns into -----------------------------------------------------------------
    def system(self, cmd: str) -> None:
        self.note(f"skipped shell line: !{cmd}")

    def getoutput(self, cmd: str) -> ShellOutput:
        self.note(f"skipped shell line: !{cmd} (its output is an empty list)")
        return ShellOutput()

    def pinfo(self, target: str, detail: bool = False) -> None:
        self.note(f"skipped help line: {target}{'??' if detail else '?'}")

    def register_magic_function(self, func: Any, magic_kind: str = "line", magic_name: str | None = None) -> None:
        """What IPython's ``@register_line_magic``/``@register_cell_magic`` call: the notebook's own magics."""
        if magic_kind not in ("line", "cell", "line_cell"):
            raise ValueError(f"magic_kind must be 'line', 'cell' or 'line_cell', got {magic_kind!r}")
        kinds = ("line", "cell") if magic_kind == "line_cell" else (magic_kind,)
        for kind in kinds:
            self._user_magics[(kind, magic_name or func.__name__)] = func

    def run_line_magic(self, name: str, line: str, indented: bool = False) -> Any:
        if ("line", name) in self._user_magics:
            return self._user_magics[("line", name)](line)
        handler = getattr(self, f"_magic_{name}", None)
        if handler is not None:
            return handler(line)
        if name in _SKIPPED_LINE_MAGICS:
            self.note(f"skipped magic line: %{name} {line}".rstrip())
            return None
        if indented:
            raise UsageError(f"Line magic function `%{name}` not found.")
        args = f" {line}" if line else ""
        self.note(f"skipped magic line: %{name}{args} (IPython off Colab does not know %{name})")
        return None

    def run_cell_magic(self, name: str, line: str, body: str) -> Any:
        if ("cell", name) in self._user_magics:
            return self._user_magics[("cell", name)](line, body)
        if name in ("time", "timeit"):
            start = time.perf_counter()
            value = self.run_cell(body)
            print(f"Wall time: {_format_seconds(time.perf_counter() - start)}")
            return value if name == "time" else None
        if name == "capture":
            return self._capture(line, body)
        if name == "writefile":
            return self._writefile(line, body)
        if name in _BODY_CELL_MAGICS:
            return self.run_cell(body)
        kind = "shell" if name in _SHELL_CELL_MAGICS else "display" if name in _DISPLAY_CELL_MAGICS else "unknown"
        self.note(f"skipped {kind} cell: %%{name} {line}".rstrip())
        return None

    # -- line magics a script can honour ---------------------------------------------------------------------
    def _magic_time(self, line: str) -> Any:
        start = time.perf_counter()
        value = self._run_statement(line)
        print(f"Wall time: {_format_seconds(time.perf_counter() - start)}")
        return value

    def _magic_timeit(self, line: str) -> Any:
        """Run the statement once (not IPython's many loops: a training step may take minutes) and report it."""
        args = line.split()
        keep = "-o" in args
        statement = " ".join(a for a in args if not (a.startswith("-") and len(a) <= 3 and a[1:2].isalpha()))
        start = time.perf_counter()
        self._run_statement(statement)
        elapsed = time.perf_counter() - start
        print(f"{_format_seconds(elapsed)} (1 run; tensorlet runs %timeit once)")
        return SimpleNamespace(average=elapsed, best=elapsed, worst=elapsed, all_runs=[elapsed], loops=1) \
            if keep else None

    def _magic_cd(self, line: str) -> None:
        path = os.path.expanduser(line.strip().strip("'\"") or "~")
        os.chdir(path)
        print(os.getcwd())

    def _magic_pwd(self, line: str) -> str:
        return os.getcwd()

    def _magic_env(self, line: str) -> Any:
        line = line.strip()
        if not line:
            return dict(os.environ)
        if "=" in line:
            key, _, value = line.partition("=")
        elif " " in line:
            key, _, value = line.partition(" ")
        else:
            return os.environ.get(line)
        os.environ[key.strip()] = value.strip()
        print(f"env: {key.strip()}={value.strip()}")
        return None

    def _magic_run(self, line: str) -> None:
        """``%run script.py args``: run the script as __main__ and keep its globals, as IPython does."""
        args = shlex.split(line)
        args = [a for a in args if not (a.startswith("-") and len(a) == 2)]
        if not args:
            raise UsageError("%run: give a script to run")
        saved = sys.argv
        sys.argv = args
        try:
            self.user_ns.update(runpy.run_path(args[0], run_name="__main__"))
        finally:
            sys.argv = saved

    # -- helpers ---------------------------------------------------------------------------------------------
    def _run_statement(self, code: str) -> Any:
        tree = ast.parse(code.strip() or "pass", "<magic>")
        if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
            return eval(compile(ast.Expression(tree.body[0].value), "<magic>", "eval"), self.user_ns)  # noqa: S307
        exec(compile(tree, "<magic>", "exec"), self.user_ns)  # noqa: S102
        return None

    def _capture(self, line: str, body: str) -> None:
        args = [a for a in line.split() if not a.startswith("-")]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            self.run_cell(body)
        if args:
            self.user_ns[args[0]] = SimpleNamespace(stdout=out.getvalue(), stderr=err.getvalue(),
                                                    show=lambda: print(out.getvalue(), end=""))

    def _writefile(self, line: str, body: str) -> None:
        args = shlex.split(line)
        append = "-a" in args or "--append" in args
        paths = [a for a in args if not a.startswith("-")]
        if not paths:
            raise UsageError("%%writefile: give a file name")
        existed = os.path.exists(paths[0])
        with open(paths[0], "a" if append else "w", encoding="utf-8") as f:
            f.write(body)
        print(f"{'Appending to' if append else 'Overwriting' if existed else 'Writing'} {paths[0]}")


def _is_magic_call(node: ast.Expr) -> bool:
    """Whether a cell's last expression is a rewritten magic (whose value IPython shows only for some magics)."""
    call = node.value
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id == SHELL
            and call.func.attr in ("system", "pinfo", "run_cell_magic"))


def _ends_with_semicolon(code: str) -> bool:
    """Jupyter hides the value of a cell whose last statement ends with ';' (comments aside)."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER,
                                    tokenize.DEDENT, tokenize.INDENT)]
    except (tokenize.TokenError, SyntaxError):
        return False
    return bool(tokens) and tokens[-1].string == ";"


def _format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def display(*objs: Any, **kwargs: Any) -> None:
    """Jupyter's ``display``: show each object's text form (its repr, as a notebook's plain-text output)."""
    for obj in objs:
        print(repr(obj))
