"""docs/plugins.md, regenerated from the code so the plugin author's manual cannot drift.

Three parts, each between ``<!-- generated:NAME -->`` and
``<!-- /generated:NAME -->`` in the page: ``fields`` and ``hooks`` from
:mod:`plancheck.authoring.plugin_docs`, and ``cli``, the ``--help`` of
``plancheck plugin new`` and ``plugin check``, read from this CLI.

``python -m plancheck.cli.docs [docs/plugins.md]`` rewrites the page;
``--check`` exits 1 when it is out of date (tests/test_docs.py does the same).
"""

from __future__ import annotations

import re
import sys
import typing
from pathlib import Path

from plancheck.authoring import plugin_docs

PARTS = ("fields", "hooks", "cli")
DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def cli_markdown() -> str:
    from click.testing import CliRunner

    from plancheck.cli import cli

    lines: list[str] = []
    for command in ("new", "check"):
        res = CliRunner().invoke(cli, ["plugin", command, "--help"], prog_name="plancheck",
                                 terminal_width=88)
        lines += [f"### `plancheck plugin {command}`", "", "```", res.output.rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def generate() -> dict[str, str]:
    """Each generated part, by name."""
    return {"fields": plugin_docs.fields_markdown(), "hooks": plugin_docs.hooks_markdown(), "cli": cli_markdown()}


def _marker(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- generated:{name} -->\n)(.*?)(<!-- /generated:{name} -->)", re.S)


def render(page: str, parts: dict[str, str] | None = None) -> str:
    """``page`` with every generated part replaced by what the code says now."""
    parts = parts if parts is not None else generate()
    for name, text in parts.items():
        pattern = _marker(name)
        if not pattern.search(page):
            raise ValueError(f"docs/plugins.md has no <!-- generated:{name} --> ... "
                             f"<!-- /generated:{name} --> markers")
        page = pattern.sub(_replacement(text), page)
    return page


def _replacement(text: str) -> typing.Callable[[re.Match[str]], str]:
    return lambda m: m[1] + "\n" + text + "\n" + m[3]


def main(argv: list[str] | None = None) -> int:
    """``python -m plancheck.cli.docs [PAGE] [--check]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    page = Path(args[0]) if args else DOC
    old = page.read_text(encoding="utf-8")
    new = render(old)
    if check:
        if new != old:
            print(f"{page} is out of date: run python -m plancheck.cli.docs", file=sys.stderr)
            return 1
        return 0
    if new != old:
        page.write_text(new, encoding="utf-8")
        print(f"wrote {page}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
