"""Errors a user can act on: bad plan files, bad forms, bad arguments.

They carry every problem found, not the first, so one run of the command
shows everything to fix. The CLI prints them and exits 2; nothing else
catches them.
"""

from __future__ import annotations

from collections.abc import Iterable


class InputError(Exception):
    """One or more problems in something the user gave us.

    Each problem is one line, already prefixed with where it is
    (``file: message @ $.path`` or ``file:row: column: message``).
    """

    def __init__(self, problems: Iterable[str], *, limit: int | None = None) -> None:
        self.problems = list(problems)
        self.limit = limit
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        """The problems to show, cut at ``limit`` with a count of the rest."""
        if self.limit is None or len(self.problems) <= self.limit:
            return list(self.problems)
        rest = len(self.problems) - self.limit
        return [*self.problems[: self.limit], f"... and {rest} more problems"]
