"""Serving the project for `make bench`: gunicorn as the README's production recipe says.

Not run by itself; bench/run.py uses it. The recipe's variables are set as
written there; the differences are the address (127.0.0.1 and a free port,
not 0.0.0.0:8000), `--no-control-socket` (gunicorn 27 would otherwise share
~/.gunicorn/gunicorn.ctl between servers) and DJANGO_SETTINGS_MODULE=bench.settings,
which only adds the two baseline URLs (bench/urls.py).
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from common import EDITOR_PASSWORD, EDITOR_USERNAME, ROOT, editor_code

# What every request carries, from wrk and from our own fetches: the TLS-terminating
# proxy of the recipe says the reader came over HTTPS.
READER_HEADERS = {"X-Forwarded-Proto": "https"}
SECRET_KEY = "bench-only-secret-key-do-not-use-anywhere-else-0123456789abcdef"  # noqa: S105
BIN = Path(sys.executable).parent


def recipe_env(*, database_url: str, cache_url: str, page_cache: str, out: Path) -> dict:
    """The environment of the README's production recipe, for one database and cache mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ENV_FILE": os.devnull,  # not the checkout's .env: every knob is here
            "DJANGO_DEBUG": "off",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "DJANGO_SECURE_HSTS_SECONDS": "31536000",
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "on",
            "DJANGO_SECURE_HSTS_PRELOAD": "on",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "on",
            "DJANGO_STATIC_ROOT": str(out / "static"),
            "DJANGO_MEDIA_ROOT": str(out / "media"),
            "DJANGO_PENDING_UPLOADS_ROOT": str(out / "uploads"),
            "DJANGO_ARTICLES_PAGE_CACHE": page_cache,
            # wrk is one client hammering one address: the API's per-client throttle
            # would answer 429s, so it is off here, as behind a CDN that throttles.
            "DJANGO_ARTICLES_API_THROTTLE_RATE": "",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict, *args: str, capture: bool = False) -> str:
    """Run `python manage.py …` with this environment; returns its output when captured."""
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return (done.stdout or "") + (done.stderr or "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a process group of its own; always stopped on leaving the `with`."""

    def __init__(self, env: dict, *, workers: int, log: Path):
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def command(self) -> list[str]:
        return [
            str(BIN / "gunicorn"),
            "newsroom.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            self.host,
            "--access-logfile",
            "-",
            "--no-control-socket",
        ]

    def __enter__(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped as one
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                status, _headers, _body = fetch(self, "/healthz", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass


def fetch(
    server: Server,
    path: str,
    *,
    headers: dict | None = None,
    method: str = "GET",
    body: bytes | None = None,
    timeout: float = 120,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request to the server, as the proxy would pass it on: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**READER_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def _cookies(message: http.client.HTTPMessage) -> dict[str, str]:
    jar = SimpleCookie()
    for header in message.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(server: Server) -> str:
    """Log the benchmark editor in through the admin's login form; returns a Cookie header.

    The one place that knows how staff log in: when the desk asks for a second
    factor (django-otp), add that step here.
    """
    status, headers, page = fetch(server, "/admin/login/")
    if status != 200:
        raise RuntimeError(f"GET /admin/login/ answered {status}")
    cookies = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in cookies:
        raise RuntimeError("the admin login page has no CSRF token")
    form = {
        "username": EDITOR_USERNAME,
        "password": EDITOR_PASSWORD,
        "csrfmiddlewaretoken": token.group(1).decode(),
        "next": "/admin/",
    }
    origin = f"https://{server.host}"  # what a browser sends over the proxy's HTTPS
    status, headers = _post_form(server, "/admin/login/?next=/admin/", form, cookies, origin)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {EDITOR_USERNAME} failed (status {status})")
    if "/two-factor/" in headers.get("Location", "") or _asks_second_factor(server, cookies):
        _second_factor(server, cookies, origin)
    return "; ".join(f"{name}={cookies[name]}" for name in ("csrftoken", "sessionid"))


def _asks_second_factor(server: Server, cookies: dict) -> bool:
    status, headers, _page = fetch(server, "/admin/", headers={"Cookie": _jar(cookies)})
    return status == 302 and "/admin/login/" in headers.get("Location", "")


def _second_factor(server: Server, cookies: dict, origin: str) -> None:
    """The code from the editor's authenticator app (bench.common.editor_code)."""
    status, headers, page = fetch(
        server, "/admin/two-factor/verify/", headers={"Cookie": _jar(cookies)}
    )
    cookies.update(_cookies(headers))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"the second-factor page answered {status}")
    for _attempt in range(3):
        status = _post_code(server, cookies, origin, token.group(1).decode())
        if status != 200:
            break
        # A code is good once, and a refused one slows the next down: a sign-in earlier
        # in the same 30 s used it. The next code, then.
        time.sleep(30.5 - time.time() % 30)
    if status != 302:
        raise RuntimeError(f"the editor's second factor was refused (status {status})")


def _post_code(server: Server, cookies: dict, origin: str, token: str) -> int:
    form = {"code": editor_code(), "csrfmiddlewaretoken": token, "next": "/admin/"}
    status, _headers = _post_form(server, "/admin/two-factor/verify/", form, cookies, origin)
    return status


def _jar(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _post_form(server: Server, path: str, form: dict, cookies: dict, origin: str):
    """POST a desk form as a browser would (cookies, Origin, Referer); the cookies it
    sets are added to `cookies`. Returns the status and the headers."""
    status, headers, _page = fetch(
        server,
        path,
        method="POST",
        body=urlencode(form).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": _jar(cookies),
            "Origin": origin,
            "Referer": origin + path.split("?")[0],
        },
    )
    cookies.update(_cookies(headers))
    return status, headers
