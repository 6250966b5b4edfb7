"""The portal in a real headless Chromium, started as the README starts it.

``plancheck --db URL serve --example`` runs in its own process on
127.0.0.1 (example data of every installed province, demo accounts printed
once); Chromium (the DevTools helper of test_publish_html) signs in as the
demo agency of Hưng Yên, uploads its form with an error, sees the cell
named, fixes it, uploads again, confirms, and sees the verdict change; then
the provincial office signs in and sees the filing. Screenshots go to
``test-artifacts/`` (``PLANCHECK_UPDATE_DOCS_IMG=1`` also refreshes
``docs/img/portal-*.png`` for the README).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from test_publish_html import ARTIFACTS, Chromium, Page

from conftest import ROOT
from plancheck.cli import cli

DOCS_IMG = ROOT / "docs" / "img"
#: Seconds the portal may take to start (loading every province's example data included).
START_PATIENCE = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_portal(args: list[str], logs: Path, env: dict[str, str] | None = None):
    """``plancheck ARGS`` (a ``serve`` command line, ``--port`` included) until the block ends; yields
    (base URL, the process's standard output so far)."""
    port = int(args[args.index("--port") + 1])
    out, err = logs.with_suffix(".stdout"), logs.with_suffix(".stderr")
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "plancheck", *args], stdout=o, stderr=e,
                                stdin=subprocess.DEVNULL, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_PATIENCE
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the portal did not start: {err.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield base, out.read_text(encoding="utf-8")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def demo_accounts(stdout: str) -> dict[str, dict[str, str]]:
    """The demo accounts table ``serve --example`` prints: user → its row."""
    lines = stdout.split("DEMO ACCOUNTS", 1)[1].splitlines()[1:]
    heads = lines[0].lower().split()
    return {row["user"]: row for row in (dict(zip(heads, line.split(), strict=False)) for line in lines[2:]
                                         if line.strip())}


class Tab:
    """A page of the browser that navigates and submits forms, waiting for each new page to load."""

    def __init__(self, browser: Chromium, base: str) -> None:
        self.browser, self.base = browser, base
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network", "DOM"):
            browser.send(f"{domain}.enable", self.session)
        browser.send("Emulation.setDeviceMetricsOverride", self.session, width=1280, height=1000,
                     deviceScaleFactor=1, mobile=False)
        self.page = Page(browser, self.session, base)

    def _loaded_after(self, action) -> None:
        self.browser.events.clear()
        action()
        self.browser.wait_event("Page.loadEventFired", self.session)

    def go(self, path: str) -> None:
        self._loaded_after(lambda: self.browser.send("Page.navigate", self.session, url=self.base + path))

    def submit(self, form_selector: str, **fields: str) -> None:
        fill = "".join(f"f.querySelector({json.dumps('[name=' + k + ']')}).value = {json.dumps(v)};"
                       for k, v in fields.items())
        self._loaded_after(lambda: self.page.js(
            f"(() => {{ const f = document.querySelector({json.dumps(form_selector)}); {fill} "
            "f.requestSubmit(); return true; })()"))

    def choose_file(self, selector: str, path: Path) -> None:
        root = self.browser.send("DOM.getDocument", self.session)["root"]["nodeId"]
        node = self.browser.send("DOM.querySelector", self.session, nodeId=root, selector=selector)["nodeId"]
        self.browser.send("DOM.setFileInputFiles", self.session, files=[str(path)], nodeId=node)

    def text(self, selector: str = "main") -> str:
        return str(self.page.js(f"document.querySelector({json.dumps(selector)}).innerText"))

    def path(self) -> str:
        return str(self.page.js("location.pathname + location.search"))

    def shot(self, name: str, docs: bool = False, height: int = 1000) -> None:
        self.browser.send("Emulation.setDeviceMetricsOverride", self.session, width=1280, height=height,
                          deviceScaleFactor=1, mobile=False)
        self.page.js("window.scrollTo(0, 0)")
        png = self.page.screenshot(ARTIFACTS / f"portal-{name}.png")
        if docs and os.environ.get("PLANCHECK_UPDATE_DOCS_IMG") == "1":
            (DOCS_IMG / f"portal-{name}.png").write_bytes(png)


def fill_form(runner, db: str, agency: str, target: dict[str, Any], day: str, out: Path) -> tuple[int, str]:
    """The agency's Excel form (``plancheck template``) with one row's date cell set to ``day``; that cell's
    row number and column letter."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from plancheck.data.excel_form import locate

    blank = out.with_name("blank.xlsx")
    res = runner.invoke(cli, ["--db", db, "template", "--province", "hung_yen", "--agency", agency,
                              "--format", "xlsx", "--lang", "vi", "-o", str(blank)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(blank)
    ws = wb["form"]
    heading, where = locate(ws)  # below the form's header block
    col = {k: where[k] + 1 for k in ("item", "unit", "period", "date")}
    for row in range(heading + 1, ws.max_row + 1):
        if all((ws.cell(row, col[k]).value or "") == (target[k] or "") for k in ("item", "unit", "period")):
            ws.cell(row, col["date"]).value = day
            wb.save(out)
            return row, get_column_letter(col["date"])
    raise AssertionError(f"no row for {target} in {agency}'s form")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    b = Chromium(tmp_path_factory.mktemp("chromium-portal") / "profile")
    try:
        yield b
    finally:
        b.close()


def test_an_agency_files_a_form_fixes_an_error_and_sees_its_verdict_change(chromium, runner, tmp_path):
    db = f"sqlite:///{tmp_path / 'portal.db'}"
    port = free_port()
    with running_portal(["--db", db, "serve", "--example", "--port", str(port)], tmp_path / "serve") as (base, out):
        accounts = demo_accounts(out)
        agency_user = next(u for u, r in accounts.items() if r["role"] == "agency" and r["province"] == "hung_yen")
        agency = accounts[agency_user]["agency"]
        office_user = next(u for u, r in accounts.items() if r["role"] == "province" and r["province"] == "hung_yen")
        # What the example data leaves missing for this agency, as plancheck run says it
        doc = json.loads(runner.invoke(cli, ["--db", db, "run", "--province", "hung_yen", "--format", "json"]).stdout)
        target = next(f for f in doc["findings"] if f["agency"] == agency and f["status"] == "not_met"
                      and f["reason"] == "missing" and f["kind"] in ("task", "obligation"))

        tab = Tab(chromium, base)
        tab.go("/")
        assert tab.path().startswith("/signin")
        tab.shot("signin")
        tab.submit("form.stack", name=agency_user, password=accounts[agency_user]["password"])
        assert tab.path() == "/"
        home = tab.text()
        assert "Trễ hạn hoặc chưa thực hiện" in home and "BẢN TRÌNH DIỄN" in tab.text("body")
        finding_url = (f"/p/hung_yen/findings?kind={target['kind']}&status=&period={target['period']}"
                       f"&agency={agency}&unit={target['unit']}")
        tab.go(finding_url)
        rows = tab.page.js(f"""Array.from(document.querySelectorAll('#findings tbody tr'))
            .filter(r => r.dataset.item === {json.dumps(target['item'])})
            .map(r => r.dataset.status)""")
        assert rows == ["not_met"]

        # 1. a form with an impossible date: refused, the cell named with its heading
        bad = tmp_path / "bao-cao.xlsx"
        row, column = fill_form(runner, db, agency, target, "31/02/2024", bad)
        tab.go("/upload")
        tab.choose_file("#file", bad)
        tab.submit("form.stack")
        refused = tab.text()
        assert "Biểu mẫu bị từ chối" in refused
        cells = tab.page.js("Array.from(document.querySelectorAll('#problems tbody tr')).map(r => "
                            "Array.from(r.cells).map(c => c.innerText))")
        assert cells == [[str(row), f"{column}{row}", "Ngày thực hiện/gửi", "31/02/2024",
                          "tháng 2 năm 2024 chỉ có 29 ngày", "kiểm tra lại ngày (ngày/tháng/năm)"]]  # never Python's
        tab.shot("refused")

        # 2. fixed (done on its due date): a preview, then stored on confirmation
        good = tmp_path / "bao-cao-da-sua.xlsx"
        fill_form(runner, db, agency, target, target["due"], good)
        tab.go("/upload")
        tab.choose_file("#file", good)
        tab.submit("form.stack")
        assert tab.text("#n-new") == "1" and tab.text("#n-updated") == "0"
        tab.shot("preview")
        tab.submit("form.inline:not([action='/signout'])")
        assert "Đã lưu biểu mẫu" in tab.text("#stored")

        # 3. the verdict has changed
        tab.go(finding_url)
        rows = tab.page.js(f"""Array.from(document.querySelectorAll('#findings tbody tr'))
            .filter(r => r.dataset.item === {json.dumps(target['item'])})
            .map(r => r.dataset.status)""")
        assert rows == ["met"]
        assert tab.page.console_errors() == []
        assert all(u.startswith((base, "data:")) for u in tab.page.requests())  # nothing fetched elsewhere
        tab.submit("form[action='/signout']")

        # 4. the provincial office sees who filed what
        tab.go("/signin")
        tab.submit("form.stack", name=office_user, password=accounts[office_user]["password"])
        assert agency_user in tab.text() and "bao-cao-da-sua.xlsx" in tab.text()
        tab.shot("office-home", docs=True, height=1250)
        tab.go("/?lang=en")
        assert "Who has not reported" in tab.text()
    history = json.loads(runner.invoke(cli, ["--db", db, "history", "--province", "hung_yen", "--item",
                                             target["item"], "--format", "json"]).stdout)
    mine = [h for h in history if h["reporter"] == agency_user]
    assert [(h["date"], h["source_file"], h["current"]) for h in mine] == [
        (target["due"], "bao-cao-da-sua.xlsx", True)]
