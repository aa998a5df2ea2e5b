"""Every message launchpad can print about bad input, read from its Rust source.

`validation_errors()` finds each `InputError::new(property, message)` outside
tests and renders the message as a template: what the code puts in at run
time shows as `‹name›`, constants as their values, and where the same line
serves several properties (a helper called with `"indexDocument"` and with
`"errorDocument"`, a loop over property names) one message per property.
When a placeholder can take a few fixed phrases (the `why` of a `bad(why)`
helper, a `let why = if … { "…" } else { "…" }`), they are listed as its
`reasons`. `runtime_errors()` does the same for what the native resources
print while they run: the Neon client's `NeonError` variants
(`neon_client_errors()`), Neon's `failed(…)` messages (`failures()`),
SiteContent's upload, delete and invalidation errors (`site_content_runtime()`),
and the interruptions every native resource reports (`error_enum()`).
`ranges()` lists the whole-number inputs and their bounds.

Nothing here knows a particular message, only how launchpad's code builds them
(`format!`, helpers, closures, `let`s, loops over property names, `WRAPPED`
types). A message variable it cannot trace is recorded in `Message.unresolved`,
and the docs test fails on it and on any `InputError::new` that yields no
message, so a new way of building messages shows up as a failing test, not as a
page that silently lacks them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from rust import Function, Source

# Files that hold no messages a user can meet.
TEST_FILES = re.compile(r"(^|/)(tests|[a-z_]+_tests|test_support)\.rs$")
# The crates whose sources hold messages (in the order they are read), and
# the folder of FOLDERS each stands for; the components' crate has one
# folder per component, grouped by group_of.
CRATE_FOLDERS = {
    "provider/components/src": "",
    "provider/neon/src": "neon",
    "provider/site-sync/src": "site_content",
}
# Files read in the place of the one they were split from (and in this order
# among themselves), so the docs list their messages as before the split.
READ_AS = {
    "provider/neon/src/resource.rs": ("resource", 0),
    "provider/neon/src/project.rs": ("resource", 1),
    "provider/neon/src/branch.rs": ("resource", 2),
    "provider/site-sync/src/args.rs": ("mod", 0),
    "provider/site-sync/src/deploy.rs": ("mod", 1),
}


def read_order(rel: str) -> tuple:
    """Where a source file is read: by crate, then by file (see READ_AS)."""
    crate = next((i for i, d in enumerate(CRATE_FOLDERS) if rel.startswith(f"{d}/")), len(CRATE_FOLDERS))
    stem, part = READ_AS.get(rel, (Path(rel).stem, 0))
    return crate, Path(rel).with_name(f"{stem}.rs").parts, part


# A file whose error enum's variants are also built in other files of its
# module: Neon's client builds NeonError in its transport too.
PARTS = {"provider/neon/src/client.rs": ("provider/neon/src/transport.rs",)}
# The generic reader of every component's inputs.
READER = "provider/core/src/args.rs"
# How many messages one site may expand to before the variety is listed instead.
MAX_EXPANSION = 12
# Method calls that only change how a value is shown.
SHOWING = {"shown", "shown_number", "display", "as_str", "to_string", "clone", "to_owned",
           "into", "trim", "as_ref", "to_lowercase", "value"}
# An ArgsReader reading one input: `r . number ( 'minCu' )`.
READS = re.compile(r"^\w+ \. (number|string|integer|required_string|required_bool|bool|strings|entries|passthrough)"
                   r" \( '([A-Za-z]+)'")
# Words that start a statement or an expression of their own, not a value.
KEYWORDS = {"Some", "Ok", "Err", "if", "match", "return", "let", "for", "while", "loop", "None", "continue",
            "break", "String", "Value", "self"}
# Integer limits constants are written as.
BOUNDS = {"i32 :: MAX as u32": "2147483647", "i32 :: MAX": "2147483647", "u32 :: MAX": "4294967295"}
# Variable names that say less than what they hold.
GENERIC_NAMES = {"e": "error", "err": "error", "s": "value", "v": "value", "plain": "value",
                 "z": "zone", "g": "guess", "0": "detail", "shown": "value"}
# The component folders: each holds one component or native resource (or a family).
FOLDERS = ("static_site", "site_content", "web_service", "cloud_run", "neon")
# A constructor that a site passes on as its message: the messages are where
# that type is built (`InputError::new("path", e.0)` with `e: FolderError`).
WRAPPED = {"e . 0": "FolderError"}


@dataclass
class Message:
    """One message: the property it names, its template, the phrases a
    placeholder can stand for, and where it comes from."""

    group: str  # folder under provider/components/src (or the crate standing for one), or "core"
    property: str
    text: str
    source: str  # path:line
    reasons: dict[str, list[str]] = field(default_factory=dict)
    additions: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    title: str = ""  # for runtime errors: what went wrong, from the code's doc comment
    also: list[str] = field(default_factory=list)  # other places that print the same message


@dataclass
class Ctx:
    """Where an expression is read: its file, its function, and what the
    function's parameters (or loop variables) stand for."""

    src: Source
    fn: Function | None
    bindings: dict[str, list[str]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)
    depth: int = 0

    def child(self, src: Source, fn: Function | None, bindings: dict[str, list[str]]) -> "Ctx":
        return Ctx(src, fn, bindings, self.unresolved, self.reasons, self.depth + 1)


def placeholder(name: str) -> str:
    return f"‹{spaced(name)}›"


