"""Headless Chromium driven over the DevTools protocol: log in, open a dashboard, wait for
its charts, report errors and outside requests, keep a screenshot. Used by the browser
test and the benchmark (bench/superset_charts.py)."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.sync.client import connect

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--remote-debugging-port=0",
    "--window-size=1600,1100",
]

# Chart holders, those still loading, and chart error messages, read from the page.
PROBE = """(() => {
  const holders = [...document.querySelectorAll('[data-test="dashboard-component-chart-holder"]')];
  const loading = holders.filter(h => h.querySelector('[aria-label="Loading"], .loading')).length;
  const drawn = holders.filter(h => h.querySelector('canvas, svg, .header-line, table')).length;
  const errors = [...document.querySelectorAll(
    '[data-test="chart-error"], .alert-danger, [role="alert"]')
  ].map(e => e.innerText.slice(0, 300));
  return JSON.stringify({holders: holders.length, loading, drawn, errors});
})()"""


@dataclass
class DashboardState:
    charts: int
    drawn: int
    errors: list[str]
    seconds: float
    outside_requests: list[str] = field(default_factory=list)


class Chromium:
    """One headless Chromium with a fresh profile, and one page in it."""

    def __init__(self, binary: str | None = None):
        self.binary = binary or shutil.which("chromium") or shutil.which("chromium-browser")
        if not self.binary:
            raise FileNotFoundError("chromium is not installed (Debian package `chromium`)")
        self.profile = Path(tempfile.mkdtemp(prefix="eldercare-chromium-"))
        self.process = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        target = httpx.put(f"http://127.0.0.1:{port}/json/new?about:blank").json()
        self.socket = connect(target["webSocketDebuggerUrl"], max_size=2**26)
        self.ids = itertools.count(1)
        self.requests: dict[str, str] = {}  # request id -> URL
        self.blocked: set[str] = set()  # request ids the browser refused (CSP)
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1600, height=1100,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip

    def send(self, method: str, **params) -> dict:
        call = next(self.ids)
        self.socket.send(json.dumps({"id": call, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=120))
            event, params = message.get("method"), message.get("params", {})
            if event == "Network.requestWillBeSent":
                self.requests[params["requestId"]] = params["request"]["url"]
            elif event == "Network.loadingFailed" and params.get("blockedReason"):
                self.blocked.add(params["requestId"])
            if message.get("id") == call:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)  # fmt: skip
        return result["result"].get("value")

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + 60
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(url)
            time.sleep(0.2)

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        """The viewport, or (full_page) the whole page: the window is made as tall as the
        page, and the charts are given time to draw again at that size."""
        if full_page:
            height = max(1100, int(self.evaluate("document.documentElement.scrollHeight")))
            self.send("Emulation.setDeviceMetricsOverride", width=1600, height=height,
                      deviceScaleFactor=1, mobile=False)  # fmt: skip
            deadline = time.monotonic() + 30
            time.sleep(1)
            while time.monotonic() < deadline:
                state = json.loads(self.evaluate(PROBE))
                if state["loading"] == 0 and state["drawn"] >= state["holders"]:
                    break
                time.sleep(0.25)
            time.sleep(1)  # echarts animations
        data = self.send("Page.captureScreenshot", format="png")["data"]
        if full_page:
            self.send("Emulation.setDeviceMetricsOverride", width=1600, height=1100,
                      deviceScaleFactor=1, mobile=False)  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        if getattr(self, "socket", None):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def login(browser: Chromium, base_url: str, username: str, password: str) -> None:
    """Post Superset's own login form from its login page, as a person's browser does."""
    browser.navigate(f"{base_url}/login/")
    status = browser.evaluate(
        "fetch('/login/', {method: 'POST', credentials: 'same-origin', body: new URLSearchParams("
        f"{{username: {json.dumps(username)}, password: {json.dumps(password)}, "
        "csrf_token: document.getElementById('csrf_token').value})})"
        ".then(r => r.url)"
    )
    if "/login" in (status or ""):
        raise PermissionError(f"Superset refused the login of {username}")


def open_dashboard(
    browser: Chromium, base_url: str, slug: str, timeout: float = 120
) -> DashboardState:
    """Open a dashboard and wait until every chart has drawn or failed; time it."""
    browser.requests.clear()
    browser.blocked.clear()
    started = time.monotonic()
    browser.navigate(f"{base_url}/superset/dashboard/{slug}/?standalone=0")
    state = {}
    while time.monotonic() - started < timeout:
        state = json.loads(browser.evaluate(PROBE))
        settled = state["holders"] and state["loading"] == 0
        if settled and (state["drawn"] + len(state["errors"]) >= state["holders"]):
            break
        time.sleep(0.25)
    seconds = time.monotonic() - started
    time.sleep(1)  # let animations (echarts) finish before a screenshot
    browser.evaluate("1")  # collect the events that arrived during the pause
    outside = [url for rid, url in browser.requests.items() if rid not in browser.blocked
               and not url.startswith((base_url, "data:", "blob:", "about:"))]  # fmt: skip
    return DashboardState(
        charts=state.get("holders", 0),
        drawn=state.get("drawn", 0),
        errors=state.get("errors", []),
        seconds=seconds,
        outside_requests=outside,
    )
