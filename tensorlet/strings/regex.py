"""``regex_replace`` and ``regex_full_match``: TensorFlow's RE2 patterns run on Python's ``re``.

TF matches with RE2 on UTF-8 text. Python's ``re`` agrees on the syntax course code uses; this module closes the
gaps: RE2's ``\\w \\d \\s \\b`` are ASCII-only (scoped ``(?a:..)`` groups, ASCII ranges inside brackets);
``[[:alpha:]]``-style POSIX classes (ASCII ranges); ``$`` and ``\\z`` mean the very end of the text unless ``(?m)``
is on (``re``'s ``$`` also matches before a final newline); ``\\pL``, ``\\p{L}`` and ``\\pN`` (and ``\\P``)
Unicode classes; and rewrites say ``\\0``..``\\9`` for groups and ``\\\\`` for a backslash (``re`` would read
``\\0`` as a NUL character). Other Unicode classes need RE2 and are refused with a ValueError. Text is decoded as
UTF-8 (undecodable bytes survive as surrogate escapes) so ``.`` matches a character, as in RE2.

Two deliberate differences: an invalid pattern or a rewrite naming a missing group raises ValueError, where TF
raises InvalidArgumentError or (for the rewrite) silently returns the input unchanged.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import map_strings

_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
    "punct": "!-/:-@\\[-`{-~",
}
# \pL / \PL and \pN / \PN as Unicode Python classes (letters: word characters minus digits and _)
_UNICODE_CLASSES = {"L": ("[^\\W\\d_]", "[\\W\\d_]"), "N": ("\\d", "\\D"), "Nd": ("\\d", "\\D")}
# RE2's Perl classes are ASCII-only: scoped ASCII groups outside brackets, ranges inside them
_ASCII_CLASSES = {"w": "0-9A-Za-z_", "d": "0-9", "s": "\\t\\n\\f\\r ",
                  "W": "\\W", "D": "\\D", "S": "\\S", "b": "\\b", "B": "\\B"}  # negations stay as they are
_MULTILINE = re.compile(r"\(\?[imsU]*m[imsU]*[:)]")


def _text(value: Any) -> str:
    if isinstance(value, Tensor):
        value = value.numpy()
        if not isinstance(value, (bytes, str)):
            raise ValueError(f"expected a scalar string, got an array of shape {value.shape}")
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else str(value)


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: str) -> re.Pattern[str]:
    """Compile an RE2 pattern with RE2's meaning (see the module docstring); bad patterns raise ValueError."""
    multiline = bool(_MULTILINE.search(pattern))
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "pP":
                name = re.match(r"\\[pP](\w|\{\w+\})", pattern[i:])
                spelled = name.group(1).strip("{}") if name and not in_class else None
                if spelled not in _UNICODE_CLASSES:
                    raise ValueError(f"regex pattern {pattern!r}: of the Unicode classes (\\p, \\P) only "
                                     f"{sorted(_UNICODE_CLASSES)} outside brackets are supported (others need RE2)")
                out.append(_UNICODE_CLASSES[spelled][nxt == "P"])
                i += name.end()  # type: ignore[union-attr]
                continue
            if nxt == "Q":  # \Q...\E quotes a literal run
                end = pattern.find("\\E", i + 2)
                end = len(pattern) if end < 0 else end
                out.append(re.escape(pattern[i + 2:end]))
                i = end + 2
                continue
            if nxt == "z" and not in_class:
                out.append("\\Z")
            elif nxt in _ASCII_CLASSES:
                out.append(_ASCII_CLASSES[nxt] if in_class else f"(?a:\\{nxt})")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            posix = re.match(r"\[:(\^?)([a-z]+):\]", pattern[i:])
            if posix and posix.group(2) in _POSIX:
                if posix.group(1):
                    raise ValueError(f"regex pattern {pattern!r}: negated POSIX classes are not supported")
                out.append(_POSIX[posix.group(2)])
                i += posix.end()
                continue
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            for lead in ("^", "]"):  # a leading ] (after an optional ^) is a literal in both dialects
                if pattern.startswith(lead, i):
                    out.append("\\]" if lead == "]" else lead)
                    i += 1
            continue
        out.append("\\Z" if c == "$" and not multiline else c)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error as e:
        raise ValueError(f"invalid regex pattern {pattern!r}: {e}") from None


@functools.lru_cache(maxsize=256)
def _rewriter(rewrite: str, groups: int) -> Callable[[re.Match[str]], str]:
    """RE2's rewrite string (``\\0``-``\\9`` groups, ``\\\\`` a backslash) as a ``re.sub`` callback."""
    parts: list[str | int] = []
    i, literal = 0, []  # type: tuple[int, list[str]]
    while i < len(rewrite):
        c = rewrite[i]
        if c == "\\":
            nxt = rewrite[i + 1] if i + 1 < len(rewrite) else ""
            if nxt.isdigit():
                if int(nxt) > groups:
                    raise ValueError(f"rewrite {rewrite!r} names group \\{nxt}, but the pattern has {groups} groups")
                parts.append("".join(literal))
                literal = []
                parts.append(int(nxt))
            elif nxt == "\\":
                literal.append("\\")
            else:
                raise ValueError(f"invalid rewrite pattern {rewrite!r}: a backslash must be followed by a digit or "
                                 "another backslash")
            i += 2
            continue
        literal.append(c)
        i += 1
    parts.append("".join(literal))

    def expand(m: re.Match[str]) -> str:
        return "".join(p if isinstance(p, str) else (m.group(p) or "") for p in parts)

    return expand


def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True, name: Any = None
                  ) -> Tensor | RaggedTensor:
    """Replace matches of the RE2 ``pattern`` by ``rewrite`` (``\\1`` a group); only the first if not global.

    Example:
        >>> regex_replace("Text with tags.<br /><b>contains html</b>", "<[^>]+>", " ").numpy()
        b'Text with tags.  contains html '
    """
    compiled = compile_re2(_text(pattern))
    expand = _rewriter(_text(rewrite), compiled.groups)
    count = 0 if replace_global else 1

    def one(s: bytes) -> bytes:
        text = s.decode("utf-8", "surrogateescape")
        return compiled.sub(expand, text, count=count).encode("utf-8", "surrogateescape")

    return map_strings(input, one, "regex_replace")


def regex_full_match(input: Any, pattern: Any, name: Any = None) -> Tensor | RaggedTensor:
    """True where the whole string matches the RE2 ``pattern``.

    Example:
        >>> regex_full_match(["TF lib", "lib TF"], ".*lib$").numpy().tolist()
        [True, False]
    """
    compiled = compile_re2(_text(pattern))
    return map_strings(input, lambda s: compiled.fullmatch(s.decode("utf-8", "surrogateescape")) is not None,
                       "regex_full_match", out_dtype=bool)