class Extractor:
    def __init__(self, root: Path):
        self.root = root
        paths = sorted((p for d in CRATE_FOLDERS for p in root.glob(f"{d}/**/*.rs")),
                       key=lambda p: read_order(p.relative_to(root).as_posix())) + [root / READER,
                                                                          root / "provider/core/src/custom.rs"]
        self.sources = [Source.read(p, root) for p in paths
                        if not TEST_FILES.search(p.relative_to(root).as_posix())]
        self.consts = self._constants()

    # ---- constants -------------------------------------------------------------------

    def _constants(self) -> dict[str, list[str]]:
        """`const NAME: T = <literal or array of literals>;` anywhere: its value(s) as shown."""
        out: dict[str, list[str]] = {}
        for s in self.sources:
            t = s.tokens
            for i in range(len(t) - 3):
                if s.is_(i, "const") and t[i + 1].kind == "ident" and s.is_(i + 2, ":"):
                    j = i + 3
                    while not s.is_(j, "="):
                        j += 1
                    end = s.statement_end(j + 1)
                    value = t[j + 1:end]
                    text = " ".join(v.text for v in value)
                    if text in BOUNDS:
                        out[t[i + 1].text] = [BOUNDS[text]]
                    elif len(value) == 1 and value[0].kind in ("str", "num"):
                        out[t[i + 1].text] = [number(value[0].text) if value[0].kind == "num" else value[0].text]
                    elif value and value[0].text == "[" and all(
                            v.kind in ("str", "num") or v.text in ",[]" for v in value):
                        out[t[i + 1].text] = [number(v.text) if v.kind == "num" else v.text
                                              for v in value if v.kind in ("str", "num")]
        return out

    # ---- finding things ----------------------------------------------------------------

    def fn_named(self, name: str, prefer: Source | None = None) -> tuple[Source, Function] | None:
        found = [(s, f) for s in self.sources for f in s.functions if f.name == name]
        found.sort(key=lambda sf: sf[0] is not prefer)
        return found[0] if found else None

    def calls(self, name: str, defined_in: Source) -> list[tuple[Source, int]]:
        """Calls of the free function `name` defined in `defined_in`: `module::name(`
        naming its file, or `name(` in its own file or a file that imports it."""
        out, module = [], defined_in.path.stem
        for s in self.sources:
            imports = any(s.is_(k, "use") and name in s.text(k, s.statement_end(k)).split()
                          for k in range(len(s.tokens)) if s.tokens[k].text == "use")
            for i, t in enumerate(s.tokens[:-1]):
                if t.kind != "ident" or t.text != name or not s.is_(i + 1, "(") \
                        or (i and s.tokens[i - 1].text in ("fn", ".")):
                    continue
                if s.is_(i - 1, "::"):
                    if s.tokens[i - 2].text != module:
                        continue  # another module's function, or a method `Type::name(`
                elif s is not defined_in and not imports:
                    continue
                out.append((s, i))
        return out

    # ---- evaluating expressions to message text ------------------------------------------

    def value(self, ctx: Ctx, lo: int, hi: int) -> list[str]:
        """What an expression can read as: one string, or a few alternatives."""
        s, t = ctx.src, ctx.src.tokens
        if ctx.depth > 12:
            return [placeholder("…")]
        # Strip what does not change the text: & * leading, ? .into() .to_string() trailing.
        while lo < hi and t[lo].kind == "punct" and t[lo].text in ("&", "*"):
            lo += 1
        while hi - lo > 1 and t[hi - 1].kind == "punct" and t[hi - 1].text == "?":
            hi -= 1
        while hi - lo > 4 and t[hi - 4].text == "." and t[hi - 3].text in SHOWING and t[hi - 2].text == "(" \
                and t[hi - 1].text == ")":
            hi -= 4
        if hi <= lo:
            return [""]
        first = t[lo]
        if hi - lo == 1 and first.kind == "str":
            return [first.text]
        if s.text(lo, hi) in BOUNDS:
            return [BOUNDS[s.text(lo, hi)]]
        if hi - lo == 1 and first.kind == "num":
            return [number(first.text)]
        if first.kind == "ident" and first.text in ("Some", "Ok", "Err") and s.is_(lo + 1, "(") \
                and s.match[lo + 1] == hi - 1:
            return self.value(ctx, lo + 2, hi - 1)
        if s.is_(lo, "format", "!", "(") and s.match[lo + 2] == hi - 1:
            return self.format(ctx, lo + 2)
        if s.is_(lo, "String", "::", "new", "(", ")") and hi - lo == 5:
            return [""]
        if any(t[k].kind == "punct" and t[k].text in ("+", "-") for k in range(lo, hi)) \
                and all(t[k].kind in ("ident", "num") or t[k].text in ("+", "-", "*") for k in range(lo, hi)):
            parts = []
            for k in range(lo, hi):  # arithmetic: each name as it reads
                if t[k].kind == "ident":
                    v = self.ident(ctx, t[k].text, k)
                    parts.append(v[0].strip("‹›") if len(v) == 1 else spaced(t[k].text))
                elif t[k].text != "*":
                    parts.append(number(t[k].text) if t[k].kind == "num" else t[k].text)
            return [placeholder(" ".join(parts))]
        if first.kind == "ident" and first.text in ("if", "match"):
            return self.branches(ctx, lo, hi)
        if s.is_(lo, "(") and s.match[lo] == hi - 1:
            return self.value(ctx, lo + 1, hi - 1)
        if first.kind == "ident" and hi - lo == 1:
            return self.ident(ctx, first.text, lo)
        if first.kind == "ident" and first.text in self.consts:
            # A constant list shown joined: `VALID.map(…).join(", ")`.
            for k in range(lo, hi - 2):
                if s.is_(k, "join", "(") and t[k + 2].kind == "str":
                    return [t[k + 2].text.join(self.consts[first.text])]
        if first.kind == "ident" and s.is_(lo + 1, "(") and s.match[lo + 1] == hi - 1:
            return self.call(ctx, first.text, lo)
        read = READS.search(s.text(lo, hi))
        if read and first.kind == "ident":
            # An input read from an ArgsReader: the property's name.
            prefix = self.reader_prefix(ctx, first.text, lo)
            return [placeholder(f"{prefix}.{read.group(2)}" if prefix else read.group(2))]
        if any(s.is_(k, "format", "!", "(") for k in range(lo, hi)):
            texts = self.phrases(ctx, lo - 1, hi)
            if texts:
                return texts
        if first.kind == "ident" and s.is_(lo + 1, ".") and lo + 3 < hi and t[lo + 2].text == "path" \
                and s.is_(lo + 3, "(") and s.match[lo + 3] == hi - 1 and hi - lo > 5:
            # An ArgsReader's property path: the reader's prefix and the name.
            prefix = self.reader_prefix(ctx, first.text, lo)
            names = self.value(ctx, lo + 4, hi - 1)
            return [f"{prefix}.{n}" if prefix else n for n in names]
        return [placeholder(readable(s, lo, hi))]

    def ident(self, ctx: Ctx, name: str, at: int) -> list[str]:
        """A variable: what its nearest binding before `at` makes it (a `let`,
        a `for` over a literal list, a closure parameter); its name otherwise."""
        s = ctx.src
        if name in ctx.bindings:
            return ctx.bindings[name]
        if name in self.consts and len(self.consts[name]) == 1:
            return self.consts[name]
        lo = ctx.fn.body[0] if ctx.fn else 0
        found: list[tuple[int, str, tuple[int, int] | None]] = []
        found += [(a, "let", (a, b)) for a, b in s.lets(name, lo, at) + self.pattern_lets(s, name, lo, at) if b < at]
        found += [(k, "for", r) for k, r in s.for_loops(name, lo, at)]
        closure = s.closure_at(at, name)
        if closure:
            found.append((closure[2], "closure", None))
        if not found:
            return [placeholder(name)]
        _, kind, where = max(found, key=lambda f: f[0])
        if kind == "closure":
            return self.closure_param(ctx, closure, name)
        if kind == "for":
            values = [v for a, b in s.args(where[0]) for v in self.value(ctx, a, b)] if where else []
            return values if values and is_fixed(values) else [placeholder(name)]
        start, end = where
        values = self.value(ctx, start, end)
        plain = end - start <= 2 or READS.search(s.text(start, end))
        if len(values) == 1 and values[0].startswith("‹") and values[0].endswith("›") and not plain:
            return [placeholder(name)]  # its own name says more than the expression's
        return values

    def pattern_lets(self, s: Source, name: str, lo: int, hi: int) -> list[tuple[int, int]]:
        """`let Some(name) = <expr> else` and `if let Some(name) = <expr> {`."""
        out = []
        for i in range(lo, hi):
            if s.is_(i, "let", "Some", "(", name, ")", "="):
                j = i + 6
                k = j
                while k < hi and not (s.tokens[k].kind == "ident" and s.tokens[k].text == "else") \
                        and not s.is_(k, "{") and not s.is_(k, ";"):
                    k = s.match[k] + 1 if s.tokens[k].kind == "punct" and s.tokens[k].text in "([" else k + 1
                out.append((j, k))
        return out

    def closure_param(self, ctx: Ctx, closure, name: str) -> list[str]:
        """A closure's parameter: what its calls pass (`bad("…")`), or, for
        `helper(x).map_err(|why| …)`, the phrases `helper` returns."""
        s, (let_name, params, start) = ctx.src, closure
        index = params.index(name)
        if let_name:
            lo, hi = (ctx.fn.body if ctx.fn else (0, len(s.tokens)))
            out = []
            for i in range(start, hi):
                if s.is_(i, let_name, "(") and not s.is_(i - 1, "let"):
                    args = s.args(i + 1)
                    if index < len(args):
                        out.extend(self.value(ctx, *args[index]))
            if out and not all(is_bare(v) for v in out):
                return dedupe(out)
            return [placeholder(self.param_noun(s, start, name))]
        # `.map_err(|why| …)`: the call before it.
        k = start - 1
        if s.is_(k, "(") and s.tokens[k - 1].text in ("map_err", "ok_or_else") and s.is_(k - 2, "."):
            j = k - 3
            if s.tokens[j].text == ")":
                callee = s.tokens[s.match[j] - 1].text
                found = self.fn_named(callee, s)
                if found:
                    phrases = self.phrases(ctx.child(found[0], found[1], {}), *found[1].body)
                    phrases = [p for p in phrases if words(p) >= 2 and not p.startswith((" ", "("))]
                    if phrases:
                        return phrases
        return [placeholder(name)]

    def param_noun(self, s: Source, start: int, name: str) -> str:
        """A closure parameter's name, or for a one-letter one (`|p: &Path|`) its type's."""
        if len(name) > 1 or name in GENERIC_NAMES:
            return name
        k = start + 1
        while not s.is_(k, "|"):
            if s.tokens[k].text == name and s.is_(k + 1, ":"):
                j = k + 2
                while s.tokens[j].kind != "ident":
                    j += 1
                return s.tokens[j].text.lower()
            k += 1
        return name

    def call(self, ctx: Ctx, name: str, at: int) -> list[str]:
        """A call used as text: a helper that returns phrases, or a readable placeholder."""
        s = ctx.src
        found = self.fn_named(name, s)
        args = s.args(at + 1)
        if found:
            src, fn = found
            bindings = {}
            for p, (a, b) in zip(fn.params, args):
                bindings[p] = self.value(ctx, a, b)
            # A helper that returns `Ok(x)`: what x reads as there.
            oks = [k for k in range(*fn.body) if src.is_(k, "Ok", "(") and src.tokens[k + 2].kind == "ident"
                   and src.is_(k + 3, ")")]
            if oks:
                values = self.ident(ctx.child(src, fn, bindings), src.tokens[oks[-1] + 2].text, oks[-1] + 2)
                if not all(v.startswith("‹") and v.endswith("›") for v in values):
                    return values
            # A helper that returns text.
            phrases = self.phrases(ctx.child(src, fn, bindings), *fn.body)
            if phrases and all(words(p) >= 2 or p == "" for p in phrases):
                return phrases
            # A helper that shows one of its arguments (`quoted(name, secret)`): that argument.
            shown = [p.strip('"') for p in phrases if is_bare(p.strip('"'))]
            if shown and len(phrases) <= 2:
                return [shown[0]]
        return [placeholder(readable(s, at, s.match[at + 1] + 1))]

    def phrases(self, ctx: Ctx, lo: int, hi: int) -> list[str]:
        """The texts a block can produce: its `format!`s and its string
        literals in value position (not in conditions, not match patterns),
        each at most once."""
        s, t, out = ctx.src, ctx.src.tokens, []
        i = lo + 1
        while i < hi:
            tok = t[i]
            if s.is_(i, "format", "!", "("):
                out.extend(self.format(ctx, i + 2))
                i = s.match[i + 2] + 1
                continue
            if s.is_(i, "InputError", "::", "new", "("):
                i = s.match[i + 3] + 1
                continue
            if tok.kind == "ident" and s.is_(i - 1, "{") and tok.text not in KEYWORDS:
                close = s.match[i - 1]
                if not any(s.is_(k, ";") or s.is_(k, "=>") or s.tokens[k].kind == "str" for k in range(i, close)) \
                        and not s.is_(i, "format"):
                    out.extend(self.value(ctx, i, close))  # a block that ends in another text
                    i = close
                    continue
            if tok.kind == "str" and value_position(s, i):
                out.append(tok.text)
            if tok.kind == "ident" and tok.text in self.consts and len(self.consts[tok.text]) == 1 \
                    and value_position(s, i) and not s.is_(i - 1, "const"):
                out.append(self.consts[tok.text][0])
            if s.is_(i, "String", "::", "new") or s.is_(i, "unwrap_or_default"):
                out.append("")
            i += 1
        return dedupe(out)

    def branches(self, ctx: Ctx, lo: int, hi: int) -> list[str]:
        return self.phrases(ctx, lo - 1, hi) or [placeholder(readable(ctx.src, lo, hi))]

    def reader_prefix(self, ctx: Ctx, reader: str, at: int) -> str:
        """The property path an ArgsReader variable reads under: `r` (the
        inputs) none; one from `r.object("x")` (or `object_or_defaults`) `x`."""
        s = ctx.src
        if reader in ctx.bindings:
            return ctx.bindings[reader][0] if ctx.bindings[reader] else ""
        lo = ctx.fn.body[0] if ctx.fn else 0
        bound = s.lets(reader, lo, at) + self.pattern_lets(s, reader, lo, at)
        for start, end in sorted(bound, reverse=True):
            for k in range(start, end):
                if s.tokens[k].text in ("object", "object_or_defaults") and s.is_(k + 1, "(") \
                        and s.tokens[k + 2].kind == "str":
                    outer = s.tokens[k - 2].text if s.is_(k - 1, ".") else "r"
                    prefix = self.reader_prefix(ctx, outer, start)
                    name = s.tokens[k + 2].text
                    return f"{prefix}.{name}" if prefix else name
        if ctx.fn and reader in ctx.fn.params and reader != "r":
            return placeholder("object")
        return ""

    def format(self, ctx: Ctx, open_paren: int) -> list[str]:
        """`format!("…", args)`: the template with each `{…}` filled in."""
        s = ctx.src
        args = s.args(open_paren)
        template = s.tokens[args[0][0]].text
        positional = [a for a in args[1:] if not (s.tokens[a[0]].kind == "ident" and s.is_(a[0] + 1, "="))]
        named = {s.tokens[a[0]].text: (a[0] + 2, a[1]) for a in args[1:] if a not in positional}
        pieces: list[list[str]] = []
        next_positional = 0
        for literal, spec in split_format(template):
            if literal:
                pieces.append([literal])
            if spec is None:
                continue
            name, debug = spec
            previous = "".join(p[0] for p in pieces[-1:]) if pieces else ""
            if name == "" or name.isdigit():
                index = int(name) if name else next_positional
                if not name:
                    next_positional += 1
                a, b = positional[index]
                alternatives = self.value(ctx, a, b)
                is_input = any(s.tokens[k].text in ("shown", "shown_number", "quoted") for k in range(a, b)) \
                    or (debug and b - a == 1 and s.tokens[a].kind == "ident")
            elif name in named:
                alternatives = self.value(ctx, *named[name])
                is_input = False
            else:
                alternatives = self.ident(ctx, name, open_paren)
                is_input = debug or len(name) == 1 or name == "shown"
            # What the user wrote, quoted back after `property=`.
            if is_input and re.search(r'="?$', previous) and not is_fixed(alternatives):
                alternatives = [placeholder("value")]
            if debug and is_fixed(alternatives):
                alternatives = [f'"{a}"' for a in alternatives]
            if sorted(alternatives) == ["", "s"]:
                alternatives = ["(s)"]  # a plural ending
            if len(alternatives) > 1 and name not in ctx.bindings:
                label = name if name and not name.isdigit() else (readable(s, a, b) or "more")
                bare = [v for v in alternatives if v.startswith("‹") and v.endswith("›") and v.count("‹") == 1]
                if bare:
                    pieces.append([bare[0]])  # it can be anything (or "[secret]"): say what it is
                    continue
                ctx.reasons[label] = dedupe(ctx.reasons.get(label, []) + alternatives)
                alternatives = [placeholder(label)]
            pieces.append(alternatives or [placeholder(name or "…")])
        combos = list(itertools.islice(itertools.product(*pieces), MAX_EXPANSION + 1))
        return dedupe("".join(c) for c in combos)

    # ---- validation errors -------------------------------------------------------------------

    def validation_errors(self) -> list[Message]:
        out: list[Message] = []
        for s in self.sources:
            if s.rel == "provider/core/src/custom.rs":
                continue
            for i in range(len(s.tokens) - 3):
                if s.is_(i, "InputError", "::", "new", "("):
                    out.extend(self.site(s, i))
        out.extend(self.wrapped_errors())
        # A message of a file shared by components belongs to each component that uses it.
        placed = []
        for m in out:
            folders = self.users(m.group) if m.group not in FOLDERS and m.group != "core" else [m.group]
            placed.extend(Message(**{**m.__dict__, "group": f, "also": list(m.also)}) for f in folders)
        return dedupe_messages(placed)

    def users(self, shared: str, seen: frozenset = frozenset()) -> list[str]:
        """The component folders whose code names a function of a shared file
        (`container.rs`), directly or through another shared file."""
        src = next(x for x in self.sources if x.rel == f"provider/components/src/{shared}.rs")
        names = {f.name for f in src.functions if not f.method}
        found: set[str] = set()
        for x in self.sources:
            g = group_of(x.rel)
            if x is src or g == "core" or g in seen or not any(self.names(x, src, n) for n in names):
                continue
            found.update([g] if g in FOLDERS else self.users(g, seen | {shared}))
        return sorted(found)

    def names(self, x: Source, src: Source, name: str) -> bool:
        """Whether file x refers to the function `name` of file src: `module::name`, or
        `name` imported with a `use` naming src's module."""
        module = src.path.stem
        imported = any(x.is_(k, "use") and module in (words := x.text(k, x.statement_end(k)).split())
                       and name in words for k in range(len(x.tokens)) if x.tokens[k].text == "use")
        for k, t in enumerate(x.tokens):
            if t.kind == "ident" and t.text == name and not x.is_(k - 1, "fn"):
                if x.is_(k - 1, "::") and x.tokens[k - 2].text == module:
                    return True
                if imported and not x.is_(k - 1, "::") and not x.is_(k - 1, "."):
                    return True
        return False

    def site(self, s: Source, i: int) -> list[Message]:
        fn = s.enclosing(i)
        args = s.args(i + 3)
        group = group_of(s.rel)
        source = f"{s.rel}:{s.tokens[i].line}"
        message_expr = s.text(*args[1])
        if message_expr in WRAPPED:
            return []  # rendered from where that type is built
        out = []
        if s.rel == READER and args[0][1] - args[0][0] <= 2:
            prop_var = s.tokens[args[0][1] - 1].text
            calls = [{prop_var: [placeholder("property")]}]
        else:
            calls = self.call_bindings(s, fn)
        for bindings in calls:
            ctx = Ctx(s, fn, bindings)
            for prop in self.value(ctx, *args[0]):
                if prop.startswith("‹") and prop.endswith("›") and prop.count("‹") == 1 and s.rel != READER:
                    prop = self.property_in_text(ctx, args[1], i) or prop
                ctx_p = Ctx(s, fn, {**bindings, **self.property_binding(s, args[0], prop)})
                texts = self.message_texts(ctx_p, *args[1], at=i)
                for text, additions in texts:
                    out.append(Message(group, prop, text, source, dict(ctx_p.reasons), additions,
                                       ctx.unresolved + ctx_p.unresolved))
        return dedupe_messages(out)

    def property_in_text(self, ctx: Ctx, arg: tuple[int, int], at: int) -> str | None:
        """When the property is passed on from elsewhere (`e.property`), the one the message starts with."""
        texts = self.message_texts(Ctx(ctx.src, ctx.fn, dict(ctx.bindings)), *arg, at=at)
        m = re.match(r"`?([A-Za-z][\w.:\[\]‹›]*?)(=|`| is | has )", texts[0][0]) if texts else None
        return m.group(1) if m and not (m.group(1).startswith("‹") and m.group(1).endswith("›")) else None

    def property_binding(self, s: Source, arg: tuple[int, int], prop: str) -> dict[str, list[str]]:
        """While rendering one property's message, the variable holding the property reads as it."""
        names = [t.text for t in s.tokens[arg[0]:arg[1]] if t.kind == "ident"]
        if len(names) == 1 and arg[1] - arg[0] <= 2:
            return {names[0]: [prop]}
        return {}

    def message_texts(self, ctx: Ctx, lo: int, hi: int, at: int) -> list[tuple[str, list[str]]]:
        """The message argument: a literal, a `format!`, or a variable built
        before the call (with what `push_str` may add to it)."""
        s, t = ctx.src, ctx.src.tokens
        if hi - lo == 1 and t[lo].kind == "ident" and t[lo].text not in ctx.bindings:
            name = t[lo].text
            fn_lo = ctx.fn.body[0] if ctx.fn else 0
            additions = []
            for k in range(fn_lo, at):
                if s.is_(k, name, ".", "push_str", "("):
                    additions.extend(self.value(ctx, *s.args(k + 3)[0]))
            bound = s.lets(name, fn_lo, at)
            if bound:
                return [(v, additions) for v in self.value(ctx, *bound[0])]
            # Bound by a match arm (`Some(message) => …`): every text the function builds.
            texts = [p for p in self.phrases(ctx, fn_lo, at) if words(p) >= 2]
            if texts:
                return [(v, additions) for v in texts]
            ctx.unresolved.append(f"{s.rel}:{t[lo].line}: message variable `{name}`")
            return [(placeholder(name), [])]
        return [(v, []) for v in self.value(ctx, lo, hi)]

    def call_bindings(self, s: Source, fn: Function | None, depth: int = 0) -> list[dict[str, list[str]]]:
        """One set of parameter values per call of the function the site is
        in (a helper called for several properties), or none to bind; a
        helper's caller that is itself a helper is followed one step further."""
        if fn is None or s.rel == READER or not fn.params or fn.method or depth > 1:
            return [{}]
        out = []
        calls = [(cs, k, outer) for cs, k in self.calls(fn.name, s)
                 for outer in self.call_bindings(cs, cs.enclosing(k), depth + 1)]
        for cs, k, outer in calls:
            caller = cs.enclosing(k)
            ctx = Ctx(cs, caller, outer)
            bindings = {}
            for p, (a, b) in zip(fn.params, cs.args(k + 1)):
                if p in ("r", "n", "h", "s"):  # an ArgsReader: only its prefix matters
                    prefix = self.reader_prefix(ctx, cs.tokens[b - 1].text, k) if b - a <= 2 else ""
                    bindings[p] = [prefix]
                    continue
                values = self.value(ctx, a, b)
                if not all(v.startswith("‹") and v.endswith("›") and v.count("‹") == 1 for v in values):
                    bindings[p] = values  # a name a placeholder would only repeat is left as it is
            out.append(bindings)
        return out or [{}]

    def wrapped_errors(self) -> list[Message]:
        """Messages a site passes on from another type (`FolderError(format!(…))`)."""
        out = []
        for expr, type_name in WRAPPED.items():
            for s in self.sources:
                for i in range(len(s.tokens) - 2):
                    if s.is_(i, type_name, "(") and s.is_(i + 2, "format") and not s.is_(i - 1, "struct"):
                        fn = s.enclosing(i)
                        ctx = Ctx(s, fn, {})
                        for text in self.value(ctx, i + 2, s.match[i + 1]):
                            out.append(Message(group_of(s.rel), "path", text, f"{s.rel}:{s.tokens[i].line}",
                                               dict(ctx.reasons), [], ctx.unresolved))
        return out

    def ranges(self) -> list[tuple[str, str, str, str]]:
        """Every whole-number input a component checks with `reader.integer(name, min, max)`:
        (folder, property, min, max or "" for no upper bound)."""
        out = []
        for s in self.sources:
            g = group_of(s.rel)
            if g not in FOLDERS:
                continue
            t = s.tokens
            for i in range(2, len(t) - 3):
                if s.is_(i, "integer", "(") and s.is_(i - 1, ".") and t[i + 2].kind == "str":
                    args = s.args(i + 1)
                    fn = s.enclosing(i)
                    ctx = Ctx(s, fn, {})
                    prefix = self.reader_prefix(ctx, t[i - 2].text, i)
                    name = t[i + 2].text
                    lo = self.value(ctx, *args[1])[0]
                    hi = self.value(ctx, *args[2])[0]
                    if s.text(*args[2]) == "u32 :: MAX" or hi == BOUNDS["u32 :: MAX"]:
                        hi = ""
                    out.append((g, f"{prefix}.{name}" if prefix else name, lo, hi))
        return out

    # ---- runtime errors --------------------------------------------------------------------

    def neon_client_errors(self) -> list[Message]:
        """The `#[error("…")]` of each `NeonError` variant, with its doc comment."""
        s = next(x for x in self.sources if x.rel == "provider/neon/src/client.rs")
        return self.error_enum(s, "NeonError")

    def error_enum(self, s: Source, enum: str) -> list[Message]:
        t = s.tokens
        start = next(i for i in range(len(t)) if s.is_(i, "enum", enum, "{")) + 2
        out, docs, i = [], [], start + 1
        while i < s.match[start]:
            if t[i].kind == "doc":
                docs.append(t[i].text)
                i += 1
                continue
            if s.is_(i, "#", "[", "error", "("):
                paren = i + 3
                args = s.args(paren)
                variant_at = s.match[paren] + 2
                variant = t[variant_at].text
                for fields in self.variant_fields(s, variant):
                    ctx = Ctx(s, None, fields)
                    for text in self.error_template(ctx, args):
                        out.append(Message(group_of(s.rel), "", text, f"{s.rel}:{t[i].line}", dict(ctx.reasons),
                                           [], ctx.unresolved, title=" ".join(docs)))
                docs = []
                i = s.match[paren] + 1
                continue
            if t[i].kind == "punct" and t[i].text in ("{", "("):
                docs = []
                i = s.match[i] + 1
                continue
            i += 1
        return out

    def error_template(self, ctx: Ctx, args: list[tuple[int, int]]) -> list[str]:
        """A thiserror template: `{field}` reads as the field, `{}` as its argument (`.field` → field)."""
        s = ctx.src
        template = s.tokens[args[0][0]].text
        pieces: list[list[str]] = []
        positional = iter(args[1:])
        for literal, spec in split_format(template):
            if literal:
                pieces.append([literal])
            if spec is None:
                continue
            name, _ = spec
            if name == "":
                a, b = next(positional)
                toks = [x for x in s.tokens[a:b]]
                if toks[0].kind == "ident" and s.is_(a + 1, "("):
                    fn = self.fn_named(toks[0].text, s)
                    bindings = {}
                    if fn:
                        for p, (x, y) in zip(fn[1].params, s.args(a + 1)):
                            field_name = [tk.text for tk in s.tokens[x:y] if tk.kind == "ident"]
                            bindings[p] = ctx.bindings.get(field_name[-1], [placeholder(field_name[-1])]) \
                                if field_name else [placeholder(p)]
                    values = self.phrases(ctx.child(fn[0], fn[1], bindings), *fn[1].body) if fn else []
                    if not values or not all(words(v) >= 2 or v == "" for v in values):
                        field_name = [tk.text for tk in toks if tk.kind == "ident"]
                        values = [placeholder(field_name[-1] if len(field_name) > 1 else toks[0].text)]
                else:
                    field_name = [tk.text for tk in toks if tk.kind in ("ident", "num")]
                    values = [placeholder(field_name[-1])]
            else:
                values = ctx.bindings.get(name, [placeholder(name)])
            pieces.append(values)
        return dedupe("".join(c) for c in itertools.product(*pieces))

    def variant_fields(self, s: Source, variant: str) -> list[dict[str, list[str]]]:
        """For a variant built in one or two places (`InvalidConfig { setting, problem }`),
        what its fields read as at each; for one built all over, nothing (its
        fields show as placeholders)."""
        built = []
        for s in [s] + [x for x in self.sources if x.rel in PARTS.get(s.rel, ())]:
            t = s.tokens
            for i in range(1, len(t) - 3):
                if s.is_(i, variant, "{") and s.is_(i - 1, "::"):
                    fn = s.enclosing(i)
                    fields = {}
                    for a, b in s.args(i + 1):
                        if t[a].kind == "ident" and s.is_(a + 1, ":"):
                            fields[t[a].text] = self.value(Ctx(s, fn, {}), a + 2, b)
                        elif b - a == 1 and t[a].kind == "ident":  # `problem,` shorthand
                            fields[t[a].text] = self.ident(Ctx(s, fn, {}), t[a].text, a)
                    built.append(fields)
        return built if 0 < len(built) <= 2 else [{}]

    def failures(self, folder: str, constructors: tuple[str, ...]) -> list[Message]:
        """Messages passed to `failed(…)` (or the named constructors) in a folder's files."""
        out = []
        for s in self.sources:
            if group_of(s.rel) != folder:
                continue
            for i in range(len(s.tokens) - 2):
                name = s.tokens[i].text
                if name in constructors and s.is_(i + 1, "(") and not s.is_(i - 1, "fn") \
                        and not s.is_(i - 1, "."):
                    a, b = s.args(i + 1)[0] if s.args(i + 1) else (i + 2, i + 2)
                    if b <= a:
                        continue
                    fn = s.enclosing(i)
                    ctx = Ctx(s, fn, {})
                    expr = s.text(a, b)
                    if re.fullmatch(r"[a-z_]+|& ?[a-z_]+|e|describe \( e \)|& describe \( e \)", expr):
                        continue  # passes on a message made elsewhere (listed where it is made)
                    for text in self.value(ctx, a, b):
                        if words(text) >= 2:
                            out.append(Message(folder, "", text, f"{s.rel}:{s.tokens[i].line}",
                                               dict(ctx.reasons), [], ctx.unresolved))
        return dedupe_messages(out)

    def site_content_runtime(self) -> list[Message]:
        """SiteContent's errors while it uploads, deletes, invalidates and reads
        the bucket: the `#[error("…")]` of its error enums (`AwsError`, …), with
        their doc comments, then every message it builds in `Err(…)`,
        `map_err(…)` or a `failed` helper."""
        out = []
        for s in self.sources:
            if group_of(s.rel) != "site_content" or s.rel.endswith("manifest.rs"):
                continue
            t = s.tokens
            for i in range(len(t) - 2):
                if s.is_(i, "enum") and t[i + 1].kind == "ident" and s.is_(i + 2, "{"):
                    # `#[error(transparent)]` passes on another enum's message, listed there.
                    out.extend(m for m in self.error_enum(s, t[i + 1].text) if m.text != "transparent")
            for i in range(len(t) - 3):
                if not s.is_(i, "format", "!", "("):
                    continue
                if not self.in_error_flow(s, i):
                    continue
                fn = s.enclosing(i)
                ctx = Ctx(s, fn, {})
                for text in self.format(ctx, i + 2):
                    if words(re.sub("‹[^›]*›", "", text)) >= 2:
                        out.append(Message("site_content", "", text, f"{s.rel}:{t[i].line}",
                                           dict(ctx.reasons), [], ctx.unresolved))
        return dedupe_messages(out)

    def in_error_flow(self, s: Source, i: int) -> bool:
        """Whether a `format!` at i becomes an error: inside `Err(…)`,
        `.map_err(…)`, `get_or_insert(…)`, `reasons: vec![…]`, a `let failed = |…|`
        helper, or a function whose result is returned as an `Err`."""
        calls = [s.tokens[a].text for a, _ in self.enclosing_calls(s, i)]
        if "new" in calls:
            return False  # an InputError: listed with the validation errors
        if any(c in ("Err", "map_err", "get_or_insert", "vec") for c in calls):
            return True
        closure = s.closure_at(i)
        if closure and closure[0] in ("failed", "invalid"):
            return True
        fn = s.enclosing(i)
        if fn and any(s2.is_(k - 2, "Err", "(") for s2, k in self.calls(fn.name, s)):
            return True
        return False

    def enclosing_calls(self, s: Source, i: int) -> list[tuple[int, int]]:
        out = []
        for open_, close in s.match.items():
            if open_ < i < close and s.tokens[open_].text in ("(", "[") and open_ > 0:
                name_at = open_ - 1
                if s.tokens[name_at].text == "!":
                    name_at -= 1
                out.append((name_at, close))
        return out


