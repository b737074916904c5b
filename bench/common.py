"""Set-up shared by the benchmarks: Django on the database named by DATABASE_URL.

Not run by itself; imported by the scripts beside it.
"""

import hmac
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

# The account that `make bench` logs in with (bench databases only).
EDITOR_USERNAME = "bench-editor"
EDITOR_PASSWORD = "bench-editor-password-0a9b8c7d"  # noqa: S105 - a throwaway database
# The editor's authenticator-app key: the desk asks editors for a second factor.
EDITOR_TOTP_KEY = "3132333435363738393031323334353637383930"  # noqa: S105 - throwaway


def setup_django(*, collect_static: bool = True) -> None:
    """Django on DATABASE_URL, DEBUG off; `collect_static` gathers hashed static files first."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_DEBUG", "off")
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop"
    )
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "off")
    # The scripts time the work a page does, not the whole-page cache (bench/run.py sets it).
    os.environ.setdefault("DJANGO_ARTICLES_PAGE_CACHE", "off")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault(
        "DJANGO_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "newsroom-bench-static")
    )
    if collect_static:
        # Production serves hashed static files; so does the benchmark. A process of its
        # own, because the storage reads its manifest once, when first used.
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"],
            check=True,
        )
    import django

    django.setup()


def ensure_editor():
    """The benchmark's editor account (in the Editor group), with a known password."""
    from django.contrib.auth.models import Group, User

    editor, _ = User.objects.get_or_create(
        username=EDITOR_USERNAME, defaults={"is_staff": True, "email": "editor@bench.example"}
    )
    if not editor.check_password(EDITOR_PASSWORD):
        editor.set_password(EDITOR_PASSWORD)
        editor.is_staff = True
        editor.save()
    editor.groups.add(Group.objects.get(name="Editor"))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.update_or_create(
        user=editor, name="bench", defaults={"key": EDITOR_TOTP_KEY, "confirmed": True}
    )
    return editor


def editor_code(key: str = EDITOR_TOTP_KEY, *, step: int = 30) -> str:
    """The code the benchmark editor's authenticator app would show now (RFC 6238)."""
    digest = hmac.new(bytes.fromhex(key), struct.pack(">Q", int(time.time()) // step), "sha1")
    mac = digest.digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**6:06d}"


def steady_state() -> None:
    """Planner statistics and (PostgreSQL) the visibility map, as autovacuum keeps them on a
    live site; right after a bulk load they describe an empty table, and index-only scans
    still read the heap."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


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
