"""What every route needs: the portal's settings and database, the signed-in user, the language, pages.

Routes state who may call them with the dependencies here (:func:`signed_in`,
:func:`reader`, :func:`bearer`, :func:`form_with_csrf`); the decision itself is
always :func:`plancheck.web.access.may`.
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote

import attrs
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from plancheck import language
from plancheck.language import LANGS, lazy
from plancheck.web.access import Actor, may

SESSION_COOKIE = "plancheck_session"
#: The cookie name over HTTPS: the __Host- prefix makes browsers refuse it unless Secure, host-only, path /.
SECURE_SESSION_COOKIE = "__Host-plancheck_session"
PRESESSION_COOKIE = "plancheck_signin"
LANG_COOKIE = "plancheck_lang"


@attrs.frozen
class Settings:
    """How a portal runs; given to :func:`plancheck.web.app.create_app`."""

    db_url: str
    #: Largest request body (a filled form) in bytes.
    max_upload: int = 20 * 1024 * 1024
    #: Session cookies marked Secure: True always, False never, None when the request came over HTTPS
    #: (behind a TLS proxy, as its X-Forwarded-Proto says when uvicorn trusts the proxy).
    secure_cookies: bool | None = None
    #: Serving example data with demo accounts: every page says so.
    example: bool = False
    #: The day the portal takes as today (None: today in Vietnam); for tests and demonstrations.
    today: date | None = None

    def to_env(self) -> str:
        return json.dumps({"db_url": self.db_url, "max_upload": self.max_upload,
                           "secure_cookies": self.secure_cookies, "example": self.example,
                           "today": self.today.isoformat() if self.today else None})

    @classmethod
    def from_env(cls, text: str) -> Settings:
        d = json.loads(text)
        return cls(d["db_url"], d["max_upload"], d["secure_cookies"], d["example"],
                   date.fromisoformat(d["today"]) if d.get("today") else None)


class Portal:
    """One worker's portal: settings, database engine, provinces and templates."""

    def __init__(self, settings: Settings) -> None:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

        from plancheck.web.judging import Provinces
        from plancheck.web.tables import open_portal

        self.settings = settings
        self.engine = open_portal(settings.db_url)
        self.provinces = Provinces()
        # Autoescape on for every template: names and descriptions come from plans and forms.
        self.templates = Environment(loader=PackageLoader("plancheck.web", "templates"),
                                     autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)

    def today(self) -> date:
        if self.settings.today is not None:
            return self.settings.today
        from plancheck.plans.calendar import today_in_vietnam

        return today_in_vietnam()


def portal(request: Request) -> Portal:
    return request.app.state.portal  # type: ignore[no-any-return]


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang") or ""
    if asked in LANGS:
        return asked
    kept = request.cookies.get(LANG_COOKIE) or ""
    return kept if kept in LANGS else "vi"


def address(request: Request) -> str:
    return request.client.host if request.client else ""


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def secure(request: Request) -> bool:
    setting = portal(request).settings.secure_cookies
    return is_https(request) if setting is None else setting


def session_cookie_name(request: Request) -> str:
    return SECURE_SESSION_COOKIE if secure(request) else SESSION_COOKIE


@attrs.frozen
class Viewer:
    """The signed-in user of a page request and their session's CSRF token."""

    actor: Actor
    csrf: str
    session: str


class SignInNeeded(Exception):
    """A page needs a signed-in user: the browser is sent to the sign-in page."""


def viewer(request: Request) -> Viewer | None:
    """The signed-in user of this request (its session cookie), or None."""
    known = getattr(request.state, "viewer", False)
    if known is not False:
        return known if isinstance(known, Viewer) else None
    from plancheck.web.accounts import session_actor

    found = None
    session = request.cookies.get(session_cookie_name(request))
    if session:
        got = session_actor(portal(request).engine, session)
        if got is not None:
            found = Viewer(got[0], got[1], session)
    request.state.viewer = found
    return found


def signed_in(request: Request) -> Viewer:
    v = viewer(request)
    if v is None:
        raise SignInNeeded()
    return v


def reader(request: Request, province: str) -> Viewer:
    """A signed-in user who may read ``province`` (403 otherwise, 404 for a province not installed)."""
    v = signed_in(request)
    if province not in portal(request).provinces.ids():
        raise HTTPException(404, lazy("no such province"))
    if not may(v.actor, "read", province):
        raise HTTPException(403, lazy("this province is not yours to see"))
    return v


def allowed(v: Viewer, action: str, province: str | None = None) -> Viewer:
    if not may(v.actor, action, province):
        raise HTTPException(403, lazy("your role does not allow this"))
    return v


def bearer(request: Request) -> Actor:
    """The user of the API token in the Authorization header; 401 without a valid one."""
    from plancheck.web.accounts import token_actor

    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    actor = token_actor(portal(request).engine, token.strip()) if scheme.lower() == "bearer" and token else None
    if actor is None:
        raise HTTPException(401, language.gettext("a valid API token is needed: Authorization: Bearer <token> "
                                                  "(plancheck user token NAME)"),
                            headers={"WWW-Authenticate": "Bearer"})
    return actor


def _same_origin(request: Request) -> bool:
    """A browser's Origin (or Referer) must be this site's, when it sends one."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    from urllib.parse import urlsplit

    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", request.url.netloc)


async def form_with_csrf(request: Request) -> tuple[Viewer | None, Any]:
    """The posted form, after checking its CSRF token: the session's, or before sign-in the
    sign-in page's own cookie (double submit). 403 on a missing or wrong token or a foreign origin."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    sent = form.get("csrf")
    v = await run_in_threadpool(viewer, request)
    from plancheck.web.accounts import same_secret

    expected = v.csrf if v is not None else request.cookies.get(PRESESSION_COOKIE)
    if not isinstance(sent, str) or not expected or not same_secret(sent, expected) or not _same_origin(request):
        raise HTTPException(403, lazy("this form has expired or did not come from this site: reload the page and "
                                      "try again"))
    return v, form


#: Words a page shows from data (a role, what filing a row would do): marked here so the catalog has them.
SHOWN_FROM_DATA = (lazy("agency"), lazy("province"), lazy("national"), lazy("admin"),
                   lazy("new"), lazy("updated"), lazy("unchanged"))


def page_words(message: str, **values: object) -> str:
    """The templates' ``_``: ``message`` in the language of the request, its ``{name}`` fields filled."""
    text = language.gettext(message)
    return text.format(**values) if values else text


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the request's language; the language asked for with ?lang= is kept in a cookie."""
    p = portal(request)
    lang = lang_of(request)
    v = viewer(request)
    with language.using(lang):  # also what the page computes as it renders (labels, numbers)
        page = p.templates.get_template(template).render(
            _=page_words, lang=lang, viewer=v, actor=v.actor if v else None, request=request,
            example=p.settings.example, path=request.url.path, query=request.url.query, may=may, **context)
    response = HTMLResponse(page, status_code=status)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax",
                            secure=secure(request), path="/")
    return response


def new_presession() -> str:
    return secrets.token_urlsafe(32)


def next_path(value: str | None) -> str:
    """A safe place to go after signing in: a path on this site only."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def signin_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/signin?next={quote(target, safe='')}"


#: What a route states it needs (FastAPI dependencies, written as types).
SignedIn = Annotated[Viewer, Depends(signed_in)]
Reader = Annotated[Viewer, Depends(reader)]
Bearer = Annotated[Actor, Depends(bearer)]
Posted = Annotated[tuple[Viewer | None, Any], Depends(form_with_csrf)]


def static_dir() -> Any:
    return files("plancheck.web") / "static"
