"""The pages of a province and of the nation: findings, explain, completeness, downloads, waivers,
the national dashboard, users and the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from plancheck.errors import InputError
from plancheck.judge.verdicts import STATUSES
from plancheck.language import _, lazy
from plancheck.web import accounts
from plancheck.web.access import ROLES, may
from plancheck.web.context import Posted, Reader, SignedIn, Viewer, address, allowed, lang_of, portal, render
from plancheck.web.judging import only_agency, run_document

router = APIRouter()

#: Report formats a province's page offers, with their media types.
REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
#: Findings shown on one page; the filters narrow the rest.
FINDINGS_SHOWN = 500


def as_of_of(request: Request) -> date:
    text = request.query_params.get("as_of")
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise HTTPException(422, _("as_of: {text!r} is not a date like 2024-12-31").format(text=text)) from None
    return portal(request).today()


def province_report(request: Request, province: str, v: Viewer, as_of: date | None = None) -> Any:
    """The province's report as this viewer may see it (an agency user: its own findings only)."""
    from plancheck.web.waivers import in_force

    p = portal(request)
    waivers, _shown, state = in_force(p.engine, province)
    try:
        report = p.provinces.report(p.engine, province, as_of or as_of_of(request), waivers, state)
    except InputError as exc:
        raise HTTPException(422, "; ".join(exc.lines())) from None
    agency = v.actor.agency_only
    if agency is None:
        return report
    # kept with the report, so that the agency's pages find their rows made too (see made_from)
    return p.provinces.made_from(report, f"agency {agency}", "", lambda: only_agency(report, agency))


@router.get("/p/{province}", include_in_schema=False)
def province_home(province: str, v: Reader) -> Response:
    return RedirectResponse(f"/p/{province}/findings", status_code=303)


@router.get("/p/{province}/findings", include_in_schema=False)
def findings(request: Request, province: str, v: Reader) -> Response:
    from plancheck.publish.content import rows
    from plancheck.publish.labels import Locale

    p = portal(request)
    report = province_report(request, province, v)
    plans = p.provinces.plans(province)
    loc = Locale(lang_of(request))

    def made() -> tuple[list[Any], dict[str, list[tuple[str, str]]]]:
        all_rows = rows(report, plans, loc)
        names = {"agency": {r.finding.agency: r.agency for r in all_rows if r.finding.agency},
                 "unit": {r.finding.unit: r.unit for r in all_rows if r.finding.unit},
                 "period": {r.finding.period: loc.period(r.finding.period) for r in all_rows},
                 "kind": {r.finding.kind: r.kind for r in all_rows},
                 "status": {s: loc.t(f"status.{s}") for s in STATUSES}}
        return all_rows, {k: sorted(v.items(), key=lambda kv: kv[1]) for k, v in names.items()}

    # The rows and filters of a kept report are made once (the report is the same object while the
    # province's data and waivers are unchanged): a view only picks its rows.
    all_rows, options = p.provinces.made_from(report, "findings", loc.lang, made)
    q = request.query_params
    chosen = {k: q.get(k, "") for k in ("agency", "unit", "status", "period", "kind")}
    wanted = [(k, want) for k, want in chosen.items() if want]
    shown = [r for r in all_rows if all(getattr(r.finding, k) == want for k, want in wanted)] if wanted else all_rows
    return render(request, "findings.html", province=province, province_name=p.provinces.name(province),
                  report=report, rows=shown[:FINDINGS_SHOWN], total=len(shown), options=options, chosen=chosen,
                  summary=report.summary(), loc=loc, as_of=report.as_of)


@router.get("/p/{province}/explain/{item}", include_in_schema=False)
def explain(request: Request, province: str, item: str, v: Reader) -> Response:
    from plancheck.publish.content import Names, rows
    from plancheck.publish.labels import Locale

    p = portal(request)
    report = province_report(request, province, v)
    q = request.query_params
    found = [f for f in report.findings if f.item == item and all(
        not q.get(k) or getattr(f, k) == q.get(k) for k in ("agency", "unit", "period"))]
    if not found:
        raise HTTPException(404, _("no finding on {item} that you may see").format(item=item))
    plans = p.provinces.plans(province)
    loc = Locale(lang_of(request))
    keep = {f.key for f in found}
    shown = [r for r in rows(report, plans, loc) if r.finding.key in keep]
    return render(request, "explain.html", province=province, province_name=p.provinces.name(province),
                  item=item, rows=shown, names=Names.of(plans), loc=loc, as_of=report.as_of)


