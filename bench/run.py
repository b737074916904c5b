"""`make bench`: generate the databases, serve them as in production, load them, report.

    make bench                                        # everything; writes bench/RESULTS.md
    BENCH_SIZES=1000 BENCH_SECONDS=2 BENCH_REPEAT=1 make bench     # a quick smoke run
    make bench BENCH_ARGS=--regenerate                # make the databases again
    .venv/bin/python bench/run.py --generate-only     # only make missing databases, timed
    .venv/bin/python bench/run.py --report            # RESULTS.md again from bench/out/results.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom make bench   # on PostgreSQL

Steps: (1) a database per size (bench/databases.py, bench/generate.py), made only
when missing; (2) per size and page-cache mode, gunicorn exactly as the README's
production recipe (bench/server.py) with Redis as the cache (its db flushed
before every server start); (3) wrk at each concurrency, every page between a
run of each baseline, in rounds (bench/load.py); SQL queries per page through
the test Client (bench/measure.py), response bytes over HTTP; (4) a soak run
while an editor publishes (bench/soak.py); (5) the picture job's peak memory
(bench/images.py). Results: bench/out/results.json and bench/RESULTS.md
(bench/report.py). Servers and helpers are always stopped, also on errors.

Knobs (environment):
    BENCH_SIZES=1000,10000,100000   BENCH_SECONDS=3 (one wrk run, whole s)  BENCH_REPEAT=3 (rounds)
    BENCH_CONCURRENCY=8,32          BENCH_CACHE=off,on              BENCH_WORKERS=4
    BENCH_WARMUP=1 (seconds per page and server)                    BENCH_PAGES=home,news,…
    BENCH_SOAK_SECONDS=60 (0 skips) BENCH_SOAK_EVERY=5              BENCH_SOAK_CONCURRENCY=32
    BENCH_SOAK_SIZE=<largest>       BENCH_SOAK_CACHE=on             BENCH_PICTURES=1 (0 skips)
    BENCH_PICTURE_RUNS=1            BENCH_REDIS_URL=redis://127.0.0.1:6379/13
    BENCH_WRK_THREADS=1             BENCH_WRK_TIMEOUT=10            BENCH_REGENERATE=1
"""

import argparse
import contextlib
import gzip
import json
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import images
import report
from common import BENCH, ROOT
from databases import Database, databases
from load import Load, Page, interleaved, require_wrk, wrk
from server import READER_HEADERS, Server, fetch, log_in, manage, recipe_env


def _list(name: str, default: str, cast=str) -> list:
    return [cast(item.strip()) for item in os.environ.get(name, default).split(",") if item.strip()]


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "on", "yes", "true")


@dataclass
class Config:
    sizes: list[int] = field(default_factory=lambda: _list("BENCH_SIZES", "1000,10000,100000", int))
    seconds: float = float(os.environ.get("BENCH_SECONDS", "3"))
    repeat: int = int(os.environ.get("BENCH_REPEAT", "3"))
    concurrency: list[int] = field(default_factory=lambda: _list("BENCH_CONCURRENCY", "8,32", int))
    cache_modes: list[str] = field(default_factory=lambda: _list("BENCH_CACHE", "off,on"))
    workers: int = int(os.environ.get("BENCH_WORKERS", "4"))
    warmup: float = float(os.environ.get("BENCH_WARMUP", "1"))
    pages: list[str] = field(default_factory=lambda: _list("BENCH_PAGES", ""))
    soak_seconds: float = float(os.environ.get("BENCH_SOAK_SECONDS", "60"))
    soak_every: float = float(os.environ.get("BENCH_SOAK_EVERY", "5"))
    soak_concurrency: int = int(os.environ.get("BENCH_SOAK_CONCURRENCY", "32"))
    soak_size: int = int(os.environ.get("BENCH_SOAK_SIZE", "0"))  # 0: the largest
    soak_cache: list[str] = field(default_factory=lambda: _list("BENCH_SOAK_CACHE", "on"))
    pictures: bool = _flag("BENCH_PICTURES", "1")
    picture_runs: int = int(os.environ.get("BENCH_PICTURE_RUNS", "1"))
    redis_url: str = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    wrk_threads: int = int(os.environ.get("BENCH_WRK_THREADS", "1"))
    wrk_timeout: float = float(os.environ.get("BENCH_WRK_TIMEOUT", "10"))
    regenerate: bool = _flag("BENCH_REGENERATE", "0")
    out: Path = BENCH / "out"

    def estimate_minutes(self, page_count: int = 13) -> float:
        runs_per_cell = self.repeat * (2 * page_count + 1)
        load = len(self.sizes) * len(self.cache_modes) * len(self.concurrency) * runs_per_cell
        warm = len(self.sizes) * len(self.cache_modes) * (page_count + 2) * self.warmup
        soak = self.soak_seconds * len(self.soak_cache) if self.soak_seconds else 0
        return (load * (self.seconds + 0.3) + warm + soak) / 60


