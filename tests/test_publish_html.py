"""The HTML report in a real headless Chromium.

Chromium is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages ending in NUL on file descriptors
3 and 4), so the tests need nothing beyond the standard library and Debian's
``chromium``. They load the page from a file and check what a reader gets: no
console errors, no request leaving the page, charts drawn, the filters
working, names shown as text and never run; and they keep a screenshot in
``test-artifacts/`` (``PLANCHECK_UPDATE_DOCS_IMG=1`` also refreshes
``docs/img/report-hung_yen.png`` for the README).
"""

from __future__ import annotations

import base64
import fcntl
import html
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_publish_content import ATTR, CLOSE, IMG, SCRIPT, evil_report, hung_yen_report

from conftest import ROOT
from plancheck.publish import page as page_base
from plancheck.publish import publish
from plancheck.publish.labels import Locale

ARTIFACTS = ROOT / "test-artifacts"
DOCS_IMG = ROOT / "docs" / "img" / "report-hung_yen.png"
#: Upper bound on waiting for the browser (a hang fails the test instead of blocking the suite).
PATIENCE = 60.0


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Chromium not found: install it (Debian: apt-get install chromium); the HTML tests do not skip")


class Chromium:
    """A headless Chromium and one DevTools session per opened page."""

    def __init__(self, profile: Path) -> None:
        # Our ends of the two pipes, and the browser's, moved above fd 10 so that putting the
        # browser's on fds 3 and 4 cannot overwrite any of them.
        to_r, self._to, self._from, from_w = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
                                              for fd in (*os.pipe(), *os.pipe()))
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
                "--force-device-scale-factor=1", f"--user-data-dir={profile}", "--remote-debugging-pipe",
                "about:blank"]
        self.stderr = profile.parent / "chromium.stderr"
        # A small trampoline puts the browser's ends on fds 3 (it reads) and 4 (it writes), then execs it.
        trampoline = ("import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]); os.dup2(r, 3); os.dup2(w, 4); "
                      "os.close(r); os.close(w); os.execv(sys.argv[3], sys.argv[3:])")
        with self.stderr.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", trampoline, str(to_r), str(from_w), chromium_path(), *args],
                pass_fds=(to_r, from_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to, json.dumps(msg).encode() + b"\0")
        reply = self._until(lambda m: m.get("id") == self._next)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        seen = next((m for m in self.events if m["method"] == method and m.get("sessionId") == session), None)
        return seen or self._until(lambda m: m.get("method") == method and m.get("sessionId") == session)

    def _until(self, match) -> dict[str, Any]:
        deadline = time.monotonic() + PATIENCE
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "method" in msg:
                    self.events.append(msg)
                if match(msg):
                    return msg
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer within {PATIENCE:.0f}s; see {self.stderr}")
            chunk = os.read(self._from, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium exited: {self.stderr.read_text(errors='replace')[-2000:]}")
            self._buf += chunk

    def open(self, path: Path, width: int = 1280, height: int = 2000) -> Page:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session)
        self.send("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", session, url=path.as_uri())
        self.wait_event("Page.loadEventFired", session)
        return Page(self, session, path.as_uri())

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=PATIENCE)
        except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self._to)
            os.close(self._from)


