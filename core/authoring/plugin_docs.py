"""The generated parts of docs/plugins.md, so the plugin author's manual cannot drift.

Two parts, each between ``<!-- generated:NAME -->`` and
``<!-- /generated:NAME -->`` in the page:

* ``fields``: every key of the plan file, with its type, whether it is
  required and an example: walked from :class:`plancheck.plans.model.Plan` with
  ``attrs.fields`` and the type hints; the examples come from the plan
  skeleton ``plancheck plugin new`` writes (:mod:`plancheck.authoring.scaffold`);
* ``hooks``: every hook specification with its docstring, from
  :mod:`plancheck.plans.hookspecs`;

The third part, the ``--help`` of the plugin commands, and the command that
rewrites the page are in :mod:`plancheck.cli.docs`: they read the CLI, which
sits above this room.
"""

from __future__ import annotations

import datetime
import inspect
import re
import tomllib
import types
import typing
from collections.abc import Iterator

import attrs

from plancheck.plans import hookspecs, model

#: The skeleton the field examples are read from (fixed names, so the page is stable).
EXAMPLE_NAMES = ("my_province", "Mẫu", 2025)


# -- the plan format ------------------------------------------------------------

@attrs.frozen
class Section:
    """A class of the model and where it sits in the TOML file."""

    cls: type
    header: str  # "" for the top level, "agencies", "rules.when", ...
    array: bool  # [[header]] rather than [header]
    also: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        if not self.header:
            return "The plan: top-level keys"
        return f"`[[{self.header}]]`" if self.array else f"`[{self.header}]`"


def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls, globalns=vars(model))


