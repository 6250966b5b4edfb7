"""The pages everyone starts from: signing in and out, home per role, filing a form, the API's docs."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from plancheck.errors import InputError
from plancheck.language import lazy
from plancheck.web import accounts, filing
from plancheck.web.access import may
from plancheck.web.context import (
    PRESESSION_COOKIE,
    Posted,
    SignedIn,
    Viewer,
    address,
    lang_of,
    new_presession,
    next_path,
    portal,
    render,
    secure,
    session_cookie_name,
    viewer,
)
from plancheck.web.judging import only_agency

router = APIRouter()
#: Seconds a failed sign-in waits before its answer: with the lockout, guessing stays slow.
FAILED_SIGNIN_DELAY = 1.0


@router.get("/healthz", include_in_schema=False)
def healthz() -> Response:
    """For a reverse proxy's health check: answers without touching anything."""
    return Response("ok\n", media_type="text/plain")


def _signin_page(request: Request, error: str | None = None, status: int = 200, name: str = "") -> HTMLResponse:
    token = request.cookies.get(PRESESSION_COOKIE) or new_presession()
    response = render(request, "signin.html", status=status, csrf=token, error=error, name=name,
                      next=next_path(request.query_params.get("next")))
    response.set_cookie(PRESESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure(request),
                        path="/signin")
    return response


