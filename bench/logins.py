"""What password guessing does to readers, with and without django-axes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom .venv/bin/python bench/logins.py

Serves the smallest bench database (made by `make bench`) with gunicorn as the
README's production recipe says, behind one trusted proxy, and measures readers'
latency on `/` (wrk) while nobody guesses, then while eight clients, each from an
address of its own, post wrong passwords for the editor's name to the desk's sign-in
form as fast as the server answers: first with no lock of any kind (the desk as it
was), then with the locks on (django-axes per name and address, and the pause of an
address failing with any names); and once more with the locks on and the guessers
trying a new name every time ("spraying"). Bounded: every phase lasts
BENCH_LOGIN_SECONDS (default 15); 127.0.0.1 only. Prints a Markdown table.
"""

import collections
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, EDITOR_USERNAME  # noqa: E402
from databases import small_postgresql_database  # noqa: E402
from load import Load, wrk  # noqa: E402
from server import READER_HEADERS, Server, _cookies, fetch, manage, recipe_env  # noqa: E402

SECONDS = float(os.environ.get("BENCH_LOGIN_SECONDS", "15"))
GUESSERS = 8
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
READER_CONNECTIONS = 4
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def guess(server: Server, *, address: str, names, until: float, tally: collections.Counter):
    """Post wrong passwords until `until`; counts the answers by status."""
    lock = threading.Lock()
    while time.monotonic() < until:
        headers = {"X-Forwarded-For": address}
        try:
            status, got, page = fetch(server, "/admin/login/", headers=headers, timeout=30)
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            cookies = _cookies(got)
            if status != 200 or token is None or "csrftoken" not in cookies:
                with lock:
                    tally[f"form {status}"] += 1
                continue
            body = (
                f"username={next(names)}&password=wrong-{time.monotonic_ns()}"
                f"&csrfmiddlewaretoken={token.group(1).decode()}&next=/admin/"
            ).encode()
            status, _, _ = fetch(
                server,
                "/admin/login/",
                method="POST",
                body=body,
                headers={
                    **headers,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookies['csrftoken']}",
                    "Referer": f"https://{server.host}/admin/login/",
                    "Host": server.host,
                },
                timeout=30,
            )
            with lock:
                tally[status] += 1
        except OSError as error:
            with lock:
                tally[type(error).__name__] += 1


def same_name():
    while True:
        yield EDITOR_USERNAME


def new_names(prefix: str):
    count = 0
    while True:
        count += 1
        yield f"{prefix}-{count}"


def phase(server: Server, load: Load, *, guessing: str | None) -> dict:
    tally: collections.Counter = collections.Counter()
    threads = []
    until = time.monotonic() + SECONDS + 2
    if guessing:
        for n in range(GUESSERS):
            names = same_name() if guessing == "one name" else new_names(f"spray{n}")
            thread = threading.Thread(
                target=guess,
                kwargs={
                    "server": server,
                    "address": f"203.0.113.{n + 1}",
                    "names": names,
                    "until": until,
                    "tally": tally,
                },
            )
            thread.start()
            threads.append(thread)
        time.sleep(2)  # the guessers are at full speed before readers are measured
    readers = wrk(
        server,
        "/",
        connections=READER_CONNECTIONS,
        load=load,
        headers=READER_HEADERS,
        seconds=SECONDS,
    )
    for thread in threads:
        thread.join(timeout=60)
    return {"readers": readers, "guesses": dict(tally)}


def main() -> int:
    database = small_postgresql_database()
    out = Path(tempfile.mkdtemp(prefix="newsroom-logins-"))
    load = Load(seconds=SECONDS, threads=1, timeout=30, out=out)
    rows = []
    for axes, guessing in [
        ("on", None),
        ("off", "one name"),
        ("on", "one name"),
        ("on", "a new name each time"),
    ]:
        env = recipe_env(
            database_url=database.url,
            cache_url=REDIS_URL,
            page_cache="on",
            out=BENCH / "out",
        )
        env.update(
            {
                "DJANGO_AXES_ENABLED": axes,
                # "off" is the desk as it was: no lock of any kind.
                **(
                    {}
                    if axes == "on"
                    else {"DJANGO_NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS": "1000000000"}
                ),
                "DJANGO_ARTICLES_TRUSTED_PROXIES": "1",
            }
        )
        manage(env, "migrate", "--no-input", "-v0")
        # Every phase starts with no lockouts and no failures counted.
        manage(env, "axes_reset", capture=True)
        redis.Redis.from_url(REDIS_URL).flushdb()
        with Server(env, workers=WORKERS, log=out / "gunicorn.log") as server:
            fetch(server, "/")  # the page cache holds the front page
            result = phase(server, load, guessing=guessing)
        rows.append((axes, guessing or "nobody", result))
        print(f"axes {axes}, {guessing or 'nobody'} guessing: {result}", file=sys.stderr)
    print(
        f"Readers on / ({READER_CONNECTIONS} connections, {WORKERS} sync workers, "
        f"{SECONDS:g} s each); {GUESSERS} guessers, each from its own address\n"
    )
    print(
        "| locks | guessing | reader p50 ms | reader p99 ms | reader req/s "
        "| guesses answered (by status) |"
    )
    print("|---|---|---:|---:|---:|---|")
    for axes, guessing, result in rows:
        r = result["readers"]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result["guesses"].items(), key=str))
        print(
            f"| {axes} | {guessing} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['rps']:.0f} | {statuses or '—'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
