"""IPython's cell syntax rewritten into plain Python calls on a shell object, as IPython's own input transformers do.

A line that starts a statement (not inside a string, a bracket or a backslash continuation: Python's tokenizer
decides) is rewritten when it is

- ``!cmd``                      -> ``SHELL.system('cmd')``
- ``target = !cmd``             -> ``target = SHELL.getoutput('cmd')``
- ``%magic args``               -> ``SHELL.run_line_magic('magic', 'args', indented)``
- ``target = %magic args``      -> ``target = SHELL.run_line_magic('magic', 'args', indented)``
- ``obj?``, ``obj??``, ``?obj`` -> ``SHELL.pinfo('obj', detail)``

A shell or magic line ending in a backslash continues on the next line, and a cell whose first line is indented
loses that indent on every line, as in IPython.

and a cell whose first line is ``%%magic args`` becomes ``SHELL.run_cell_magic('magic', 'args', body)``.
``indented`` tells the shell whether the magic sits inside a block (``try:``), where an unknown magic raises as
IPython's UsageError does. String literals and comments holding ``!``, ``%`` or ``?`` are never touched.
"""
from __future__ import annotations

import io
import tokenize

SHELL = "__tensorlet_ipython__"


def _inside_statement(code: str) -> bool:
    """True when ``code`` ends inside an open string, bracket or backslash continuation."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(code).readline):
            pass
    except tokenize.TokenError as e:
        return "EOF in multi-line" in str(e.args[0])
    except (SyntaxError, IndentationError):
        return False
    return False


def _compiles(code: str, mode: str) -> bool:
    try:
        compile(code, "<ipython-syntax>", mode)
    except (SyntaxError, ValueError):
        return False
    return True


def _ends_in_comment(expr: str) -> bool:
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(expr + "\n").readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError):
        return True
    return bool(tokens) and tokens[-1].type == tokenize.COMMENT


def _help_target(content: str) -> tuple[str, bool] | None:
    """('obj', detail) for ``obj?``/``obj??``/``?obj``/``??obj``, else None."""
    text = content.rstrip()
    if text.startswith("?"):
        target = text.lstrip("?")
        detail = text.startswith("??")
    elif text.endswith("?"):
        target = text.rstrip("?")
        detail = text.endswith("??")
        if _ends_in_comment(target):  # `x = 1  # really?`
            return None
    else:
        return None
    target = target.strip()
    return (target, detail) if target and _compiles(target, "eval") else None


def _assignment(content: str) -> tuple[str, str] | None:
    """(target, '!cmd' or '%magic args') for ``target = !cmd`` / ``target = %magic``, else None."""
    for i, ch in enumerate(content):
        if ch != "=":
            continue
        target, rest = content[:i].rstrip(), content[i + 1:].lstrip()
        if not rest.startswith(("!", "%")) or not target or target[-1] in "=!<>+-*/%&|^:@":
            continue
        if not _ends_in_comment(target) and _compiles(f"{target} = None", "exec"):
            return target, rest
    return None


def _magic_call(text: str, indented: bool) -> str:
    name, _, args = text.lstrip("%").partition(" ")
    return f"{SHELL}.run_line_magic({name!r}, {args.strip()!r}, {indented!r})"


def _candidate(content: str) -> bool:
    """A cheap test before tokenizing: could this line hold IPython syntax at all?"""
    return (content.startswith(("!", "%", "?")) or content.rstrip().endswith("?")
            or ("=" in content and ("!" in content or "%" in content)))


def _rewrite(line: str) -> str | None:
    body = line.rstrip("\r\n")
    newline = line[len(body):] or "\n"
    content = body.lstrip()
    indent = body[: len(body) - len(content)]
    indented = bool(indent)
    if content.startswith("!"):
        return f"{indent}{SHELL}.system({content[1:].strip()!r}){newline}"
    if content.startswith("%"):
        return f"{indent}{_magic_call(content, indented)}{newline}"
    assigned = _assignment(content)
    if assigned is not None:
        target, rest = assigned
        call = (f"{SHELL}.getoutput({rest[1:].strip()!r})" if rest.startswith("!")
                else _magic_call(rest, indented))
        return f"{indent}{target} = {call}{newline}"
    helped = _help_target(content)
    if helped is not None:
        return f"{indent}{SHELL}.pinfo({helped[0]!r}, {helped[1]!r}){newline}"
    return None


def split_cell_magic(source: str) -> tuple[str, str, str] | None:
    """(name, args, body) when the cell's first line that is neither blank nor a comment is ``%%name args``."""
    lines = source.splitlines(keepends=True)
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    if not lines or not lines[0].startswith("%%"):
        return None
    name, _, args = lines[0][2:].strip().partition(" ")
    return name, args.strip(), "".join(lines[1:])


def strip_leading_indent(source: str) -> str:
    """IPython's leading-indent rule: when the first line is indented, that indent is removed from every line
    that starts with it (a cell pasted from inside a block)."""
    lines = source.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return source
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))]
    if not indent:
        return "".join(lines)
    return "".join(line[len(indent):] if line.startswith(indent) else line for line in lines)


def transform_cell(source: str) -> str:
    """Plain Python for one notebook cell (see the module docstring)."""
    source = strip_leading_indent(source)
    magic = split_cell_magic(source)
    if magic is not None:
        return f"{SHELL}.run_cell_magic({magic[0]!r}, {magic[1]!r}, {magic[2]!r})\n"
    out: list[str] = []
    lines = source.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        content = line.lstrip()
        if content and _candidate(content) and not _inside_statement("".join(out)):
            if content.startswith(("!", "%")) or _assignment(content.rstrip("\r\n")) is not None:
                while line.rstrip("\r\n").endswith("\\") and i < len(lines):  # `!wget URL \` goes on
                    line = line.rstrip("\r\n")[:-1] + " " + lines[i].strip() + "\n"
                    i += 1
            rewritten = _rewrite(line)
            if rewritten is not None:
                out.append(rewritten)
                continue
        out.append(line)
    return "".join(out)
