"""Driving the server with wrk: single pages, interleaved with the baselines, and a mix.

Not run by itself; bench/run.py uses it. Every run is bounded by its duration
(plus a grace period) and targets the bench server on 127.0.0.1 only.
"""

import json
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from server import READER_HEADERS, Server, fetch

# wrk's report as one JSON line (latencies in microseconds).
SUMMARY_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max))
end
"""
# A round-robin over the paths given after `--`, with wrk's -H headers.
MIX_LUA = (
    r"""
local paths, i = {}, 0
init = function(args)
  for _, path in ipairs(args) do table.insert(paths, path) end
end
request = function()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
"""
    + SUMMARY_LUA
)
BASELINES = {"bare": "/_bench/bare/", "template": "/_bench/template/"}


@dataclass
class Page:
    name: str
    path: str
    admin: bool = False
    note: str = ""

    def headers(self, cookie: str) -> dict:
        return {**READER_HEADERS, **({"Cookie": cookie} if self.admin else {})}


@dataclass
class Load:
    """How hard and how long: one wrk run per cell."""

    seconds: float
    threads: int = 1
    timeout: float = 10
    out: Path = field(default_factory=lambda: Path("."))

    def script(self, name: str, text: str) -> Path:
        path = self.out / name
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return path


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it)")
    return found


def wrk(
    server: Server,
    path: str,
    *,
    connections: int,
    load: Load,
    headers: dict,
    seconds: float | None = None,
    mix: list[str] | None = None,
) -> dict:
    """One wrk run; returns requests/s, p50/p99 in ms and the error counts."""
    # wrk takes whole seconds.
    seconds = max(1, round(load.seconds if seconds is None else seconds))
    script = load.script("mix.lua", MIX_LUA) if mix else load.script("summary.lua", SUMMARY_LUA)
    command = [
        require_wrk(),
        "-t",
        str(min(load.threads, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--latency",
        "--timeout",
        f"{load.timeout:g}s",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(server.url + path)
    if mix:
        command += ["--", *mix]
    done = subprocess.run(  # noqa: S603 - wrk against our own server on 127.0.0.1
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next(
        (x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")),
        None,
    )
    if line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    duration = max(raw["duration_us"], 1) / 1e6
    drain(server, connections=connections, rps=raw["requests"] / duration)
    return {
        "rps": raw["requests"] / duration,
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "non_2xx_3xx": raw["status"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        "timeouts": raw["timeout"],
        "bytes": raw["bytes"],
    }


def drain(server: Server, *, connections: int, rps: float) -> None:
    """Let the server finish what wrk left queued, so the next run starts on an idle server.

    wrk stops with up to `connections` requests sent and unanswered; the sync
    workers still serve them, at about the rate just measured (Little's law).
    """
    if rps > 0:
        time.sleep(min(15.0, connections / rps + 0.05))
    else:  # nothing came back: wait until the queue has gone through
        fetch(server, "/healthz", timeout=60)


def interleaved(
    server: Server,
    pages: list[Page],
    *,
    connections: int,
    repeat: int,
    load: Load,
    cookie: str,
    progress=print,
) -> dict[str, dict]:
    """Every page between a bare and a template run, `repeat` times; medians per page.

    One round runs B p1 T p2 B p3 T … (B bare, T template), so each page has one
    run of each baseline beside it and drift between runs hits both. Rounds
    rotate the page order and the first baseline.
    """
    samples: dict[str, list[dict]] = {name: [] for name in BASELINES}
    samples.update({page.name: [] for page in pages})
    for round_ in range(repeat):
        shift = round_ % len(pages)
        order = pages[shift:] + pages[:shift]
        baseline = "bare" if round_ % 2 == 0 else "template"
        before = run_baseline(server, baseline, connections=connections, load=load)
        samples[baseline].append(before)
        for page in order:
            result = wrk(
                server, page.path, connections=connections, load=load, headers=page.headers(cookie)
            )
            other = "template" if baseline == "bare" else "bare"
            after = run_baseline(server, other, connections=connections, load=load)
            samples[other].append(after)
            result["ratio_" + baseline] = ratio(result["rps"], before["rps"])
            result["ratio_" + other] = ratio(result["rps"], after["rps"])
            samples[page.name].append(result)
            progress(
                f"    c={connections} round {round_ + 1}/{repeat} {page.name:<14} "
                f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                f"×bare {result['ratio_bare'] or 0:.2f}  "
                f"×template {result['ratio_template'] or 0:.2f}"
            )
            baseline, before = other, after
    return {name: summarize(runs) for name, runs in samples.items() if runs}


def run_baseline(server: Server, name: str, *, connections: int, load: Load) -> dict:
    return wrk(server, BASELINES[name], connections=connections, load=load, headers=READER_HEADERS)


def ratio(page_rps: float, baseline_rps: float) -> float | None:
    return page_rps / baseline_rps if baseline_rps > 0 else None


def summarize(runs: list[dict]) -> dict:
    """Medians over the rounds (errors are summed)."""
    summary = {}
    for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "ratio_bare", "ratio_template"):
        values = [run[key] for run in runs if run.get(key) is not None]
        if values:
            summary[key] = statistics.median(values)
    summary["max_ms"] = max(run["max_ms"] for run in runs)
    summary["requests"] = sum(run["requests"] for run in runs)
    summary["non_2xx_3xx"] = sum(run["non_2xx_3xx"] for run in runs)
    summary["socket_errors"] = sum(run["socket_errors"] for run in runs)
    summary["rounds"] = len(runs)
    summary["rps_runs"] = [round(run["rps"], 1) for run in runs]
    return summary