def flush_cache(url: str) -> None:
    """Empty the bench's Redis database: every server starts on a cold cache."""
    import redis

    redis.Redis.from_url(url).flushdb()


def django_json(env: dict, *args: str, stdin: str | None = None) -> dict:
    """Run a bench script inside Django with this environment; its BENCH_JSON result."""
    done = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


class Bench:
    def __init__(self, config: Config):
        self.config = config
        self.out = config.out
        self.out.mkdir(parents=True, exist_ok=True)
        self.load = Load(
            seconds=config.seconds,
            threads=config.wrk_threads,
            timeout=config.wrk_timeout,
            out=self.out,
        )
        self.results: dict = {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
            "machine": machine(),
            "databases": {},
            "sizes": {},
            "errors": [],
        }
        self.reporting = True  # off for --generate-only: the last report stays as it was

    def say(self, text: str) -> None:
        print(text, flush=True)

    def save(self) -> None:
        if not self.reporting:
            return
        self.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        (self.out / "results.json").write_text(
            json.dumps(self.results, indent=2, ensure_ascii=False)
        )
        report.write(self.results, BENCH / "RESULTS.md")

    def env(self, db: Database, page_cache: str) -> dict:
        return recipe_env(
            database_url=db.url,
            cache_url=self.config.redis_url,
            page_cache=page_cache,
            out=self.out,
        )

    def failed(self, what: str) -> None:
        self.say(f"!! {what} failed:\n{traceback.format_exc()}")
        self.results["errors"].append(f"{what}: {traceback.format_exc(limit=3).strip()}")
        self.save()

    # 1. Databases ---------------------------------------------------------------------

    def prepare_databases(self, dbs: list[Database]) -> None:
        for db in dbs:
            if db.is_current() and not self.config.regenerate:
                made = db.generated()
                self.say(f"== {db.label}: {db.name} is there (made in {made['wall_seconds']} s)")
                made["reused"] = True
            else:
                self.say(f"== {db.label}: generating {db.size} articles into {db.name}")
                made = db.generate(self.env(db, "off"))
                steps = ", ".join(f"{k} {v} s" for k, v in made["seconds"].items())
                self.say(f"== {db.label}: generated in {made['wall_seconds']} s ({steps})")
                made["reused"] = False
            # As the recipe does on every deploy: a reused database gets new migrations.
            manage(self.env(db, "off"), "migrate", "--no-input", "-v0")
            self.results["databases"][db.label] = {**made, "name": db.name}
            self.save()

    # 2-4. One size: pages, queries, load --------------------------------------------------

    def bench_size(self, db: Database) -> None:
        config = self.config
        entry = self.results["sizes"].setdefault(db.label, {"size": db.size})
        self.say(f"== {db.label}: choosing pages")
        chosen = django_json(self.env(db, "off"), "bench/measure.py", "pages")
        wanted = chosen["pages"]
        if config.pages:
            wanted = {name: page for name, page in wanted.items() if name in config.pages}
        entry.update(facts=chosen["facts"], pages=wanted, mix=chosen["mix"])
        pages = [Page(name=name, **page) for name, page in wanted.items()]
        if not pages:
            raise RuntimeError(f"BENCH_PAGES names none of {', '.join(chosen['pages'])}")
        entry["queries"], entry["responses"], entry["load"] = {}, {}, {}
        for mode in config.cache_modes:
            self.say(f"== {db.label}: counting SQL queries, page cache {mode}")
            flush_cache(config.redis_url)
            entry["queries"][mode] = django_json(
                self.env(db, mode), "bench/measure.py", "queries", stdin=json.dumps(wanted)
            )
        self.save()
        for mode in config.cache_modes:
            flush_cache(config.redis_url)
            log = self.out / f"gunicorn-{db.label}-{mode}.log"
            self.say(f"== {db.label}: gunicorn, page cache {mode} (log: {log})")
            with Server(self.env(db, mode), workers=config.workers, log=log) as server:
                cookie = log_in(server)
                entry["responses"][mode] = responses(server, pages, cookie)
                self.warm_up(server, pages, cookie)
                entry["load"][mode] = {}
                for connections in config.concurrency:
                    entry["load"][mode][str(connections)] = interleaved(
                        server,
                        pages,
                        connections=connections,
                        repeat=config.repeat,
                        load=self.load,
                        cookie=cookie,
                        progress=self.say,
                    )
                    self.save()

    def warm_up(self, server: Server, pages: list[Page], cookie: str) -> None:
        """Every worker imports, connects and compiles templates before anything counts."""
        if self.config.warmup <= 0:
            return
        paths = [("/_bench/bare/", READER_HEADERS), ("/_bench/template/", READER_HEADERS)]
        paths += [(page.path, page.headers(cookie)) for page in pages]
        for path, headers in paths:
            wrk(
                server,
                path,
                connections=self.config.workers,
                load=self.load,
                headers=headers,
                seconds=self.config.warmup,
            )

    # 5. Publishing under load -------------------------------------------------------------

    def soak(self, db: Database) -> None:
        config = self.config
        entry = self.results["sizes"].get(db.label, {})
        mix = entry.get("mix")
        if not mix:
            mix = django_json(self.env(db, "off"), "bench/measure.py", "pages")["mix"]
        for mode in config.soak_cache:
            flush_cache(config.redis_url)
            log = self.out / f"gunicorn-{db.label}-{mode}-soak.log"
            self.say(
                f"== soak: {config.soak_seconds:g} s at c={config.soak_concurrency} on "
                f"{db.label}, page cache {mode}, a story published every {config.soak_every:g} s"
            )
            with Server(self.env(db, mode), workers=config.workers, log=log) as server:
                for path in dict.fromkeys(mix):
                    fetch(server, path)
                publisher = subprocess.Popen(  # noqa: S603 - our own script
                    [
                        sys.executable,
                        "bench/soak.py",
                        server.url,
                        str(config.soak_seconds),
                        str(config.soak_every),
                    ],
                    env=self.env(db, mode),
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                )
                try:
                    ready = publisher.stdout.readline().strip()
                    if ready != "ready":
                        raise RuntimeError(f"the publisher did not start: {ready!r}")
                    load = wrk(
                        server,
                        "/",
                        connections=config.soak_concurrency,
                        load=self.load,
                        headers=READER_HEADERS,
                        seconds=config.soak_seconds,
                        mix=mix,
                    )
                    rest, _ = publisher.communicate(timeout=120)
                finally:
                    if publisher.poll() is None:
                        os.killpg(publisher.pid, signal.SIGKILL)
                        publisher.wait()
                published = next(
                    json.loads(line.removeprefix("BENCH_JSON "))
                    for line in rest.splitlines()
                    if line.startswith("BENCH_JSON ")
                )
            self.results.setdefault("soak", {})[mode] = {
                "size": db.label,
                "seconds": config.soak_seconds,
                "concurrency": config.soak_concurrency,
                "every": config.soak_every,
                "mix": mix,
                "load": load,
                **published,
            }
            self.save()

    # 6. Pictures -------------------------------------------------------------------------

    def pictures(self, db: Database) -> None:
        found = []
        for kind in images.PICTURES:
            self.say(f"== pictures: {images.PICTURES[kind]['label']}")
            found.append(
                images.measure(
                    kind, runs=self.config.picture_runs, folder=self.out, env=self.env(db, "off")
                )
            )
            self.say(f"   {json.dumps({k: v for k, v in found[-1].items() if k != 'runs'})}")
        self.results["pictures"] = found
        self.save()

    # All of it ---------------------------------------------------------------------------

    def run(self, *, generate_only: bool = False) -> int:
        config = self.config
        dbs = databases(config.sizes, self.out)
        self.reporting = not generate_only
        self.say(
            f"== make bench: sizes {config.sizes}, {config.seconds:g} s × {config.repeat} rounds, "
            f"c={config.concurrency}, cache {config.cache_modes}; about "
            f"{config.estimate_minutes():.0f} min of load after generation"
        )
        self.prepare_databases(dbs)
        if generate_only:
            return 0
        require_wrk()
        flush_cache(config.redis_url)  # fails early when Redis is not there
        env = self.env(dbs[0], "off")
        self.say("== collectstatic, check --deploy (the recipe's steps)")
        manage(env, "collectstatic", "--no-input", "-v0")
        self.results["check_deploy"] = manage(env, "check", "--deploy", capture=True).strip()
        for db in dbs:
            try:
                self.bench_size(db)
            except Exception:  # noqa: BLE001 - reported; the other sizes still run
                self.failed(f"{db.label}")
        soak_db = next((db for db in dbs if db.size == config.soak_size), dbs[-1])
        if config.soak_seconds > 0:
            try:
                self.soak(soak_db)
            except Exception:  # noqa: BLE001
                self.failed("soak")
        if config.pictures:
            try:
                self.pictures(dbs[0])
            except Exception:  # noqa: BLE001
                self.failed("pictures")
        self.results["machine"]["load_after"] = os.getloadavg()
        self.save()
        self.say(f"== wrote {BENCH / 'RESULTS.md'}")
        return 1 if self.results["errors"] else 0


