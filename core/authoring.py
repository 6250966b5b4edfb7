"""Commands for plugin authors: ``plancheck plugin new`` and ``plancheck plugin check``."""

from __future__ import annotations

import click


@click.group()
def plugin() -> None:
    """Create and check province plugins."""