# ---- helpers ----------------------------------------------------------------------------


def split_format(template: str) -> list[tuple[str, tuple[str, bool] | None]]:
    """A format string as (literal, placeholder) pairs; a placeholder is
    (argument name or index or "", whether it is `:?`)."""
    out, literal, i = [], [], 0
    while i < len(template):
        c = template[i]
        if template.startswith("{{", i) or template.startswith("}}", i):
            literal.append(c)
            i += 2
        elif c == "{":
            close = template.index("}", i)
            inner = template[i + 1:close]
            name, _, spec = inner.partition(":")
            out.append(("".join(literal), (name.strip(), "?" in spec)))
            literal = []
            i = close + 1
        else:
            literal.append(c)
            i += 1
    out.append(("".join(literal), None))
    return out


def value_position(s: Source, i: int) -> bool:
    """Whether the literal at i is a value the block produces, not a pattern,
    a condition's argument or a format string."""
    prev, nxt = s.tokens[i - 1], s.tokens[i + 1]
    if nxt.kind == "punct" and nxt.text in ("=>", "|"):
        return False  # a match pattern
    if prev.kind == "punct" and prev.text == "|" and nxt.text in ("=>",):
        return False
    if prev.kind == "punct" and prev.text in ("{", "=>", "=", ";") and nxt.text in ("}", ",", ";"):
        return True
    if nxt.text == "." and s.tokens[i + 2].text in ("into", "to_string", "to_owned"):
        return True
    if prev.text == "(" and s.tokens[i - 2].text in ("Err", "Some", "ok_or", "bad", "failed", "invalid") \
            and nxt.text == ")":
        return True
    return False


