"""Time and peak memory to take a 24-megapixel JPEG through the picture pipeline.

    python bench/images.py            # 3 runs, each in a fresh process

Each run cleans the upload (orientation, sRGB, no metadata) and makes every
rendition, writing to a temporary folder through Django's storage API, the
same calls the admin makes when an editor uploads a picture.
"""

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import setup_django

WIDTH, HEIGHT = 6000, 4000  # 24 megapixels, a common camera's full size


def make_photo(path: Path) -> None:
    """A photo-like JPEG: gradients and grain, so it compresses like a real one."""
    from PIL import ExifTags, Image

    grain = Image.effect_noise((WIDTH, HEIGHT), 40).convert("RGB")
    sky = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).convert("RGB")
    photo = Image.blend(sky, grain, 0.35)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 41.0, 22.0),
    }
    photo.save(path, "JPEG", quality=92, exif=exif)


def one_run(path: str) -> None:
    """Process the photo once and print seconds and peak memory (MB) as JSON."""
    setup_django()
    from django.core.files.storage import FileSystemStorage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles import images

    data = Path(path).read_bytes()
    storage = FileSystemStorage(location=tempfile.mkdtemp(prefix="newsroom-bench-images-"))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    cleaned = images.clean_original(SimpleUploadedFile("photo.jpg", data), name="photo.jpg")
    name = storage.save("articles/photo.jpg", cleaned)
    renditions = images.make_renditions(storage, name, widths=images.ARTICLE_WIDTHS, social=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak / 1024, 1),
                "peak_above_start_mb": round((peak - baseline) / 1024, 1),
                "renditions": len(renditions["sources"]) + 1,
                "upload_mb": round(len(data) / 2**20, 1),
            }
        )
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one_run(sys.argv[2])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make_photo(Path(sys.argv[2]))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo-24mp.jpg"
        # Every step in a process of its own: a child starts with its parent's peak
        # memory on Linux, so this one must never hold the big picture itself.
        subprocess.run([sys.executable, __file__, "--make", str(path)], check=True)  # noqa: S603
        runs = [
            json.loads(
                subprocess.run(  # noqa: S603 - this script, a fresh process per run
                    [sys.executable, __file__, "--one", str(path)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            for _ in range(3)
        ]
    print(
        json.dumps(
            {
                "image": f"{WIDTH}x{HEIGHT} JPEG, {runs[0]['upload_mb']} MB",
                "seconds_median": statistics.median(r["seconds"] for r in runs),
                "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs),
                "peak_above_start_mb_max": max(r["peak_above_start_mb"] for r in runs),
                "files_written": runs[0]["renditions"],
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
