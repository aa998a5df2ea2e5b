"""Just enough of Rust's syntax to find the messages in launchpad's source.

A tokenizer (string literals decoded, comments dropped, `///` docs kept),
bracket matching, the functions of a file with their parameters, and a few
questions the message extractor asks about them: what a `let` binds, which
closure a position is in, where a function is called. No type inference:
whatever the extractor cannot resolve it reports, so a test can fail on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = {v: k for k, v in OPEN.items()}


@dataclass
class Token:
    kind: str  # ident, num, str, char, punct, doc, lifetime
    text: str  # the source text; for str, the decoded value
    line: int


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
_PUNCT3 = ("..=", "<<=", ">>=", "...")
_PUNCT2 = ("::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "..", "|=", "&=", "^=", "%=")


def tokenize(src: str) -> list[Token]:
    tokens: list[Token] = []
    i, n, line = 0, len(src), 1
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("///", i) or src.startswith("//!", i):
            end = src.find("\n", i)
            end = n if end < 0 else end
            if src.startswith("///", i) and not src.startswith("////", i):
                tokens.append(Token("doc", src[i + 3:end].strip(), line))
            i = end
        elif src.startswith("//", i):
            end = src.find("\n", i)
            i = n if end < 0 else end
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            line += src.count("\n", i, j)
            i = j
        elif (m := re.match(r'(b?)r(#*)"', src[i:])):
            hashes = m.group(2)
            start = i + m.end()
            end = src.find('"' + hashes, start)
            tokens.append(Token("str", src[start:end], line))
            line += src.count("\n", i, end)
            i = end + 1 + len(hashes)
        elif c == '"' or (c == "b" and src.startswith('b"', i)):
            j = i + (2 if c == "b" else 1)
            out = []
            while src[j] != '"':
                if src[j] == "\\":
                    e = src[j + 1]
                    if e == "\n":  # a line continuation drops the break and the indentation
                        j += 2
                        while src[j] in " \t\n":
                            j += 1
                        continue
                    if e == "u":
                        close = src.index("}", j)
                        out.append(chr(int(src[j + 3:close], 16)))
                        j = close + 1
                        continue
                    if e == "x":
                        out.append(chr(int(src[j + 2:j + 4], 16)))
                        j += 4
                        continue
                    out.append(_ESCAPES.get(e, e))
                    j += 2
                else:
                    out.append(src[j])
                    j += 1
            tokens.append(Token("str", "".join(out), line))
            line += src.count("\n", i, j)
            i = j + 1
        elif c == "'":
            # A char literal ('a', '\n', '\u{..}') or a lifetime ('a).
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", src[i:])
            if m:
                tokens.append(Token("char", m.group(1), line))
                i += m.end()
            else:
                m = re.match(r"'[A-Za-z_][A-Za-z0-9_]*", src[i:])
                tokens.append(Token("lifetime", m.group(0), line))
                i += m.end()
        elif c.isalpha() or c == "_":
            m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", src[i:])
            tokens.append(Token("ident", m.group(0), line))
            i += m.end()
        elif c.isdigit():
            m = re.match(r"[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?([a-z][a-z0-9]*)?", src[i:])
            tokens.append(Token("num", m.group(0), line))
            i += m.end()
        else:
            for p in _PUNCT3 + _PUNCT2:
                if src.startswith(p, i):
                    tokens.append(Token("punct", p, line))
                    i += len(p)
                    break
            else:
                tokens.append(Token("punct", c, line))
                i += 1
    return tokens


@dataclass
class Function:
    name: str
    params: list[str]
    body: tuple[int, int]  # token indexes of `{` and its `}`
    method: bool = False  # in an `impl` block


@dataclass
class Source:
    """One Rust file, its test modules left out."""

    path: Path
    rel: str
    tokens: list[Token]
    match: dict[int, int] = field(default_factory=dict)
    functions: list[Function] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path, root: Path) -> "Source":
        tokens = strip_tests(tokenize(path.read_text()))
        s = cls(path, path.relative_to(root).as_posix(), tokens)
        s.match = brackets(tokens)
        s.functions = functions(tokens, s.match)
        return s

    def is_(self, i: int, *texts: str) -> bool:
        """Whether the tokens at i, i+1, … read `texts`."""
        return all(i + k < len(self.tokens) and self.tokens[i + k].text == t
                   and self.tokens[i + k].kind not in ("str", "doc") for k, t in enumerate(texts))

    def enclosing(self, i: int) -> Function | None:
        inside = [f for f in self.functions if f.body[0] < i < f.body[1]]
        return min(inside, key=lambda f: f.body[1] - f.body[0]) if inside else None

    def args(self, open_paren: int) -> list[tuple[int, int]]:
        """The top-level comma-separated arguments inside a bracket, as [start, end) ranges."""
        out, start, i, close = [], open_paren + 1, open_paren + 1, self.match[open_paren]
        while i < close:
            t = self.tokens[i]
            if t.kind == "punct" and t.text in OPEN:
                i = self.match[i] + 1
                continue
            if t.kind == "punct" and t.text == ",":
                out.append((start, i))
                start = i + 1
            i += 1
        if start < close:
            out.append((start, close))
        return out

    def text(self, start: int, end: int) -> str:
        parts = []
        for t in self.tokens[start:end]:
            parts.append(repr(t.text) if t.kind == "str" else t.text)
        return " ".join(parts)

    def statement_end(self, i: int) -> int:
        """The index of the `;` that ends the statement containing i (depth 0 from i)."""
        while i < len(self.tokens):
            t = self.tokens[i]
            if t.kind == "punct" and t.text in OPEN:
                i = self.match[i] + 1
                continue
            if t.kind == "punct" and (t.text == ";" or t.text in CLOSE):
                return i
            i += 1
        return i

    def lets(self, name: str, lo: int, hi: int) -> list[tuple[int, int]]:
        """`let [mut] name = <expr>;` between lo and hi: the expr ranges, last first."""
        out = []
        for i in range(lo, hi):
            if self.is_(i, "let") and (self.tokens[i + 1].kind == "ident" or self.is_(i + 1, "(")):
                j = i + 1
                if self.is_(j, "mut"):
                    j += 1
                if self.is_(j, "(") and any(tk.kind == "ident" and tk.text == name
                                            for tk in self.tokens[j:self.match[j]]):
                    k = self.match[j] + 1  # a tuple: `let (a, b) = (x, y)` gives x; else all its texts
                    if self.is_(k, "="):
                        end = self.statement_end(k + 1)
                        names = [self.text(a, b) for a, b in self.args(j)]
                        if self.is_(k + 1, "(") and self.match[k + 1] == end - 1 \
                                and len(self.args(k + 1)) == len(names) and name in names:
                            out.append(self.args(k + 1)[names.index(name)])
                        else:
                            out.append((k + 1, end))
                elif self.tokens[j].text == name and self.tokens[j].kind == "ident":
                    k = j + 1
                    if self.is_(k, ":"):  # a type annotation
                        while not self.is_(k, "="):
                            k += 1
                    if self.is_(k, "="):
                        out.append((k + 1, self.statement_end(k + 1)))
        return list(reversed(out))

    def for_loops(self, name: str, lo: int, hi: int) -> list[tuple[int, tuple[int, int] | None]]:
        """`for <pattern naming name> in …` between lo and hi: its position, and
        the bracket's range when it loops over a literal list `[a, b]`."""
        out = []
        for i in range(lo, hi):
            if not self.is_(i, "for"):
                continue
            k = i + 1
            while k < hi and not self.is_(k, "in"):
                k += 1
            if any(t.kind == "ident" and t.text == name for t in self.tokens[i + 1:k]):
                out.append((i, (k + 1, self.match[k + 1]) if self.is_(k + 1, "[") else None))
        return out

    def closure_at(self, i: int, param: str | None = None) -> tuple[str | None, list[str], int] | None:
        """The innermost closure around token i (with `param` among its
        parameters, when given): (its `let` name or None, its parameters,
        the index of its opening `|`)."""
        for j in range(i - 1, -1, -1):
            t = self.tokens[j]
            if not (t.kind == "punct" and t.text in ("|", "||") and self._closure_start(j)):
                continue
            if self._closure_end(j) <= i:
                continue
            params = []
            if t.text == "|":
                k = j + 1
                while not self.is_(k, "|"):
                    if self.tokens[k].kind == "ident" and (self.is_(k + 1, ":") or self.is_(k + 1, "|")
                                                           or self.is_(k + 1, ",") or self.is_(k + 1, ")")) \
                            and not self.is_(k - 1, ":") and not self.is_(k - 1, "&") and not self.is_(k - 1, "::"):
                        params.append(self.tokens[k].text)
                    k += 1
            if param is not None and param not in params:
                continue
            name = None
            if self.is_(j - 1, "=") and self.tokens[j - 2].kind == "ident" and self.is_(j - 3, "let"):
                name = self.tokens[j - 2].text
            return name, params, j
        return None

    def _closure_start(self, j: int) -> bool:
        prev = self.tokens[j - 1] if j else None
        return prev is not None and prev.kind == "punct" and prev.text in ("=", "(", ",", "move") \
            or (prev is not None and prev.text == "move")

    def _closure_end(self, j: int) -> int:
        # Past the parameter list, then one expression up to `,` `;` or a closing bracket.
        k = j + 1
        if self.tokens[j].text == "|":
            while not self.is_(k, "|"):
                k += 1
            k += 1
        while k < len(self.tokens):
            t = self.tokens[k]
            if t.kind == "punct" and t.text in OPEN:
                k = self.match[k] + 1
                continue
            if t.kind == "punct" and (t.text in (";", ",") or t.text in CLOSE):
                return k
            k += 1
        return k