def readable(s: Source, lo: int, hi: int) -> str:
    """A short name for an expression a message shows as it is: the variable
    (`place.branch_id` → branch id), the argument of a one-argument helper,
    `… length` for `.len()`."""
    toks = [t for t in s.tokens[lo:hi] if not (t.kind == "punct" and t.text in ("&", "*"))]
    if not toks:
        return "…"
    if toks[0].text in ("if", "match"):
        # A choice the code makes: name it after what its last branch shows.
        last = max(k for k, t in enumerate(toks) if t.text == "{")
        close = next(k for k in range(len(toks) - 1, last, -1) if toks[k].text == "}")
        start = s.tokens.index(toks[last], lo)
        return readable(s, start + 1, start + 1 + (close - last - 1))
    if toks[0].kind == "ident" and len(toks) > 1 and toks[1].text == "(":
        args = [t for t in toks[2:-1] if t.kind == "ident"]
        commas = sum(1 for t in toks[2:-1] if t.text == ",")
        if len(args) == 1 and commas == 0:
            return spaced(args[0].text)
        return spaced(re.sub(r"^(describe|format|show)_", "", toks[0].text))
    if any(t.kind == "punct" and t.text in ("+", "-") for t in toks):
        return " ".join(spaced(GENERIC_NAMES.get(t.text, t.text)) for t in toks)
    name, k = toks[0].text, 1
    while k + 1 < len(toks) and toks[k].text == ".":
        if k + 2 < len(toks) and toks[k + 2].text == "(":
            if toks[k + 1].text == "len":
                return f"{spaced(name)} length"
            if len(name) == 1 and toks[k + 1].text not in SHOWING | {"unwrap_or_default"}:
                name = toks[k + 1].text  # `e.choices()`: what the method gives
            k += 2
            depth = 0
            while k < len(toks):  # skip the call's arguments
                depth += {"(": 1, ")": -1}.get(toks[k].text, 0)
                k += 1
                if depth == 0:
                    break
        else:
            name = toks[k + 1].text if toks[k + 1].kind == "ident" else name
            k += 2
    return spaced(GENERIC_NAMES.get(name, name))