@router.get("/signin", include_in_schema=False)
def signin_form(request: Request) -> Response:
    if viewer(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _signin_page(request)


@router.post("/signin", include_in_schema=False)
async def signin(request: Request, posted: Posted) -> Response:
    _, form = posted
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    p = portal(request)
    outcome = await run_in_threadpool(accounts.sign_in, p.engine, name, password, address(request))
    if isinstance(outcome, accounts.Refused):
        await asyncio.sleep(FAILED_SIGNIN_DELAY)
        if outcome.locked:
            return _signin_page(request, "locked", status=429, name=name)
        return _signin_page(request, "wrong", status=401, name=name)
    target = next_path(str(form.get("next") or "/"))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(session_cookie_name(request), outcome.session, max_age=int(
        accounts.SESSION_LIFETIME.total_seconds()), httponly=True, samesite="lax", secure=secure(request), path="/")
    response.delete_cookie(PRESESSION_COOKIE, path="/signin")
    return response


@router.post("/signout", include_in_schema=False)
async def signout(request: Request, posted: Posted) -> Response:
    v, _ = posted
    if v is not None:
        await run_in_threadpool(accounts.sign_out, portal(request).engine, v.session, v.actor, address(request))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(session_cookie_name(request), path="/")
    return response


# -- home ------------------------------------------------------------------------------

@router.get("/", include_in_schema=False)
def home(request: Request, v: SignedIn) -> Response:
    actor = v.actor
    p = portal(request)
    today = p.today()
    if actor.role in ("national", "admin"):
        rows = []
        for province in p.provinces.ids():
            try:
                report = _report(request, province, today)
                rows.append({"province": province, "name": p.provinces.name(province),
                             "summary": report.summary(), "failure": None})
            except InputError as exc:
                rows.append({"province": province, "name": province, "summary": None,
                             "failure": "; ".join(exc.lines())})
        recent = accounts.audit_entries(p.engine, limit=15) if may(actor, "audit") else []
        return render(request, "home_national.html", provinces=rows, today=today, recent=recent)
    province = actor.province
    report = only_agency(_report(request, province, today), actor.agency_only)
    from plancheck.judge.rollups import rollups
    from plancheck.publish.content import rows as reader_rows
    from plancheck.publish.labels import Locale

    plans = p.provinces.plans(province)
    loc = Locale(lang_of(request))
    shown = reader_rows(report, plans, loc)
    due_next = sorted((r for r in shown if r.finding.status == "pending" and r.finding.due is not None
                       and r.finding.due >= today), key=lambda r: r.due or today)[:10]
    late = sorted((r for r in shown if r.finding.status == "not_met" and not r.finding.waived
                   and r.finding.reason in ("late", "missing")),
                  key=lambda r: -(r.finding.days_late or 0))[:8]
    filed = [e for e in accounts.audit_entries(p.engine, province=province, action="ingest", limit=50)
             if actor.agency_only is None or e["detail"].get("agency") == actor.agency][:10]
    agencies = p.provinces.agencies(province)
    silent = [a for a in rollups(report.findings, today)["agencies"] if a["missing"]]
    silent.sort(key=lambda a: -int(a["missing"]))  # type: ignore[call-overload]
    return render(request, "home.html", province=province, province_name=p.provinces.name(province),
                  summary=report.summary(), due_next=due_next, late=late, filed=filed, silent=silent,
                  agencies=agencies, loc=loc, today=today)


def _report(request: Request, province: str, as_of: Any) -> Any:
    from plancheck.web.waivers import in_force

    p = portal(request)
    waivers, _, state = in_force(p.engine, province)
    return p.provinces.report(p.engine, province, as_of, waivers, state)


# -- filing a form -------------------------------------------------------------------------

def _filer(v: SignedIn) -> Viewer:
    if not may(v.actor, "file", v.actor.province, v.actor.agency or None):
        raise HTTPException(403, lazy("your role does not file forms"))
    return v


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request, v: Annotated[Viewer, Depends(_filer)]) -> Response:
    return render(request, "upload.html", max_mb=portal(request).settings.max_upload // 2**20)


def _check(request: Request, v: Viewer, name: str, raw: bytes) -> filing.Checked:
    p = portal(request)
    return filing.check(name, raw, p.provinces.all_plans(), v.actor, p.today())


@router.post("/upload", include_in_schema=False)
async def upload(request: Request, posted: Posted) -> Response:
    v, form = posted
    if v is None:
        raise HTTPException(403, lazy("sign in first"))
    _filer(v)
    upload_file = form.get("file")
    if upload_file is None or isinstance(upload_file, str) or not upload_file.filename:
        return render(request, "upload.html", status=422, max_mb=portal(request).settings.max_upload // 2**20,
                      error="choose")
    name = filing.safe_name(upload_file.filename)
    raw = await upload_file.read()
    return await run_in_threadpool(_preview, request, v, name, raw)


def _preview(request: Request, v: Viewer, name: str, raw: bytes) -> Response:
    p = portal(request)
    try:
        checked = _check(request, v, name, raw)
    except filing.Refused as refused:
        accounts.audit(p.engine, v.actor.name, "upload_refused", v.actor.province, address(request),
                       {"file": name, "sha256": filing.hashlib.sha256(raw).hexdigest(), "status": refused.status,
                        "problems": len(refused.problems)})
        return render(request, "refused.html", status=refused.status, file=name, refused=refused)
    summary, rows = filing.preview(p.engine, checked)
    upload_id = accounts.keep_upload(p.engine, v.actor, name, checked.sha256, raw)
    return render(request, "preview.html", file=name, summary=summary, rows=rows[:filing.PREVIEW_ROWS],
                  more=max(0, len(rows) - filing.PREVIEW_ROWS), upload_id=upload_id, sha256=checked.sha256,
                  name_of=_plan_names(request, checked.provinces))


def _plan_names(request: Request, provinces: tuple[str, ...]) -> Any:
    """``name_of(plan, kind, id)``: the plan's own name of an item, agency or unit (English with ``en``)."""
    from plancheck.publish.content import Names
    from plancheck.publish.labels import Locale

    p = portal(request)
    plans = [plan for province in provinces for plan in p.provinces.plans(province)]
    names, loc = Names.of(plans), Locale(lang_of(request))
    items = {(plan.id, x.id): x for plan in plans for x in (*plan.measures, *plan.tasks, *plan.obligations)}

    def name_of(plan: str, kind: str, id_: str) -> str:
        if kind == "agency":
            return names.agency(plan, id_, loc)
        if kind == "unit":
            return names.unit(plan, id_, loc)
        found = items.get((plan, id_))
        return str(getattr(found, "name_en" if loc.lang == "en" else "name", id_)) if found else id_

    return name_of


@router.post("/upload/{upload_id}/confirm", include_in_schema=False)
async def confirm(request: Request, upload_id: str,
                  posted: Posted) -> Response:
    v, _ = posted
    if v is None:
        raise HTTPException(403, lazy("sign in first"))
    _filer(v)
    return await run_in_threadpool(_confirm, request, v, upload_id)


def _confirm(request: Request, v: Viewer, upload_id: str) -> Response:
    p = portal(request)
    kept = accounts.take_upload(p.engine, v.actor, upload_id)
    if kept is None:
        return render(request, "upload.html", status=410, max_mb=p.settings.max_upload // 2**20, error="gone")
    name, raw = kept
    try:  # checked again: plans, today and the data may have moved since the preview
        checked = _check(request, v, name, raw)
    except filing.Refused as refused:
        return render(request, "refused.html", status=refused.status, file=name, refused=refused)
    summary = filing.store_form(p.engine, checked, v.actor.name)
    for province in checked.provinces:
        accounts.audit(p.engine, v.actor.name, "ingest", province, address(request),
                       {"file": name, "sha256": checked.sha256, "agency": v.actor.agency or None,
                        "new": summary.new, "updated": summary.updated, "unchanged": summary.unchanged,
                        "ignored": summary.ignored, "via": "page"})
    return render(request, "filed.html", file=name, summary=summary, provinces=checked.provinces)


# -- the API's documentation, for signed-in users only ---------------------------------------------

def _docs_reader(request: Request) -> None:
    if viewer(request) is None:
        from plancheck.web.context import bearer

        bearer(request)  # a script with a token may read the schema too; anyone else: 401


@router.get("/openapi.json", include_in_schema=False)
def openapi_json(request: Request, _: Annotated[None, Depends(_docs_reader)]) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", include_in_schema=False)
def docs(request: Request, v: SignedIn) -> Response:
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            operations.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                               "description": op.get("description", ""),
                               "parameters": op.get("parameters", []),
                               "responses": op.get("responses", {}),
                               "body": bool(op.get("requestBody"))})
    return render(request, "apidocs.html", operations=operations, info=schema.get("info", {}))