def strip_tests(tokens: list[Token]) -> list[Token]:
    """Drop `#[cfg(test)]` items (a test module or function) entirely."""
    out, i = [], 0
    while i < len(tokens):
        if [t.text for t in tokens[i:i + 7]] == ["#", "[", "cfg", "(", "test", ")", "]"]:
            # Skip to the end of the next item: its `{…}` block or `;`.
            j, depth = i + 7, 0
            while j < len(tokens):
                t = tokens[j]
                if t.kind == "punct" and t.text == "{":
                    depth += 1
                elif t.kind == "punct" and t.text == "}":
                    depth -= 1
                    if depth == 0:
                        break
                elif t.kind == "punct" and t.text == ";" and depth == 0:
                    break
                j += 1
            i = j + 1
            continue
        out.append(tokens[i])
        i += 1
    return out


def brackets(tokens: list[Token]) -> dict[int, int]:
    match, stack = {}, []
    for i, t in enumerate(tokens):
        if t.kind != "punct":
            continue
        if t.text in OPEN:
            stack.append(i)
        elif t.text in CLOSE:
            # Generic `>` never appears here; a stray closer is a syntax error upstream.
            j = stack.pop()
            match[j], match[i] = i, j
    return match


def functions(tokens: list[Token], match: dict[int, int]) -> list[Function]:
    out = []
    impls = []
    for i, t in enumerate(tokens):
        if t.kind == "ident" and t.text == "impl" and (i == 0 or tokens[i - 1].text in ("}", ";", "]")):
            k = i + 1
            while not (tokens[k].kind == "punct" and tokens[k].text in ("{", ";")):
                k += 1
            if tokens[k].text == "{":
                impls.append((k, match[k]))
    for i, t in enumerate(tokens):
        if t.kind == "ident" and t.text == "fn" and i + 1 < len(tokens) and tokens[i + 1].kind == "ident":
            j = i + 2
            while not (tokens[j].kind == "punct" and tokens[j].text == "("):
                j += 1
            close = match[j]
            params, depth, k = [], 0, j + 1
            while k < close:
                tk = tokens[k]
                if tk.kind == "punct" and tk.text in ("<", "(", "["):
                    depth += 1
                elif tk.kind == "punct" and tk.text in (">", ")", "]"):
                    depth -= 1
                elif tk.kind == "ident" and depth == 0 and tokens[k + 1].text == ":" and tokens[k + 1].kind == "punct" \
                        and tokens[k - 1].text in ("(", ",", "mut"):
                    params.append(tk.text)
                k += 1
            k = close + 1
            while k < len(tokens) and not (tokens[k].kind == "punct" and tokens[k].text in ("{", ";")):
                k += 1
            if k < len(tokens) and tokens[k].text == "{":
                method = any(a < i < b for a, b in impls)
                out.append(Function(tokens[i + 1].text, params, (k, match[k]), method))
    return out