class Page:
    def __init__(self, browser: Chromium, session: str, url: str) -> None:
        self.browser, self.session, self.url = browser, session, url

    def js(self, expression: str) -> Any:
        """Evaluate in the page (awaiting a promise) and return the value as JSON."""
        res = self.browser.send("Runtime.evaluate", self.session, expression=expression,
                                returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise AssertionError(f"page script failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    def _events(self, method: str) -> list[dict[str, Any]]:
        return [m["params"] for m in self.browser.events
                if m["method"] == method and m.get("sessionId") == self.session]

    def console_errors(self) -> list[str]:
        errors = [" ".join(str(a.get("value", a.get("description", ""))) for a in e["args"])
                  for e in self._events("Runtime.consoleAPICalled") if e["type"] in ("error", "assert")]
        errors += [e["exceptionDetails"].get("text", "") + " " + str(e["exceptionDetails"].get("exception", ""))
                   for e in self._events("Runtime.exceptionThrown")]
        errors += [e["entry"]["text"] for e in self._events("Log.entryAdded") if e["entry"]["level"] == "error"]
        return errors

    def requests(self) -> list[str]:
        return [e["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    def screenshot(self, path: Path) -> bytes:
        png = base64.b64decode(self.browser.send("Page.captureScreenshot", self.session, format="png")["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return png


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Chromium(tmp_path_factory.mktemp("chromium") / "profile")
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def hung_yen():
    return hung_yen_report()


def write_page(tmp_path: Path, report, plans, lang: str) -> Path:
    path = tmp_path / f"report.{lang}.html"
    path.write_bytes(publish(report, plans, "html", lang))
    return path


#: Every canvas's size and pixels, two frames after load (Chart.js draws at once with animation off).
CANVASES = """(async () => {
await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
return Array.from(document.querySelectorAll("canvas")).map(c => {
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  const count = (r, g, b) => { let n = 0; for (let i = 0; i < d.length; i += 4)
    if (d[i] === r && d[i + 1] === g && d[i + 2] === b && d[i + 3] === 255) n++; return n; };
  let painted = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
  return {id: c.id, width: c.getBoundingClientRect().width, height: c.getBoundingClientRect().height,
          painted: painted, green: count(46, 125, 50), red: count(198, 40, 40), chart: !!Chart.getChart(c)};
});
})()"""


def visible_rows(page: Page, **filters: str) -> list[dict[str, str]]:
    """Choose each filter's option as a reader would (the select's value, then its change event)."""
    sets = "".join(f"""{{ const s = document.getElementById("filter-{k}"); s.value = {json.dumps(v)};
        s.dispatchEvent(new Event("change", {{bubbles: true}})); }}""" for k, v in filters.items())
    return page.js(f"""(() => {{ {sets}
      return Array.from(document.querySelectorAll("#findings tbody tr"))
        .filter(r => r.getClientRects().length > 0)
        .map(r => ({{status: r.dataset.status, agency: r.dataset.agency, kind: r.dataset.kind}})); }})()""")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_hung_yen_page_in_chromium(browser, hung_yen, tmp_path, lang):
    report, plans = hung_yen
    page = browser.open(write_page(tmp_path, report, plans, lang))

    assert page.console_errors() == []
    leaving = [u for u in page.requests() if u != page.url and not u.startswith(("data:", "about:"))]
    assert leaving == [], "the page must work offline"
    assert page.js("document.documentElement.lang") == lang

    # The notices come first, before anything else on the page.
    first = page.js("document.body.firstElementChild.id + '|' + document.body.firstElementChild.innerText")
    notice = "SỐ LIỆU MINH HỌA" if lang == "vi" else "EXAMPLE DATA"
    assert first.startswith("notices|") and notice in first

    # Summary cards show the report's counts.
    s = report.summary()
    cards = page.js("""Object.fromEntries(Array.from(document.querySelectorAll("#summary .card[data-status]"))
                       .map(c => [c.dataset.status, Number(c.querySelector(".n").textContent)]))""")
    assert cards == {k: s[k] for k in ("met", "not_met", "pending", "no_data")}

    # Charts: one per numeric target, plus status by kind and timeliness by agency; all drawn.
    from plancheck.publish import content

    n_targets = len(content.target_series(report, plans, Locale(lang)))
    canvases = {c["id"]: c for c in page.js(CANVASES)}
    assert set(canvases) == {"chart-kind", "chart-timely", *(f"chart-target-{i}" for i in range(n_targets))}
    for c in canvases.values():
        assert c["chart"] and c["width"] > 100 and c["height"] > 100 and c["painted"] > 1000, c
    assert canvases["chart-kind"]["green"] > 500 and canvases["chart-kind"]["red"] > 100
    assert canvases["chart-target-0"]["red"] > 500  # 53 of 161 drug-free: 44, not met, a red bar
    labels = page.js('Chart.getChart("chart-timely").data.labels.map(l => [].concat(l).join(" "))')
    assert ("Các sở, ban, ngành, đoàn thể tỉnh" if lang == "vi"
            else "Provincial departments, agencies and mass organisations") in labels

    # Filters: status, agency, kind, and together; then back to everything.
    rows = visible_rows(page, status="not_met")
    assert {r["status"] for r in rows} == {"not_met"} and len(rows) == s["not_met"]
    assert page.js('document.getElementById("filter-count").textContent') == Locale(lang).t(
        "page.showing", shown=s["not_met"], total=s["total"])
    rows = visible_rows(page, status="", agency="so_ban_nganh_doan_the")
    assert {r["agency"] for r in rows} == {"so_ban_nganh_doan_the"}
    assert len(rows) == sum(1 for f in report.findings if f.agency == "so_ban_nganh_doan_the")
    rows = visible_rows(page, status="not_met", agency="so_ban_nganh_doan_the", kind="obligation")
    assert len(rows) == sum(1 for f in report.findings if (f.status, f.agency, f.kind)
                            == ("not_met", "so_ban_nganh_doan_the", "obligation")) == 1
    assert len(visible_rows(page, status="", agency="", kind="")) == s["total"]

    # Every finding cites its clause.
    clauses = page.js("""Array.from(document.querySelectorAll("#findings tbody tr"))
                         .map(r => r.cells[r.cells.length - 1].childNodes[0].textContent.trim())""")
    assert sorted(clauses) == sorted(f.source for f in report.findings)

    shot = page.screenshot(ARTIFACTS / f"report-hung_yen.{lang}.png")
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", shot[16:24]) == (1280, 2000)
    if lang == "vi" and os.environ.get("PLANCHECK_UPDATE_DOCS_IMG") == "1":
        DOCS_IMG.parent.mkdir(parents=True, exist_ok=True)
        DOCS_IMG.write_bytes(shot)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_hostile_names_show_as_text_and_never_run(browser, tmp_path, lang):
    report, plans = evil_report()
    page = browser.open(write_page(tmp_path, report, plans, lang))

    # Hover, click and focus everything a reader could, in case anything slipped through.
    page.js("""document.querySelectorAll("*").forEach(el => {
      for (const t of ["mouseover", "mouseenter", "click", "focus"]) {
        el.dispatchEvent(new MouseEvent(t, {bubbles: true}));
      }
    })""")
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.console_errors() == []
    assert page.requests() == [page.url]
    loc = Locale(lang)
    province = f"Tỉnh {SCRIPT}" if lang == "vi" else f"Province {ATTR}"
    assert page.js("document.title") == loc.t("page.title", province=province, date=loc.day(report.as_of))
    # Nothing became an element or an attribute: only our four scripts, no images, no handlers.
    assert page.js("document.scripts.length") == 4
    assert page.js('document.querySelectorAll("img").length') == 0
    assert page.js("""Array.from(document.querySelectorAll("*"))
                      .flatMap(el => Array.from(el.attributes).map(a => a.name))
                      .filter(n => n.startsWith("on") || n === "x")""") == []
    # And every name reads exactly as written.
    text = page.js("document.body.innerText")
    for hostile in (SCRIPT, ATTR, CLOSE, IMG, f"notice {SCRIPT}"):
        assert hostile in text, hostile
    labels = page.js('Chart.getChart("chart-timely").data.labels.map(l => [].concat(l).join(" "))')
    assert CLOSE in labels
    agencies = page.js('Array.from(document.getElementById("filter-agency").options).map(o => o.value)')
    assert CLOSE in agencies
    rows = visible_rows(page, agency=CLOSE)
    assert len(rows) == 1 and rows[0]["agency"] == CLOSE

    # Behind the escaping, the page's Content-Security-Policy runs no inline script but its own.
    page.js("""const s = document.createElement("script"); s.textContent = "window.__pwned = 5";
               document.body.appendChild(s);""")
    assert page.js("typeof window.__pwned") == "undefined"
    assert any("Content Security Policy" in e for e in page.console_errors())


def test_chart_data_cannot_close_its_script_element():
    data = {"label": CLOSE, "other": "<!-- & \u2028"}
    text = page_base.json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_page_is_self_contained(hung_yen):
    report, plans = hung_yen
    page = publish(report, plans, "html", "vi").decode("utf-8")
    assert page.count("<script") == 4 and " src=" not in page and "<link rel=\"stylesheet\"" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