def spaced(name: str) -> str:
    return GENERIC_NAMES.get(name, name).replace("_", " ")


def number(text: str) -> str:
    text = re.sub(r"[a-z]+\d*$", "", text.replace("_", ""))
    return text[:-2] if text.endswith(".0") else text


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", re.sub("‹[^›]*›", "", text)))


def is_bare(value: str) -> bool:
    """Whether a text is nothing but one placeholder."""
    return value.startswith("‹") and value.endswith("›") and value.count("‹") == 1


def is_fixed(values: list[str]) -> bool:
    return all("‹" not in v for v in values)


def dedupe(items) -> list[str]:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def dedupe_messages(messages: list[Message]) -> list[Message]:
    """One entry per message text and property; the places that print it kept."""
    seen: dict[tuple[str, str, str], Message] = {}
    for m in messages:
        key = (m.group, m.property, m.text)
        if key in seen:
            first = seen[key]
            first.also.extend(x for x in [m.source, *m.also] if x != first.source and x not in first.also)
        else:
            seen[key] = m
    return list(seen.values())


def group_of(rel: str) -> str:
    for crate, folder in CRATE_FOLDERS.items():
        if crate != "provider/components/src" and rel.startswith(f"{crate}/"):
            return folder
    m = re.match(r"provider/components/src/([a-z_]+)/", rel)
    if m:
        return m.group(1)
    if rel.startswith("provider/components/src/"):
        return Path(rel).stem  # a file shared by components: container, aws_regions, …
    return "core"
