"""Write bench/RESULTS.md from the results bench/run.py collects (bench/out/results.json).

    .venv/bin/python bench/run.py --report     # rewrite RESULTS.md from the last results

The targets and how each is judged live here (TARGETS and the check_* functions).
"""

from pathlib import Path

# Pages readers ask for most, which must stay fast without the page cache.
UNCACHED_PAGES = ("home", "news", "article", "tag", "search")
TARGETS = {
    "cached": "cached anonymous pages ≥ 0.5× the bare view",
    "uncached": "uncached /, /news/, article, tag page and search ≥ 0.2× the template baseline",
    "scaling": "every page at the largest size within 1.5× the cost at the smallest (uncached)",
    "admin": "admin article list at the largest size: p50 < 150 ms at concurrency 8",
    "soak errors": "no errors (non-2xx/3xx, socket errors) while an editor publishes",
    "soak fresh": "every new story on / and /news/ at once",
}
PAGE_LABELS = {
    "home": "/",
    "news": "/news/",
    "news p500": "/news/ page 500",
    "api articles": "/api/articles/",
    "article": "article",
    "tags": "/tags/",
    "tag": "tag page",
    "section": "section page",
    "archive month": "archive month",
    "search": "search",
    "feed": "/feeds/latest/",
    "sitemap": "/sitemap.xml",
    "sitemap child": "largest child sitemap",
    "admin list": "admin article list",
    "bare": "*baseline: bare 22 KB*",
    "template": "*baseline: 20-item template*",
}


def _n(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "**MISS**")


def largest_and_smallest(results: dict) -> tuple[str | None, str | None]:
    sizes = sorted(results.get("sizes", {}).items(), key=lambda item: item[1].get("size", 0))
    sizes = [(label, entry) for label, entry in sizes if entry.get("load")]
    if not sizes:
        return None, None
    return sizes[-1][0], sizes[0][0]


def check_row(*, page: str, cache: str, connections: int, row: dict, is_largest: bool,
              admin_concurrency: int) -> list[tuple[str, bool]]:  # fmt: skip
    """The targets that apply to one measured cell, and whether each is met."""
    checks = []
    if page in ("bare", "template"):
        return checks
    if cache == "on" and page != "admin list":
        checks.append(("≥0.5× bare", (row.get("ratio_bare") or 0) >= 0.5))
    if cache == "off" and page in UNCACHED_PAGES:
        checks.append(("≥0.2× template", (row.get("ratio_template") or 0) >= 0.2))
    if page == "admin list" and is_largest and connections == admin_concurrency:
        checks.append(("p50 <150 ms", row["p50_ms"] < 150))
    return checks


def scaling(results: dict) -> list[dict]:
    """Cost at the largest size over cost at the smallest, uncached, per page and concurrency.

    Cost is taken relative to the bare view measured beside the page in the same
    run (bare req/s ÷ page req/s), so drift between the two servers cancels out;
    the raw ratio of requests per second is shown too.
    """
    largest, smallest = largest_and_smallest(results)
    if largest is None or largest == smallest:
        return []
    big = results["sizes"][largest]["load"].get("off", {})
    small = results["sizes"][smallest]["load"].get("off", {})
    rows = []
    for connections, pages in small.items():
        for page, cell in pages.items():
            other = big.get(connections, {}).get(page)
            if other is None or page in ("bare", "template"):
                continue
            if not cell.get("ratio_bare") or not other.get("ratio_bare"):
                continue
            relative = cell["ratio_bare"] / other["ratio_bare"]
            rows.append(
                {
                    "page": page,
                    "connections": connections,
                    "small_rps": cell["rps"],
                    "big_rps": other["rps"],
                    "raw": cell["rps"] / max(other["rps"], 1e-9),
                    "relative": relative,
                    "ok": relative <= 1.5,
                }
            )
    return rows


