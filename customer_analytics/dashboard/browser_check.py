"""Open every dashboard page in headless Chromium, screenshot it, and report exceptions.

The check starts `streamlit run dashboard/app.py` on 127.0.0.1 and a free port against a
warehouse file, waits for its health endpoint, then drives Chromium over the DevTools
protocol (a websocket; no extra package): for each page it loads the URL, waits until the
script has finished and the page has stopped changing, reads the DOM for Streamlit
exception and error elements, and saves a full-window PNG. New tracebacks in the server
log count against the page being shown. The server and the browser are stopped in all
cases.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from websockets.sync.client import ClientConnection, connect

from customer_analytics.dashboard.data import PAGES, WAREHOUSE_ENV, DashboardPage

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
WINDOW = (1440, 2200)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

# Reads the page state: script state, skeleton, the size of the DOM, exceptions, errors.
STATE_SCRIPT = """
(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const texts = (selector) => Array.from(document.querySelectorAll(selector))
    .map((node) => node.innerText.trim().slice(0, 500));
  return JSON.stringify({
    script: app ? app.getAttribute('data-test-script-state') : null,
    connection: app ? app.getAttribute('data-test-connection-state') : null,
    skeleton: document.querySelectorAll('[data-testid="stAppSkeleton"]').length,
    nodes: document.getElementsByTagName('*').length,
    titles: texts('[data-testid="stMain"] h1'),
    exceptions: texts('[data-testid="stException"]'),
    errors: texts('[data-testid="stAlertContentError"]'),
    dialogs: texts('[role="dialog"]'),
  });
})()
"""


class CheckError(RuntimeError):
    """The check could not run (no browser, server did not start, ...)."""


@dataclass
class PageResult:
    """What the browser saw on one page."""

    page: DashboardPage
    screenshot: Path
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def find_chromium() -> str:
    """Path of the Chromium binary; the message says how to install it when missing."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise CheckError(
        "Chromium is not installed: `apt-get install -y --no-install-recommends chromium` "
        "(`make test-browser` does it for you)."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a process started in its own session, with its children."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=timeout)


@contextmanager
def streamlit_server(warehouse: Path, port: int, log_path: Path) -> Iterator[str]:
    """Run the dashboard headless on 127.0.0.1:`port`; yield its base URL."""
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(process)


def wait_healthy(base_url: str, log_path: Path, timeout: float = 60.0) -> None:
    """Poll the health endpoint until it answers `ok`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    raise CheckError(f"The dashboard server did not become healthy in {timeout:.0f} s:\n{tail}")


class DevTools:
    """A minimal Chrome DevTools protocol client over one page's websocket."""

    def __init__(self, socket_url: str) -> None:
        self._socket: ClientConnection = connect(socket_url, max_size=None, open_timeout=20)
        self._ids = itertools.count(1)

    def call(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict:
        call_id = next(self._ids)
        self._socket.send(json.dumps({"id": call_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckError(f"Chromium did not answer {method} in {timeout:.0f} s")
            message = json.loads(self._socket.recv(timeout=remaining))
            if message.get("id") != call_id:
                continue  # an event
            if "error" in message:
                raise CheckError(f"Chromium refused {method}: {message['error']}")
            return message.get("result", {})

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def close(self) -> None:
        self._socket.close()


@contextmanager
def headless_chromium(binary: str) -> Iterator[DevTools]:
    """Start headless Chromium with remote debugging; yield a client on its page."""
    with tempfile.TemporaryDirectory(prefix="dashboard-chromium-") as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            "about:blank",
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = None
        try:
            port = _devtools_port(Path(profile), process)
            client = DevTools(_page_socket_url(port))
            client.call("Page.enable")
            client.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False},
            )
            yield client
        finally:
            if client is not None:
                client.close()
            _stop(process)


def _devtools_port(profile: Path, process: subprocess.Popen, timeout: float = 30.0) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckError(f"Chromium exited at start (code {process.returncode}).")
        if marker.exists():
            first_line = marker.read_text(encoding="utf-8").splitlines()[:1]
            if first_line and first_line[0].isdigit():
                return int(first_line[0])
        time.sleep(0.1)
    raise CheckError(f"Chromium did not open its debugging port in {timeout:.0f} s.")


def _page_socket_url(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
        targets = json.loads(response.read().decode())
    for target in targets:
        if target.get("type") == "page":
            return target["webSocketDebuggerUrl"]
    raise CheckError("Chromium has no page to drive.")


def wait_rendered(client: DevTools, timeout: float) -> dict:
    """Wait until the script has run and the DOM stopped growing; return the last state."""
    deadline = time.monotonic() + timeout
    state: dict = {}
    stable_polls = 0
    previous_nodes = -1
    while time.monotonic() < deadline:
        state = json.loads(client.evaluate(STATE_SCRIPT) or "{}")
        finished = (
            state.get("script") == "notRunning"
            and not state.get("skeleton")
            and (state.get("titles") or state.get("exceptions") or state.get("errors"))
        )
        if finished and state.get("nodes") == previous_nodes:
            stable_polls += 1
            if stable_polls >= 3:
                return state
        else:
            stable_polls = 0
        previous_nodes = state.get("nodes", -1)
        time.sleep(0.4)
    state["timed_out"] = True
    return state


def check_page(
    client: DevTools, base_url: str, page: DashboardPage, out_dir: Path, timeout: float
) -> PageResult:
    """Open one page, wait for it, screenshot it, and list what went wrong on it."""
    started = time.monotonic()
    result = PageResult(page, out_dir / f"{page.url_path}.png")
    # The first page is the default one, served at the root URL only.
    path = "" if page == PAGES[0] else page.url_path
    client.call("Page.navigate", {"url": f"{base_url}/{path}"})
    state = wait_rendered(client, timeout)
    shot = client.call("Page.captureScreenshot", {"format": "png"})
    result.screenshot.write_bytes(base64.b64decode(shot["data"]))
    if state.get("timed_out"):
        result.problems.append(
            f"did not finish rendering in {timeout:.0f} s (script state {state.get('script')})"
        )
    if page.title not in " ".join(state.get("titles") or []) and not state.get("timed_out"):
        result.problems.append(f"shows title {state.get('titles')}, expected '{page.title}'")
    result.problems += [f"Streamlit exception: {text}" for text in state.get("exceptions", [])]
    result.problems += [f"error message: {text}" for text in state.get("errors", [])]
    result.problems += [f"dialog: {text}" for text in state.get("dialogs", [])]
    result.seconds = time.monotonic() - started
    return result


def new_tracebacks(log_path: Path, seen: int) -> tuple[list[str], int]:
    """Tracebacks the server logged after character `seen`; and the new length."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    fresh = text[seen:]
    found = []
    if "Traceback (most recent call last)" in fresh:
        found.append("server log traceback: " + fresh[fresh.index("Traceback") :][:1500])
    return found, len(text)


def run_check(warehouse: Path, out_dir: Path, page_timeout: float = 45.0) -> list[PageResult]:
    """Run the whole check; one result per dashboard page."""
    if not warehouse.exists():
        raise CheckError(f"No warehouse file at '{warehouse}': build it first (`dbt build`).")
    binary = find_chromium()
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "streamlit.log"
    results: list[PageResult] = []
    with streamlit_server(warehouse.resolve(), free_port(), log_path) as base_url:
        wait_healthy(base_url, log_path)
        with headless_chromium(binary) as client:
            seen = 0
            for page in PAGES:
                result = check_page(client, base_url, page, out_dir, page_timeout)
                tracebacks, seen = new_tracebacks(log_path, seen)
                result.problems += tracebacks
                results.append(result)
    return results