@router.get("/p/{province}/completeness", include_in_schema=False)
def completeness(request: Request, province: str, v: Reader) -> Response:
    from plancheck.judge.rollups import rollups

    p = portal(request)
    report = province_report(request, province, v)
    agencies = p.provinces.agencies(province)
    lang = lang_of(request)
    table = []
    for row in rollups(report.findings, report.as_of)["agencies"]:
        a = agencies.get(str(row["agency"]))
        table.append({**row, "name": (a.name_en if lang == "en" else a.name) if a else row["agency"]})
    return render(request, "completeness.html", province=province, province_name=p.provinces.name(province),
                  rows=table, as_of=report.as_of)


@router.get("/p/{province}/downloads", include_in_schema=False)
def downloads(request: Request, province: str, v: Reader) -> Response:
    p = portal(request)
    agencies = p.provinces.agencies(province) if v.actor.role != "agency" else {}
    lang = lang_of(request)
    return render(request, "downloads.html", province=province, province_name=p.provinces.name(province),
                  agencies=sorted(((k, a.name_en if lang == "en" else a.name) for k, a in agencies.items()),
                                  key=lambda kv: kv[1]),
                  formats=list(REPORT_TYPES), can_file=may(v.actor, "file", province, v.actor.agency or None))


def _attachment(content: bytes, media: str, filename: str) -> Response:
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@router.get("/p/{province}/form.{fmt}", include_in_schema=False)
def form(request: Request, province: str, fmt: str, v: Reader) -> Response:
    """The blank form, as ``plancheck template``: an agency user gets its own agency's rows only."""
    import io

    from plancheck.data.forms import form_rows, write_csv

    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, lazy("a form is .csv or .xlsx"))
    p = portal(request)
    agency = v.actor.agency_only or request.query_params.get("agency") or None
    if agency is not None and agency not in p.provinces.agencies(province):
        raise HTTPException(422, _("unknown agency {agency!r}").format(agency=agency))
    plans = p.provinces.plans(province)
    rows = [r for plan in plans for r in form_rows(plan, agency)]
    stem = f"{province}-{agency}" if agency else province
    if fmt == "xlsx":
        from plancheck.data.workbook import write_xlsx

        return _attachment(write_xlsx(rows, lang_of(request), plans), REPORT_TYPES["xlsx"], f"{stem}-form.xlsx")
    buf = io.StringIO()
    write_csv(rows, buf)
    return _attachment(buf.getvalue().encode("utf-8"), REPORT_TYPES["csv"], f"{stem}-form.csv")


@router.get("/p/{province}/report.{fmt}", include_in_schema=False)
def report_file(request: Request, province: str, fmt: str, v: Reader) -> Response:
    """The report, as ``plancheck run --format``: an agency user's holds its own findings only."""
    if fmt not in REPORT_TYPES:
        raise HTTPException(404, _("a report is one of {formats}").format(formats=", ".join(REPORT_TYPES)))
    p = portal(request)
    report = province_report(request, province, v)
    stem = f"{province}-{report.as_of.isoformat()}" + (f"-{v.actor.agency}" if v.actor.agency_only else "")
    if fmt == "json":
        from plancheck.publish.text import json_text

        content = json_text(run_document(report)).encode("utf-8")
    else:
        from plancheck.publish import publish

        content = publish(report, p.provinces.plans(province), fmt, lang_of(request))
    return _attachment(content, REPORT_TYPES[fmt], f"{stem}.{fmt}")


# -- waivers -------------------------------------------------------------------------------

@router.get("/p/{province}/waivers", include_in_schema=False)
def waivers_page(request: Request, province: str, v: Reader) -> Response:
    return _waivers_view(request, province, v)


def _waivers_view(request: Request, province: str, v: Viewer, errors: list[str] | None = None,
                  status: int = 200) -> Response:
    from plancheck.web.waivers import in_force

    if v.actor.role == "agency":
        raise HTTPException(403, lazy("waivers are the provincial office's"))
    p = portal(request)
    _waivers, shown, _state = in_force(p.engine, province)
    plans = p.provinces.plans(province)
    items = sorted({(x.id, x.name) for pl in plans for x in (*pl.targets, *pl.tasks, *pl.obligations)})
    return render(request, "waivers.html", status=status, province=province,
                  province_name=p.provinces.name(province), waivers=shown, items=items,
                  can_waive=may(v.actor, "waive", province), errors=errors or [])


@router.post("/p/{province}/waivers", include_in_schema=False)
async def add_waiver(request: Request, province: str, posted: Posted
                     ) -> Response:
    from plancheck.web import waivers

    v = _poster(posted, "waive", province)
    p = portal(request)
    fields = {k: str(posted[1].get(k) or "") for k in waivers.FIELDS}
    try:
        waiver = waivers.from_form(fields, p.provinces.plans(province))
    except InputError as exc:
        return await run_in_threadpool(_waivers_view, request, province, v, exc.lines(), 422)
    await run_in_threadpool(waivers.add, p.engine, province, waiver, v.actor, address(request))
    return RedirectResponse(f"/p/{province}/waivers", status_code=303)


@router.post("/p/{province}/waivers/{waiver_id}/revoke", include_in_schema=False)
async def revoke_waiver(request: Request, province: str, waiver_id: int,
                        posted: Posted) -> Response:
    from plancheck.web import waivers

    v = _poster(posted, "waive", province)
    if not await run_in_threadpool(waivers.revoke, portal(request).engine, province, waiver_id, v.actor,
                                   address(request)):
        raise HTTPException(404, lazy("no such waiver in force"))
    return RedirectResponse(f"/p/{province}/waivers", status_code=303)


def _poster(posted: tuple[Viewer | None, Any], action: str, province: str | None = None) -> Viewer:
    v = posted[0]
    if v is None:
        raise HTTPException(403, lazy("sign in first"))
    return allowed(v, action, province)


# -- the nation ------------------------------------------------------------------------------

def _comparison(request: Request) -> dict[str, Any]:
    p = portal(request)
    return p.provinces.comparison(p.settings.db_url, as_of_of(request), p.today())


@router.get("/national", include_in_schema=False)
def national(request: Request, v: SignedIn) -> Response:
    allowed(v, "compare")
    doc = _comparison(request)
    p = portal(request)
    names = {pr["province"]: pr["name"] for pr in doc["provinces"]}
    reporting = {r["province"]: r for r in doc["reporting"]}
    from plancheck.publish.dashboard import rule_words, unranked_note
    from plancheck.publish.labels import Locale

    loc = Locale(lang_of(request))
    return render(request, "national.html", doc=doc, names=names, reporting=reporting,
                  readable=[x for x in p.provinces.ids() if may(v.actor, "read", x)],
                  why=lambda r: "" if r.get("rank") is not None else unranked_note(r, loc),
                  rule=rule_words(doc["ranking"]["rule"], loc), day=loc.day(date.fromisoformat(doc["as_of"])))


@router.get("/national/dashboard.html", include_in_schema=False)
def national_dashboard(request: Request, v: SignedIn) -> Response:
    from plancheck.publish import publish_comparison

    allowed(v, "compare")
    doc = _comparison(request)
    return _attachment(publish_comparison(doc, lang_of(request)), REPORT_TYPES["html"],
                       f"national-{doc['as_of']}.html")


# -- users and the audit log ------------------------------------------------------------------------

@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, v: SignedIn) -> Response:
    return _users_view(request, v)


def _users_view(request: Request, v: Viewer, errors: list[str] | None = None, status: int = 200) -> Response:
    allowed(v, "users")
    p = portal(request)
    return render(request, "users.html", status=status, users=accounts.users(p.engine), roles=ROLES,
                  provinces=p.provinces.ids(), errors=errors or [])


@router.post("/admin/users", include_in_schema=False)
async def add_user(request: Request, posted: Posted) -> Response:
    v = _poster(posted, "users")
    form = posted[1]
    get = {k: str(form.get(k) or "").strip() for k in ("name", "role", "province", "agency")}
    password, again = str(form.get("password") or ""), str(form.get("password2") or "")
    p = portal(request)
    problems = [] if password == again else [_("the two passwords differ")]
    problems += p.provinces.scope_problems(get["province"] or None, get["agency"] or None)
    if not problems:
        try:
            await run_in_threadpool(lambda: accounts.add_user(
                p.engine, get["name"], get["role"], password, province=get["province"] or None,
                agency=get["agency"] or None, by=v.actor.name, address=address(request)))
        except InputError as exc:
            problems = exc.lines()
    if problems:
        return await run_in_threadpool(_users_view, request, v, problems, 422)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/{change}", include_in_schema=False)
async def change_user(request: Request, name: str, change: str,
                      posted: Posted) -> Response:
    v = _poster(posted, "users")
    if change not in ("disable", "enable"):
        raise HTTPException(404, lazy("no such change"))
    if name == v.actor.name and change == "disable":
        raise HTTPException(422, lazy("you cannot disable yourself"))
    try:
        await run_in_threadpool(lambda: accounts.set_disabled(portal(request).engine, name, change == "disable",
                                                              by=v.actor.name, address=address(request)))
    except InputError as exc:
        raise HTTPException(404, "; ".join(exc.lines())) from None
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit", include_in_schema=False)
def audit(request: Request, v: SignedIn) -> Response:
    province = None if v.actor.role == "admin" else v.actor.province
    allowed(v, "audit", province)
    entries = accounts.audit_entries(portal(request).engine, province=province, limit=300)
    return render(request, "audit.html", entries=entries, province=province)
