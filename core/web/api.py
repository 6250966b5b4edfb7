"""The JSON API: the CLI's documents over HTTP, for scripts, with bearer tokens (``plancheck user token``).

Every answer is the document the matching command prints with ``--format
json``; what a token may see is what its user may see on the pages. 401
without a valid token, 403 outside the user's province or agency, 422 for a
bad form or parameter (``{"problems": [...]}``, every problem listed).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from plancheck.errors import InputError
from plancheck.language import _
from plancheck.web import accounts, filing
from plancheck.web.access import Actor, may
from plancheck.web.context import Bearer, address, portal
from plancheck.web.judging import only_agency, run_document

router = APIRouter(prefix="/api", tags=["api"])

_PROBLEMS = {"description": "Every problem, one line each: `{\"problems\": [...]}`"}


class DocumentResponse(JSONResponse):
    """JSON as the CLI prints it: UTF-8 text as it is, dates as ISO strings."""

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def problems_response(status: int, problems: list[filing.Problem]) -> JSONResponse:
    """A refused form: every problem as a line, and those in a cell as ``ingest --format json`` gives them
    (file, sheet, cell, row, column, heading, value, problem, fix)."""
    return JSONResponse({"problems": [str(p) for p in problems],
                         "cells": [{**p.to_json(), "reason": p.words()} for p in problems if p.row is not None]},
                        status_code=status)


@router.get("/provinces", responses={401: {"description": "No valid token"}})
def provinces(request: Request, actor: Bearer) -> dict[str, Any]:
    """The provinces this token may see (``plancheck provinces --format json``; plan files by name).

    ``failed`` (plugins that failed to load) is shown to national and admin users only.
    """
    p = portal(request)
    registry = p.provinces.registry
    out: dict[str, Any] = {"provinces": [
        {"province": pr, "name": srcs[0].province_name, "plugin": srcs[0].plugin,
         "api_version": srcs[0].api_version, "plans": [s.path.name for s in srcs]}
        for pr, srcs in registry.provinces().items() if may(actor, "read", pr)]}
    if actor.role in ("national", "admin"):
        out["failed"] = [{"plugin": f.plugin, "distribution": f.distribution, "reason": f.reason}
                         for f in registry.failures]
    return out


@router.get("/provinces/{province}/findings",
            responses={401: {"description": "No valid token"}, 403: {"description": "Not this token's province"},
                       404: {"description": "No such province"}, 422: _PROBLEMS})
def findings(request: Request, province: str, actor: Bearer,
             as_of: Annotated[date | None, Query(description="Judge as of this date (default: today in "
                                                                "Vietnam)")] = None) -> JSONResponse:
    """The findings of a province (``plancheck run --format json``), with the office's waivers applied.

    An agency's token gets its own agency's findings only (and their summary and roll-ups).
    """
    from plancheck.web.waivers import in_force

    p = portal(request)
    if province not in p.provinces.ids():
        raise HTTPException(404, _("no province {province!r}").format(province=province))
    if not may(actor, "read", province):
        raise HTTPException(403, _("this token may not read {province}").format(province=province))
    waivers, _shown, state = in_force(p.engine, province)
    try:
        report = p.provinces.report(p.engine, province, as_of or p.today(), waivers, state)
    except InputError as exc:
        return JSONResponse({"problems": exc.lines()}, status_code=422)
    return DocumentResponse(run_document(only_agency(report, actor.agency_only)))


@router.post("/forms", responses={401: {"description": "No valid token"},
                                  403: {"description": "Rows outside the token's agency or province; nothing "
                                                       "written. " + _PROBLEMS["description"]},
                                  413: {"description": "The file is larger than the portal takes"},
                                  422: {"description": "A bad form; nothing written. " + _PROBLEMS["description"]}})
async def forms(request: Request, file: Annotated[UploadFile, File(description="A filled form, .xlsx or .csv")],
                actor: Bearer,
                dry_run: Annotated[bool, Query(description="Check and summarise; write nothing")] = False
                ) -> JSONResponse:
    """File a filled form (``plancheck ingest --format json``): all or nothing, the token's user as reporter.

    Answers a list with one summary (``file``, ``sha256``, ``new``, ``updated``,
    ``unchanged``, ``ignored``, ``dry_run``).
    """
    if not may(actor, "file", actor.province, actor.agency or None):
        raise HTTPException(403, _("this token's user does not file forms"))
    name = filing.safe_name(file.filename)
    raw = await file.read()
    return await run_in_threadpool(_file_form, request, actor, name, raw, dry_run)


def _file_form(request: Request, actor: Actor, name: str, raw: bytes, dry_run: bool) -> JSONResponse:
    p = portal(request)
    try:
        checked = filing.check(name, raw, p.provinces.all_plans(), actor, p.today())
    except filing.Refused as refused:
        accounts.audit(p.engine, actor.name, "upload_refused", actor.province, address(request),
                       {"file": name, "status": refused.status, "problems": len(refused.problems), "via": "api"})
        return problems_response(refused.status, refused.problems)
    if dry_run:
        summary, _preview = filing.preview(p.engine, checked)
    else:
        summary = filing.store_form(p.engine, checked, actor.name)
        for province in checked.provinces:
            accounts.audit(p.engine, actor.name, "ingest", province, address(request),
                           {"file": name, "sha256": checked.sha256, "agency": actor.agency or None,
                            "new": summary.new, "updated": summary.updated, "unchanged": summary.unchanged,
                            "ignored": summary.ignored, "via": "api"})
    return DocumentResponse([summary.to_json()])


@router.get("/compare", responses={401: {"description": "No valid token"},
                                   403: {"description": "Only national and admin users compare provinces"}})
def compare(request: Request, actor: Bearer,
            as_of: Annotated[date | None, Query(description="Judge as of this date")] = None) -> JSONResponse:
    """Every installed province on the national programme's indicators (``plancheck compare --format json``)."""
    if not may(actor, "compare"):
        raise HTTPException(403, _("only national and admin users compare provinces"))
    p = portal(request)
    try:
        doc = p.provinces.comparison(p.settings.db_url, as_of or p.today(), p.today())
    except InputError as exc:
        return JSONResponse({"problems": exc.lines()}, status_code=422)
    return DocumentResponse(doc)
