"""Set-up shared by the benchmarks: Django on the database named by DATABASE_URL."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_DEBUG", "off")
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop"
    )
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "off")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault(
        "DJANGO_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "newsroom-bench-static")
    )
    # Production serves hashed static files; so does the benchmark. A process of its
    # own, because the storage reads its manifest once, when first used.
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"],
        check=True,
    )
    import django

    django.setup()


def timed(run: Callable[[], object], *, repeat: int) -> dict[str, float]:
    """Median and 95th percentile of `repeat` runs, in milliseconds, after one warm-up."""
    run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }
