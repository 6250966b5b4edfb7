"""The portal's application: :func:`create_app` wires settings, routes, security and errors.

Security as the trusted frameworks do it: security headers on every answer
(a Content-Security-Policy that allows only this site's own stylesheet and no
script, no framing, no sniffing; HSTS over HTTPS), request bodies cut at the
upload limit (413), and no stack trace ever sent: an unexpected error is
logged with an incident number and the browser gets a page (or JSON) with
that number only.
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from plancheck import language
from plancheck.language import LANGS
from plancheck.web.context import Portal, Settings, SignInNeeded, lang_of, render, signin_url, static_dir

log = logging.getLogger("plancheck.web")

#: Where ``plancheck serve --workers N`` hands each worker its settings (see :func:`app_from_environment`).
SETTINGS_ENV = "PLANCHECK_PORTAL_SETTINGS"

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")


def create_app(settings: Settings) -> FastAPI:
    """The portal as an ASGI application (opens the database and creates the portal's tables)."""
    from plancheck import __version__
    from plancheck.web import api, office, pages

    app = FastAPI(title="plancheck portal", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, description=(
                      "The JSON API of plancheck's portal: the documents of `plancheck run`, `ingest`, "
                      "`compare` and `provinces` with `--format json`. Authenticate with "
                      "`Authorization: Bearer <token>` (`plancheck user token NAME`)."))
    app.state.portal = Portal(settings)
    app.include_router(pages.router)
    app.include_router(office.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")
    app.add_exception_handler(SignInNeeded, _sign_in_needed)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(BodyLimit, limit=settings.max_upload)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Language)  # the outermost: a refusal before the app (413) is in the reader's language too
    return app


def app_from_environment() -> FastAPI:
    """The app of one ``uvicorn --factory`` worker, with the settings ``plancheck serve`` left in the environment."""
    return create_app(Settings.from_env(os.environ[SETTINGS_ENV]))


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


async def _sign_in_needed(request: Request, exc: Exception) -> Response:
    return RedirectResponse(signin_url(request), status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _wants_json(request):
        # str(): a lazy message (plancheck.language.lazy) in the request's language; JSON would write its English
        detail = str(exc.detail) if isinstance(exc.detail, str) else exc.detail
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
    response = render(request, "error.html", status=exc.status_code, code=exc.status_code, detail=str(exc.detail))
    for k, v in (exc.headers or {}).items():
        response.headers[k] = v
    return response


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()]
    if _wants_json(request):
        return JSONResponse({"problems": problems}, status_code=422)
    return render(request, "error.html", status=422, code=422, detail="; ".join(problems))


async def _unexpected(request: Request, exc: Exception) -> Response:
    incident = secrets.token_hex(4)
    log.exception("incident %s: %s %s", incident, request.method, request.url.path)
    if _wants_json(request):
        return JSONResponse({"detail": f"internal error (incident {incident}); the server's log has it"},
                            status_code=500)
    try:
        return render(request, "error.html", status=500, code=500, detail="", incident=incident)
    except Exception:  # the error page itself failed: a plain answer, still without a trace
        return HTMLResponse(f"<!doctype html><title>500</title><p>Internal error (incident {incident}).</p>",
                            status_code=500)


class Language:
    """Each request in its reader's language (:func:`plancheck.web.context.lang_of`; the API: ``?lang=``,
    else English, for scripts), so everything it words, not only its template, is in that language."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        api = request.url.path.startswith("/api/")
        lang = (request.query_params.get("lang") if request.query_params.get("lang") in LANGS else "en") if api \
            else lang_of(request)
        with language.using(lang):
            await self.app(scope, receive, send)


class SecurityHeaders:
    """Security headers on every response (an answer that sets its own CSP keeps it)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                         (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
                         (b"cross-origin-opener-policy", b"same-origin"),
                         (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                         (b"cache-control", b"no-store")]
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with 413: by its Content-Length before reading
    it, or while it streams in when it has none (or lies)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:  # an HTTPException: FastAPI's body parsing passes it on as it is
                    raise StarletteHTTPException(413, self._text())
            return message  # type: ignore[no-any-return]

        await self.app(scope, counted, send)

    def _text(self) -> str:
        return language.gettext("the file is larger than the {mb} MiB this portal takes").format(
            mb=language.number(self.limit / 2**20, 6))

    async def _refuse(self, scope: dict[str, Any], send: Any) -> None:
        import html
        import json

        text, back = self._text(), language.gettext("Back")
        if scope.get("path", "").startswith("/api/"):
            body, media = json.dumps({"problems": [text]}, ensure_ascii=False).encode(), b"application/json"
        else:
            body, media = (f"<!doctype html><meta charset=utf-8><title>413</title><p>{html.escape(text)}. "
                           f"<a href=\"/upload\">{html.escape(back)}</a></p>".encode(),
                           b"text/html; charset=utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