def _strip_optional(tp: object) -> object:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _child(tp: object) -> tuple[type, bool] | None:
    """(attrs class, is an array) when a field holds tables."""
    tp = _strip_optional(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return tp, False
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis and attrs.has(args[0]):
            return args[0], True
    return None


def sections() -> list[Section]:
    """Every table of the plan file, in the order a reader meets them, each class once."""
    out: list[Section] = []
    seen: dict[type, int] = {}

    def walk(cls: type, header: str, array: bool) -> None:
        if cls in seen:
            i = seen[cls]
            shown = f"[[{header}]]" if array else f"[{header}]"
            out[i] = attrs.evolve(out[i], also=out[i].also + (shown,))
            return
        seen[cls] = len(out)
        out.append(Section(cls, header, array))
        hints = _hints(cls)
        for f in attrs.fields(cls):
            child = _child(hints[f.name])
            if child is not None:
                walk(child[0], f"{header}.{f.name}" if header else f.name, child[1])

    walk(model.Plan, "", False)
    return out


def type_text(tp: object, header: str, name: str) -> str:
    """A field's type in words, as the TOML file sees it."""
    tp = _strip_optional(tp)
    child = _child(tp)
    if child is not None:
        path = f"{header}.{name}" if header else name
        return f"array of tables `[[{path}]]`" if child[1] else f"table `[{path}]`"
    if typing.get_origin(tp) is typing.Literal:
        return "one of " + ", ".join(f'`"{a}"`' for a in typing.get_args(tp))
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"array of {_scalar(args[0])}s"
        return f"array of {len(args)} {_scalar(args[0])}s"
    return _scalar(tp)


def _scalar(tp: object) -> str:
    if typing.get_origin(tp) is typing.Literal:
        return "one of " + ", ".join(f'`"{a}"`' for a in typing.get_args(tp))
    return {str: "string", int: "integer", float: "number", bool: "boolean",
            datetime.date: "date"}.get(tp, getattr(tp, "__name__", str(tp)))  # type: ignore[call-overload]


def required_text(field: attrs.Attribute) -> str:
    default = field.default
    if default is attrs.NOTHING:
        return "required"
    if default is None:
        return "optional"
    if default == ():
        return "optional, default `[]`"
    if isinstance(default, bool):
        return f"optional, default `{str(default).lower()}`"
    if isinstance(default, str):
        return f'optional, default `"{default}"`'
    if attrs.has(type(default)):
        return "optional, defaults below"
    return f"optional, default `{default!r}`"


@attrs.frozen
class Example:
    """What the skeleton shows for one key: a value, and the comment beside it."""

    value: str
    comment: str = ""


def skeleton_examples(text: str) -> dict[tuple[type, str], Example]:
    """(class, key) → the first value the skeleton shows for it, commented out or not."""
    by_header = {s.header: s.cls for s in sections()}
    for s in sections():
        for also in s.also:
            by_header[also.strip("[]")] = s.cls
    out: dict[tuple[type, str], Example] = {}
    header = ""
    for line in text.splitlines():
        # A header, or one commented out (an optional section the skeleton shows but does not use).
        m = re.match(r"^\s*(?:#\s?)?\[\[?([a-z_.]+)\]\]?\s*(#.*)?$", line)
        if m:
            header = m[1]
            continue
        m = re.match(r"^\s*(?:#\s?)?([a-z_]+) = (.+)$", line)
        if not m:
            continue
        cls = by_header.get(_generic(header, by_header))
        key, value = m[1], _value(m[2])
        if cls is None or value is None:
            continue
        comment = m[2][len(value):].strip().removeprefix("#").strip()
        hint = _hints(cls).get(key)
        child = _child(hint) if hint is not None else None
        parsed = tomllib.loads(f"x = {value}")["x"]
        tables = [parsed] if isinstance(parsed, dict) else [x for x in parsed if isinstance(x, dict)] \
            if isinstance(parsed, list) else []
        if child is not None:  # inline tables: period = { ... }, maps = [{ ... }]
            for table in tables:
                for k, v in table.items():
                    out.setdefault((child[0], k), Example(_toml(v)))
        found = out.get((cls, key))
        if found is None:
            out[(cls, key)] = Example(value, comment)
        elif comment and not found.comment:
            out[(cls, key)] = Example(found.value, comment)
    return out


def _generic(header: str, known: dict[str, type]) -> str:
    """``rules.when.all.any`` → the nearest header the model walk knows (``rules.when``)."""
    parts = header.split(".")
    while parts and ".".join(parts) not in known:
        parts.pop()
    return ".".join(parts)


def _value(text: str) -> str | None:
    """The TOML value at the start of ``text``, without a trailing comment."""
    candidates = [text[: m.start()].strip() for m in re.finditer(r"\s+#", text)]
    candidates.append(text.strip())
    for c in candidates:
        try:
            tomllib.loads(f"x = {c}")
        except tomllib.TOMLDecodeError:
            continue
        return c
    return None


def _toml(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).lower() if isinstance(value, bool) else str(value)


def _short(value: str, limit: int = 60) -> str:
    """A long example cut short, its closing quote kept."""
    if len(value) <= limit:
        return value
    return value[: limit - 2].rstrip() + ("…\"" if value.startswith('"') else "…")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _doc(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return re.sub(r"``([^`]+)``", r"`\1`", doc)


def fields_markdown() -> str:
    from plancheck.authoring.scaffold import Names, skeleton

    examples = skeleton_examples(skeleton(Names(*EXAMPLE_NAMES)))
    lines: list[str] = []
    for s in sections():
        lines += [f"### {s.title} ({s.cls.__name__})", ""]
        if s.also:
            lines += ["Also at " + ", ".join(f"`{a}`" for a in s.also) + ".", ""]
        doc = _doc(s.cls)
        if doc:
            lines += [doc, ""]
        lines += ["| key | type | required | what goes there | example |", "|---|---|---|---|---|"]
        hints = _hints(s.cls)
        for f in attrs.fields(s.cls):
            ex = examples.get((s.cls, f.name), Example(""))
            shown = f"`{_short(ex.value)}`" if ex.value else ""
            if _child(hints[f.name]) is not None and not ex.value.startswith("{"):
                shown = "see below"
            lines.append(f"| `{f.name}` | {type_text(hints[f.name], s.header, f.name)} | "
                         f"{required_text(f)} | {_cell(ex.comment)} | {_cell(shown)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def model_fields() -> Iterator[tuple[type, str]]:
    """Every (class, key) of the plan format."""
    for s in sections():
        for f in attrs.fields(s.cls):
            yield s.cls, f.name


# -- hooks and commands -----------------------------------------------------------

def hookspec_functions() -> list[typing.Any]:
    """The hook specifications, in source order."""
    found = [f for f in vars(hookspecs).values()
             if inspect.isfunction(f) and hasattr(f, "plancheck_spec")]
    return sorted(found, key=lambda f: f.__code__.co_firstlineno)


def hooks_markdown() -> str:
    lines: list[str] = []
    for fn in hookspec_functions():
        opts = fn.plancheck_spec
        first = " Stops at the first non-`None` result." if opts.get("firstresult") else ""
        summary = (inspect.getdoc(fn) or "").splitlines()[0]
        lines += [f"### `{fn.__name__}`", "", f"{summary}{first}", "", "```python",
                  f"@hookimpl\ndef {fn.__name__}{_signature(fn)}:"]
        lines += [f'    """{_indent(inspect.getdoc(fn) or "")}\n    """', "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _signature(fn: typing.Any) -> str:
    sig = inspect.signature(fn)
    params = ", ".join(f"{p.name}: {p.annotation}" if p.annotation is not p.empty else p.name
                       for p in sig.parameters.values())
    ret = "" if sig.return_annotation is sig.empty else f" -> {sig.return_annotation}"
    return f"({params}){ret}"


def _indent(doc: str) -> str:
    return "\n".join(("    " + line) if line and i else line for i, line in enumerate(doc.splitlines()))