def render(results: dict) -> str:
    config = results.get("config", {})
    machine = results.get("machine", {})
    largest, smallest = largest_and_smallest(results)
    concurrency = [int(c) for c in config.get("concurrency", [8])]
    admin_concurrency = 8 if 8 in concurrency else min(concurrency)
    tally: dict[str, list] = {key: [] for key in TARGETS}
    lines = ["# Benchmark results", ""]
    short = float(config.get("seconds", 0)) < 10 or int(config.get("repeat", 0)) < 3
    lines += [
        f"Measured by `make bench` from {results.get('started')} to {results.get('finished')} "
        f"on {machine.get('cpus')} × {machine.get('cpu') or 'CPU'}, Python "
        f"{machine.get('python')}, {machine.get('wrk')}. Load average before "
        f"{_load(machine.get('load_before'))}, after {_load(machine.get('load_after'))}.",
        "",
        f"Knobs: sizes {config.get('sizes')}, {config.get('seconds')} s per wrk run × "
        f"{config.get('repeat')} rounds, concurrency {config.get('concurrency')}, page cache "
        f"{config.get('cache_modes')}, {config.get('workers')} gunicorn workers, warm-up "
        f"{config.get('warmup')} s per page.",
        "",
    ]
    if short or (machine.get("load_before") or [0])[0] > 0.5:
        lines += [
            "> **Not final numbers.** Short runs and/or a busy machine: this report proves the",
            "> harness works; measure on a quiet machine with the default knobs before deciding.",
            "",
        ]
    lines += _method(config)
    body: list[str] = []
    for label, entry in sorted(results.get("sizes", {}).items(), key=lambda i: i[1].get("size", 0)):
        body += _size_section(label, entry, label == largest, admin_concurrency, tally)
    scale_rows = scaling(results)
    if scale_rows:
        body += [
            f"## Scaling: {largest} against {smallest} (page cache off)",
            "",
            "Cost ratio = cost of a request at the larger size ÷ at the smaller. *Relative*",
            "divides out the bare view measured beside each page (drift between the two servers",
            f"cancels); *raw* is {smallest} req/s ÷ {largest} req/s. The target uses *relative*.",
            "",
            f"| page | c | {smallest} req/s | {largest} req/s | raw | relative | ≤ 1.5× |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in scale_rows:
            body.append(
                f"| {PAGE_LABELS.get(row['page'], row['page'])} | {row['connections']} | "
                f"{_n(row['small_rps'])} | {_n(row['big_rps'])} | {row['raw']:.2f} | "
                f"{row['relative']:.2f} | {_verdict(row['ok'])} |"
            )
            tally["scaling"].append((f"{row['page']} c={row['connections']}", row["ok"]))
        body.append("")
    body += _soak(results.get("soak"), tally)
    body += _pictures(results.get("pictures"))
    lines += _summary(tally, largest)
    lines += body
    lines += _notes(results)
    return "\n".join(lines).rstrip() + "\n"


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "—"


def _method(config: dict) -> list[str]:
    return [
        "## How this was measured",
        "",
        "- **Server:** the README's production recipe: `collectstatic`, then `gunicorn",
        f"  newsroom.wsgi --workers {config.get('workers')} --access-logfile -` (sync workers),",
        "  `DJANGO_DEBUG` off, the recipe's HSTS variables, `DJANGO_SECURE_PROXY_SSL_HEADER=on`,",
        "  `CACHE_URL` on a local Redis database (flushed before every server start),",
        "  `DJANGO_ARTICLES_PAGE_CACHE=on|off`. Differences: it binds 127.0.0.1 on a free port,",
        "  passes `--no-control-socket`, and `DJANGO_SETTINGS_MODULE=bench.settings`, which only",
        '  sets `ROOT_URLCONF = "bench.urls"`: the site\'s URLs with the two baselines in front.',
        "- **Baselines**, served by the same server in the same run: `/_bench/bare/` returns a",
        "  fixed 22 KB page; `/_bench/template/` renders a plain 20-item template, no database.",
        "- **Load:** `wrk --latency`, every request with `X-Forwarded-Proto: https` (and the",
        "  editor's session cookie for the admin). One round runs bare, page, template, page,",
        "  bare, …, so every page has one run of each baseline beside it; rounds rotate the",
        "  page order. Numbers are medians over the rounds; × bare and × template are the",
        "  page's req/s over its neighbouring baseline's. Errors are summed over the rounds.",
        "- **Queries:** `CaptureQueriesContext` around the test Client with bench.settings on",
        "  the same database; *cold* after clearing the cache, *warm* asked again at once.",
        "- **Bytes:** over HTTP from the server, as wrk gets them (no `Accept-Encoding`), then",
        "  asked with `Accept-Encoding: gzip` and with `br`; where the server does not gzip,",
        "  what `gzip -6` would make is shown in brackets. wrk itself asks for no compression.",
        "",
    ]


def _summary(tally: dict, largest: str | None) -> list[str]:
    lines = ["## Targets", "", "| target | met | missed |", "|---|---:|---|"]
    for key, text in TARGETS.items():
        checks = tally.get(key, [])
        if not checks:
            lines.append(f"| {text} | not measured | |")
            continue
        missed = [what for what, ok in checks if not ok]
        shown = ", ".join(missed[:12]) + (" …" if len(missed) > 12 else "")
        lines.append(f"| {text} | {len(checks) - len(missed)}/{len(checks)} | {shown} |")
    if largest and largest != "100k":
        lines += [
            "",
            f"The largest size measured is {largest}: the 100k targets are judged on it.",
        ]
    return [*lines, ""]


def _size_section(label, entry, is_largest, admin_concurrency, tally) -> list[str]:
    facts = entry.get("facts", {})
    lines = [
        f"## {label}: {_n(facts.get('articles'))} articles "
        f"({_n(facts.get('published'))} published, {_n(facts.get('tags'))} tags, "
        f"{facts.get('vendor', '?')})",
        "",
    ]
    load = entry.get("load", {})
    if load:
        lines += [
            "| page | c | cache | req/s | p50 ms | p99 ms | × bare | × template | errors "
            "| target | PASS/MISS |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        names = [*entry.get("pages", {}), "bare", "template"]
        for name in names:
            for cache, by_concurrency in load.items():
                for connections, pages in by_concurrency.items():
                    row = pages.get(name)
                    if row is None:
                        continue
                    checks = check_row(
                        page=name,
                        cache=cache,
                        connections=int(connections),
                        row=row,
                        is_largest=is_largest,
                        admin_concurrency=admin_concurrency,
                    )
                    for what, ok in checks:
                        key = {"≥0.5× bare": "cached", "≥0.2× template": "uncached"}.get(
                            what, "admin"
                        )
                        tally[key].append((f"{label} {name} c={connections} {cache}", ok))
                    errors = row["non_2xx_3xx"] + row["socket_errors"]
                    verdict = _verdict(all(ok for _w, ok in checks) if checks else None)
                    lines.append(
                        f"| {PAGE_LABELS.get(name, name)} | {connections} | {cache} | "
                        f"{_n(row['rps'])} | {_n(row['p50_ms'])} | {_n(row['p99_ms'])} | "
                        f"{_n(row.get('ratio_bare'), 2)} | {_n(row.get('ratio_template'), 2)} | "
                        f"{'**' + str(errors) + '**' if errors else 0} | "
                        f"{', '.join(w for w, _ok in checks) or '—'} | {verdict} |"
                    )
        lines.append("")
    lines += _page_facts(entry)
    return lines


def _page_facts(entry: dict) -> list[str]:
    pages = entry.get("pages", {})
    if not pages:
        return []
    queries = entry.get("queries", {})
    first = next(iter(entry.get("responses", {}).values()), {})
    modes = list(queries)
    uncached = queries.get("off") or next(iter(queries.values()), {})
    lines = [
        "Per page: SQL queries through the test Client (cold: cache cleared first; warm: asked",
        "again), the cold request's time and its slowest query (page cache off), and the",
        "response's bytes over HTTP (compressed when asked with `Accept-Encoding`).",
        "",
        "| page | address | status | "
        + " | ".join(f"queries cold/warm, cache {mode}" for mode in modes)
        + " | cold ms | slowest query ms | bytes | gzip bytes | br bytes | notes |",
        "|---|---|---|" + "---:|" * len(modes) + "---:|---:|---:|---:|---:|---|",
    ]
    for name, page in pages.items():
        response = first.get(name, {})
        counted = [queries[mode].get(name, {}) for mode in modes]
        timing = uncached.get(name, {})
        status = response.get("status") or timing.get("status")
        zipped = response.get("gzip_bytes")
        zipped_text = _n(zipped) if zipped is not None else f"({_n(response.get('gzip_would_be'))})"
        lines.append(
            f"| {PAGE_LABELS.get(name, name)} | `{page['path']}` | "
            f"{'**' + str(status) + '**' if status not in (200, None) else status} | "
            + " | ".join(f"{_n(c.get('queries'))} / {_n(c.get('queries_warm'))}" for c in counted)
            + f" | {_n(timing.get('cold_ms'))} | {_n(timing.get('slowest_query_ms'))}"
            + f" | {_n(response.get('bytes'))} | {zipped_text} | {_n(response.get('br_bytes'))}"
            + f" | {page.get('note', '')} |"
        )
    return [*lines, ""]


def _soak(soak: dict | None, tally: dict) -> list[str]:
    if not soak:
        return []
    lines = ["## Publishing under load", ""]
    for mode, run in soak.items():
        load = run.get("load", {})
        stories = run.get("stories", [])
        failed = [s for s in stories if "error" in s]
        shown = [s for s in stories if "error" not in s]
        at_once = [s for s in shown if s["visible_at_once"]]
        errors = load.get("non_2xx_3xx", 0) + load.get("socket_errors", 0)
        tally["soak errors"].append((f"cache {mode}: {errors} errors", errors == 0))
        fresh_ok = bool(stories) and len(at_once) == len(stories)
        tally["soak fresh"].append((f"cache {mode}: {len(at_once)}/{len(stories)}", fresh_ok))
        late = [s.get("visible_after_s") for s in shown if not s["visible_at_once"]]
        publish = sorted(s["publish_s"] for s in shown)
        lines += [
            f"**{run['size']}, page cache {mode}:** {run['seconds']:g} s of wrk at c="
            f"{run['concurrency']} over {len(set(run['mix']))} pages (`/` three times as often),",
            f"a story published every {run['every']:g} s (articles.services.article_save, then",
            "articles.workflow.article_publish as the editor), / and /news/ fetched right after.",
            "",
            "| measure | value | target |",
            "|---|---:|---|",
            f"| requests, req/s | {_n(load.get('requests'))}, {_n(load.get('rps'))} | |",
            f"| p50 / p99 ms | {_n(load.get('p50_ms'))} / {_n(load.get('p99_ms'))} | |",
            f"| non-2xx/3xx responses | {_n(load.get('non_2xx_3xx'))} | "
            f"{_verdict(load.get('non_2xx_3xx') == 0)} |",
            f"| socket errors (connect, read, write, timeout) | {_n(load.get('socket_errors'))}"
            f" | {_verdict(load.get('socket_errors') == 0)} |",
            f"| stories published / failed to publish | {len(shown)} / {len(failed)} | "
            f"{_verdict(not failed)} |",
            f"| visible on / and /news/ at once | {len(at_once)}/{len(stories)} | "
            f"{_verdict(fresh_ok)} |",
            f"| late ones appeared after (s) | {', '.join(_n(x, 2) for x in late) or '—'} | |",
            f"| time to save + publish, median (s) | "
            f"{_n(publish[len(publish) // 2], 3) if publish else '—'} | |",
            "",
        ]
        for story in failed:
            lines.append(f"- publishing story {story['n']} failed: `{story['error']}`")
        if failed:
            lines.append("")
    return lines


def _pictures(pictures: list | None) -> list[str]:
    if not pictures:
        return []
    lines = [
        "## Picture job memory",
        "",
        "Each run is a fresh process calling `images.clean_original()` then",
        "`images.make_renditions()` (bench/images.py `job()`); RSS at start is taken after",
        "Django and Pillow are loaded, the peak is `getrusage().ru_maxrss` after the work.",
        "",
        "| picture | upload MB | files written | seconds | RSS at start MB | peak RSS MB "
        "| peak above start MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for picture in pictures:
        lines.append(
            f"| {picture['picture']} | {picture['upload_mb']} | {picture['files_written']} | "
            f"{picture['seconds_median']} | {picture['start_rss_mb']} | "
            f"{picture['peak_rss_mb_max']} | {picture['peak_above_start_mb_max']} |"
        )
    return [*lines, ""]


def _notes(results: dict) -> list[str]:
    lines = ["## Notes", ""]
    databases = results.get("databases", {})
    if databases:
        lines += [
            "Databases (bench/generate.py; made once, reused while the generator's version "
            "is unchanged):",
            "",
            "| size | name | made in (s) | steps (s) | on disk MB | reused |",
            "|---|---|---:|---|---:|---|",
        ]
        for label, made in databases.items():
            steps = ", ".join(f"{k} {v}" for k, v in made.get("seconds", {}).items())
            lines.append(
                f"| {label} | {made.get('name')} | {made.get('wall_seconds')} | {steps} | "
                f"{made.get('disk_mb')} | {'yes' if made.get('reused') else 'no'} |"
            )
        lines.append("")
    settings_seen = {
        entry.get("facts", {}).get("page_cache_setting", "unknown")
        for entry in results.get("sizes", {}).values()
        if entry.get("facts")
    }
    if None in settings_seen:
        lines.append(
            "- The application has no `ARTICLES_PAGE_CACHE` setting yet: "
            "`DJANGO_ARTICLES_PAGE_CACHE` is passed, but *on* and *off* run the same code."
        )
    for entry in results.get("sizes", {}).values():
        for name, page in entry.get("pages", {}).items():
            if "no page 500" in page.get("note", ""):
                lines.append(f"- {entry['size']:,} articles: {name} is the {page['note']}.")
    check = results.get("check_deploy")
    if check:
        first = check.splitlines()[0] if check else ""
        lines.append(f"- `manage.py check --deploy` with the recipe's variables: {first}")
    for error in results.get("errors", []):
        lines += ["- **Error:**", "", "```", error, "```"]
    return [*lines, ""]


def write(results: dict, path: Path) -> None:
    path.write_text(render(results))
