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
from plancheck.publish import content, publish
from plancheck.publish import page as page_base
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


# -- issue 17 §7: a phone, search, sort, grouping, the scorecard, each target over its periods ---------

PHONE = 390  # an iPhone 12-14's viewport width, in CSS pixels

DOCS_SCORECARD = ROOT / "docs" / "img" / "scorecard-hung_yen.png"
DOCS_PHONE = ROOT / "docs" / "img" / "report-phone-hung_yen.png"


@pytest.fixture(scope="module")
def vinh_long():
    """Vĩnh Long's 2021-2025 plan judged on its example data as of 15/01/2026: four years of results."""
    from datetime import date

    from plancheck.cli import today_in_vietnam
    from plancheck.judge.assessment import assess, example_observations, province_plans
    from plancheck.plans.plugins import load_registry

    pm, registry = load_registry()
    plans = province_plans(registry, "vinh_long")
    obs = example_observations(registry, "vinh_long", plans, today_in_vietnam())
    return assess(pm, "vinh_long", plans, obs, date(2026, 1, 15), []), plans


def no_overflow(page: Page) -> bool:
    return page.js("document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("province", ["hung_yen", "vinh_long"])
def test_the_page_reads_on_a_phone(browser, hung_yen, vinh_long, tmp_path, province, lang):
    report, plans = hung_yen if province == "hung_yen" else vinh_long
    page = browser.open(write_page(tmp_path, report, plans, lang), width=PHONE, height=800)
    assert page.console_errors() == []
    assert page.js("window.innerWidth") == PHONE
    assert no_overflow(page), page.js("""Array.from(document.querySelectorAll("body *"))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
        .map(e => e.tagName + "." + e.className)""")
    # each finding is a card of labelled lines: no table heading, every cell named by its column
    assert page.js('getComputedStyle(document.querySelector("#findings thead")).display') == "none"
    label = page.js("""getComputedStyle(document.querySelector("#findings tbody td"), "::before").content""")
    assert label == json.dumps(Locale(lang).t("col.status") + ": ", ensure_ascii=False)
    # the sort is chosen from a list, the headings being hidden; the filters still work
    assert page.js('getComputedStyle(document.getElementById("sort-by").parentElement).display') != "none"
    assert len(visible_rows(page, status="not_met")) == report.summary()["not_met"]
    assert no_overflow(page)
    page.js('document.getElementById("scorecard").scrollIntoView()')
    shot = page.screenshot(ARTIFACTS / f"report-{province}.{lang}.phone.png")
    if (province, lang) == ("hung_yen", "vi") and os.environ.get("PLANCHECK_UPDATE_DOCS_IMG") == "1":
        DOCS_PHONE.write_bytes(shot)


def shown(page: Page) -> list[dict[str, str]]:
    return page.js("""Array.from(document.querySelectorAll("#findings tbody tr"))
      .filter(r => r.getClientRects().length > 0)
      .map(r => r.classList.contains("group-head") ? {head: r.cells[0].childNodes[0].textContent,
                                                      counts: r.querySelector(".counts").textContent}
           : {item: r.dataset.item, unit: r.cells[4].textContent, agency: r.dataset.agencyName,
              status: r.dataset.status, due: r.cells[6].dataset.sort, actual: r.cells[8].dataset.sort})""")


def search(page: Page, text: str) -> None:
    page.js(f"""(() => {{ const s = document.getElementById("filter-text"); s.value = {json.dumps(text)};
                s.dispatchEvent(new Event("input", {{bubbles: true}})); }})()""")


def click_heading(page: Page, key: str, lang: str = "vi") -> str:
    name = json.dumps(Locale(lang).t(key))
    return page.js(f"""(() => {{ const th = Array.from(document.querySelectorAll("#findings thead th"))
        .find(h => h.textContent === {name}); th.click(); return th.getAttribute("aria-sort"); }})()""")


def test_search_sort_and_group_the_findings(browser, hung_yen, tmp_path):
    report, plans = hung_yen
    page = browser.open(write_page(tmp_path, report, plans, "vi"))
    total = len(report.findings)
    # search: typed without Vietnamese marks, the commune's rows are found (and any other row holding the
    # words, as "công nhân lao động" holds "nhân la": a search looks for text, as a spreadsheet's does)
    search(page, "nhan la")
    rows = shown(page)
    commune = [r for r in rows if r["unit"] == "Xã Nhân La (Huyện Kim Động)"]
    assert len(commune) == sum(1 for f in report.findings if f.unit == "kim_dong.nhan_la") > 0
    assert len(rows) < total
    search(page, "Nhân La")  # marks or none, the same rows
    assert shown(page) == rows
    search(page, "kim động nhân la")  # every word, in any order
    narrower = shown(page)
    assert commune == [r for r in narrower if r["unit"] == "Xã Nhân La (Huyện Kim Động)"]
    assert all("Kim Động" in r["unit"] for r in narrower) and len(narrower) < len(rows)
    search(page, "")
    assert len(shown(page)) == total

    # sort: by the due date, then the other way
    assert click_heading(page, "col.due") == "ascending"
    dues = [r["due"] for r in shown(page)]
    dated = [d for d in dues if d]
    assert dated == sorted(dated) and dated[0] == min(f.due for f in report.findings if f.due).isoformat()
    assert click_heading(page, "col.due") == "descending"
    dated = [r["due"] for r in shown(page) if r["due"]]
    assert dated == sorted(dated, reverse=True)
    # by the result: numbers in numeric order (9 before 44, 95.84 before 100)
    click_heading(page, "col.actual")
    numbers = [float(r["actual"]) for r in shown(page) if r["actual"] and r["actual"][0].isdigit()
               and "-" not in r["actual"]]
    assert len(numbers) > 10 and numbers == sorted(numbers)

    # group by agency: a heading per agency with its rows under it, and their counts
    page.js("""(() => { const g = document.getElementById("group-agency"); g.checked = true;
                g.dispatchEvent(new Event("change", {bubbles: true})); })()""")
    rows = shown(page)
    heads = [r for r in rows if "head" in r]
    agencies = {r.agency for r in content.rows(report, plans, Locale("vi"))}
    assert sorted(h["head"] for h in heads) == sorted(a or "—" for a in agencies)
    current = None
    for r in rows:
        if "head" in r:
            current, n = r["head"], int(r["counts"].split()[0])
            members = [f for f in content.rows(report, plans, Locale("vi")) if (f.agency or "—") == current]
            assert n == len(members)
            assert f"{sum(1 for f in members if f.finding.status == 'not_met')} không đạt" in r["counts"]
        else:
            assert r["agency"] == current
    # grouping follows the filters: only the agencies with a row shown
    visible_rows(page, status="not_met")
    heads = [r["head"] for r in shown(page) if "head" in r]
    assert len(heads) == len({f.agency for f in report.findings if f.status == "not_met"})
    page.js("""(() => { const g = document.getElementById("group-agency"); g.checked = false;
                g.dispatchEvent(new Event("change", {bubbles: true})); })()""")
    visible_rows(page, status="")
    assert not [r for r in shown(page) if "head" in r] and len(shown(page)) == total
    assert page.console_errors() == []


def test_scorecard_counts_each_agencys_reports_as_dhis2_does(browser, hung_yen, tmp_path):
    """Reports due = obligations whose deadline has passed; received = sent (on time or late); missing =
    not sent and overdue; not yet due apart; rates over the reports due. Counted here from the findings."""
    report, plans = hung_yen
    page = browser.open(write_page(tmp_path, report, plans, "vi"))
    cells = page.js("""Object.fromEntries(Array.from(document.querySelectorAll("#scorecard-table tbody tr"))
        .map(r => [r.dataset.agency, Array.from(r.cells).slice(1).map(c => c.dataset.sort)]))""")
    owing = {f.agency for f in report.findings if f.kind == "obligation"}
    assert set(cells) == owing
    for agency in owing:
        mine = [f for f in report.findings if f.kind == "obligation" and f.agency == agency]
        due = [f for f in mine if f.due <= report.as_of]
        on_time = sum(f.status == "met" for f in due)
        late = sum(f.reason == "late" for f in due)
        missing = sum(f.reason == "missing" for f in due)
        expected = [len(due), on_time + late, on_time, late, missing, len(mine) - len(due),
                    round((on_time + late) / len(due) * 100, 1), round(on_time / len(due) * 100, 1)]
        assert [float(x) for x in cells[agency]] == expected, agency
    # the late and missing reports are named under their agency
    details = page.js("""Array.from(document.querySelectorAll("#scorecard details li")).map(li => li.textContent)""")
    late = [f for f in report.findings if f.kind == "obligation" and f.reason in ("late", "missing")]
    assert len(details) == len(late) and any("chậm 3 ngày" in d for d in details)
    # sortable: by the on-time rate
    page.js("""document.querySelectorAll("#scorecard-table thead th")[8].click()""")
    rates = page.js("""Array.from(document.querySelectorAll("#scorecard-table tbody tr"))
                       .map(r => Number(r.cells[8].dataset.sort))""")
    assert rates == sorted(rates)
    shot = page.js("""(() => { const r = document.getElementById("scorecard").getBoundingClientRect();
                             return [r.x, r.y + window.scrollY, r.width, r.height]; })()""")
    clip = {"x": shot[0], "y": shot[1], "width": shot[2], "height": shot[3], "scale": 1}
    png = base64.b64decode(browser.send("Page.captureScreenshot", page.session, format="png",
                                        captureBeyondViewport=True, clip=clip)["data"])
    (ARTIFACTS / "scorecard-hung_yen.png").write_bytes(png)
    if os.environ.get("PLANCHECK_UPDATE_DOCS_IMG") == "1":
        DOCS_SCORECARD.write_bytes(png)


def test_each_target_over_its_periods(browser, hung_yen, vinh_long, tmp_path):
    """A line per unit over the periods judged, against the target, where two periods or more have results
    (Vĩnh Long: 2021-2024); none for a plan of one year (Hưng Yên 2024), which says so."""
    report, plans = vinh_long
    page = browser.open(write_page(tmp_path, report, plans, "vi"))
    periods: dict[str, set[str]] = {}
    for f in report.findings:
        if f.kind == "target" and isinstance(f.actual, int | float) and not isinstance(f.actual, bool):
            periods.setdefault(f.item, set()).add(f.period)
    over_time = [item for item, ps in periods.items() if len(ps) >= 2]
    canvases = {c["id"]: c for c in page.js(CANVASES)}
    history = sorted(c for c in canvases if c.startswith("chart-history-"))
    assert len(history) == len(over_time) > 5
    for c in history:
        assert canvases[c]["chart"] and canvases[c]["painted"] > 1000, c
    first = page.js("""(() => { const c = Chart.getChart("chart-history-0");
        return {labels: c.data.labels, lines: c.data.datasets.map(d => [d.label, d.data])}; })()""")
    item = over_time[0]
    mine = sorted((f for f in report.findings if f.item == item and f.period in periods[item]),
                  key=lambda f: f.period)
    assert first["labels"] == [Locale("vi").period(p) for p in sorted(periods[item])]
    assert first["lines"][0] == ["Tỉnh Vĩnh Long", [float(f.actual) for f in mine]]
    t = next(t for t in plans[0].targets if t.id == item)
    assert first["lines"][-1] == ["Chỉ tiêu", [t.threshold] * len(mine)]
    assert page.console_errors() == []

    report, plans = hung_yen
    page = browser.open(write_page(tmp_path, report, plans, "vi"))
    assert not [c for c in page.js(CANVASES) if c["id"].startswith("chart-history-")]
    assert "Chưa có chỉ tiêu nào có kết quả từ hai kỳ trở lên." in page.js("document.body.innerText")
