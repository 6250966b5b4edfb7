"""Who may see and do what: one function decides (:func:`may`), every route asks it.

Four roles, as the provincial reporting loop has them:

- ``agency``: one agency of one province. Downloads its own form, files its
  own rows only, sees its own obligations, deadlines and verdicts.
- ``province``: the provincial office. Everything of its province: filing for
  any of its agencies, findings, explain, waivers, reports, who has not reported.
- ``national``: read-only, every province and the national comparison.
- ``admin``: users and the audit log (and reads what national reads).
"""

from __future__ import annotations

import attrs

ROLES = ("agency", "province", "national", "admin")

#: What a role may do, by action; province-bound actions are further checked by :func:`may`.
_ACTIONS = {
    "read": {"agency", "province", "national", "admin"},  # a province's findings, completeness, reports
    "file": {"agency", "province"},  # upload rows for an agency of a province
    "waive": {"province"},  # add or revoke a waiver of a province
    "compare": {"national", "admin"},  # the national comparison
    "users": {"admin"},  # add, disable users
    "audit": {"province", "admin"},  # the audit log (a province officer: their province's only)
}


@attrs.frozen
class Actor:
    """A signed-in user (or the holder of a user's API token)."""

    id: int
    name: str
    role: str
    province: str = ""
    agency: str = ""

    @property
    def agency_only(self) -> str | None:
        """The agency whose rows alone this actor sees and files, or None for no such limit."""
        return self.agency if self.role == "agency" else None


def may(actor: Actor | None, action: str, province: str | None = None, agency: str | None = None) -> bool:
    """Whether ``actor`` may do ``action`` (see :data:`_ACTIONS`) on ``province`` (and for ``agency``).

    ``read`` of a province by an agency user is allowed for its own province
    only; what it then sees is limited to its own agency (:attr:`Actor.agency_only`).
    ``file`` for an agency user needs its own province and its own agency; a
    row for the province as a whole (no agency) is the provincial office's.
    """
    if actor is None or actor.role not in _ACTIONS.get(action, ()):
        return False
    if action in ("compare", "users"):
        return True
    if action == "audit":
        return actor.role == "admin" or (province is not None and province == actor.province)
    if actor.role in ("national", "admin"):
        return action == "read"
    if province is None or province != actor.province:
        return False
    if actor.role == "agency" and action == "file":
        return agency is not None and agency == actor.agency
    return True


def visible_provinces(actor: Actor, provinces: list[str]) -> list[str]:
    """The provinces (of ``provinces``) whose data ``actor`` may read."""
    return [p for p in provinces if may(actor, "read", p)]
