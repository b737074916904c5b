"""Real-browser tests: Playwright driving Debian's Chromium, never a downloaded one."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The Nu HTML Checker, as `make test` and .ci/run install it (npm's vnu-jar), on Java.
VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still synchronous, so tell Django they are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def vnu():
    """`vnu({name: html})` → `{name: [error, …]}` for the documents with errors.

    One Java start-up checks them all (it takes seconds); warnings are not errors.
    """
    java = shutil.which("java")
    missing = [
        what
        for what, there in [
            (f"the Nu HTML Checker at {VNU_JAR} (npm install vnu-jar)", VNU_JAR.exists()),
            ("Java (apt-get install default-jre-headless)", java),
        ]
        if not there
    ]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Missing {' and '.join(missing)}: .ci/run installs it")
        pytest.skip(f"Missing {' and '.join(missing)}; `make test` installs vnu-jar with npm")

    def check(documents: dict[str, str]) -> dict[str, list[str]]:
        with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
            names = {}
            for number, (name, html) in enumerate(documents.items()):
                path = Path(folder, f"page-{number:02d}.html")
                path.write_text(html, encoding="utf-8")
                names[str(path)] = name
            run = subprocess.run(  # noqa: S603 - java and vnu.jar, on files written here
                [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
                + ["--exit-zero-always", *names],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        if run.returncode != 0 or not run.stdout.strip():
            pytest.fail(f"vnu.jar failed ({run.returncode}): {run.stderr or run.stdout}")
        errors: dict[str, list[str]] = {}
        for message in json.loads(run.stdout)["messages"]:
            url = message.get("url", "")  # file:/tmp/vnu-…/page-00.html
            name = names.get("/" + url.removeprefix("file:").lstrip("/"), url or "vnu")
            where = f"line {message['lastLine']}: " if "lastLine" in message else ""
            extract = " ".join(message.get("extract", "").split())
            errors.setdefault(name, []).append(
                f"{where}{message['message']}" + (f"  [{extract}]" if extract else "")
            )
        return errors

    return check