def responses(server: Server, pages: list[Page], cookie: str) -> dict:
    """Status and size of every page: plain, and asked for gzip and for brotli."""
    found = {}
    for page in pages:
        headers = page.headers(cookie)
        status, message, body = fetch(server, page.path, headers=headers)
        coded = {}
        for coding in ("gzip", "br"):
            _s, answer, data = fetch(
                server, page.path, headers={**headers, "Accept-Encoding": coding}
            )
            coded[coding] = len(data) if answer.get("Content-Encoding") == coding else None
        found[page.name] = {
            "status": status,
            "bytes": len(body),
            "gzip_bytes": coded["gzip"],
            "br_bytes": coded["br"],
            "gzip_would_be": len(gzip.compress(body, 6)),
            "content_type": message.get("Content-Type"),
            "cache_control": message.get("Cache-Control"),
            "location": message.get("Location"),
        }
    return found


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    wrk_version = subprocess.run(  # noqa: S603 - wrk's version line
        [require_wrk(), "-v"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "wrk": wrk_version[0] if wrk_version else "",
        "load_before": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regenerate", action="store_true", help="make every database again")
    parser.add_argument("--generate-only", action="store_true", help="stop after the databases")
    parser.add_argument(
        "--report", action="store_true", help="rewrite RESULTS.md from results.json"
    )
    args = parser.parse_args()
    config = Config()
    if args.report:
        results = json.loads((config.out / "results.json").read_text())
        report.write(results, BENCH / "RESULTS.md")
        return 0
    config.regenerate = config.regenerate or args.regenerate
    # A terminated `make bench` still stops its servers (the `with` blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    code = Bench(config).run(generate_only=args.generate_only)
    print(f"== done in {(time.perf_counter() - started) / 60:.1f} min", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
