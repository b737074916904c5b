"""Time and peak memory of the picture job: a 24-megapixel JPEG and a 50-megapixel PNG.

    python bench/images.py                  # both pictures, 3 runs each
    python bench/images.py --kind jpeg --runs 1

Each run is a fresh process that cleans the upload (orientation, sRGB, no
metadata) and makes every rendition, writing to a temporary folder through
Django's storage API: the two steps the picture worker takes for an upload
(`job()` below). It reports the process's RSS at start, its peak RSS
(getrusage ru_maxrss after the work) and the peak above the start.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import setup_django

PICTURES = {
    # A common camera's full size; photo-like, with EXIF orientation and GPS to strip.
    "jpeg": {"size": (6000, 4000), "file": "photo-24mp.jpg", "label": "24 MP JPEG (6000×4000)"},
    # Just under the 50-megapixel limit; RGBA, a graphic with a noisy photo inset,
    # so it stays under the 20 MB upload limit as a real one would have to.
    "png": {
        "size": (7071, 7071),
        "file": "graphic-50mp.png",
        "label": "50 MP RGBA PNG (7071×7071)",
    },
}


def make_photo(path: Path) -> None:
    """A photo-like JPEG: gradients and grain, so it compresses like a real one."""
    from PIL import ExifTags, Image

    width, height = PICTURES["jpeg"]["size"]
    grain = Image.effect_noise((width, height), 40).convert("RGB")
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    photo = Image.blend(sky, grain, 0.35)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 41.0, 22.0),
    }
    photo.save(path, "JPEG", quality=92, exif=exif)


def make_graphic(path: Path) -> None:
    """A 50-megapixel RGBA PNG: gradients, shapes and text, with a grainy photo inset."""
    from PIL import Image, ImageDraw

    side = PICTURES["png"]["size"][0]
    across = Image.linear_gradient("L").resize((side, side))
    around = Image.radial_gradient("L").resize((side, side))
    graphic = Image.merge(
        "RGBA",
        [
            across,
            around,
            across.transpose(Image.Transpose.ROTATE_90),
            around.point(lambda v: 255 - v // 2),  # partly transparent towards the corners
        ],
    )
    draw = ImageDraw.Draw(graphic)
    for x in range(0, side, 400):
        draw.rectangle([x, x // 2, x + 300, x // 2 + 200], fill=(200, 40, 40, 255))
        draw.text((x, side - x - 50), "Newsroom chart 2026", fill=(0, 0, 0, 255))
    inset = int(side * 0.3)
    grain = Image.effect_noise((inset, inset), 50)
    photo = Image.merge(
        "RGBA",
        [
            Image.blend(grain, across.crop((0, 0, inset, inset)), 0.5),
            grain.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            grain.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
            Image.new("L", (inset, inset), 255),
        ],
    )
    graphic.paste(photo, (side // 3, side // 3))
    graphic.save(path, "PNG", compress_level=6)


def job(data: bytes, name: str, storage) -> int:
    """The picture job for one upload; returns how many files it wrote.

    The one call to change when the pipeline moves (e.g. into a background task
    with the same two steps).
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles import images

    cleaned = images.clean_original(SimpleUploadedFile(name, data), name=name)
    stored = storage.save(f"articles/{cleaned.name}", cleaned)
    renditions = images.make_renditions(storage, stored, widths=images.ARTICLE_WIDTHS, social=True)
    return 1 + len(renditions["sources"]) + (1 if renditions.get("social") else 0)


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one_run(path: str) -> None:
    """Process the picture once and print seconds and memory (MB) as JSON."""
    setup_django(collect_static=False)
    from django.core.files.storage import FileSystemStorage
    from PIL import Image  # noqa: F401 - loaded before the start is measured, as in a worker

    import articles.images  # noqa: F401

    start_rss = rss_mb()
    data = Path(path).read_bytes()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-images-") as folder:
        began = time.perf_counter()
        files = job(data, Path(path).name, FileSystemStorage(location=folder))
        seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "start_rss_mb": round(start_rss, 1),
                "peak_rss_mb": round(peak, 1),
                "peak_above_start_mb": round(peak - start_rss, 1),
                "files_written": files,
                "upload_mb": round(len(data) / 2**20, 1),
            }
        )
    )


def measure(kind: str, *, runs: int = 1, folder: Path | None = None, env=None) -> dict:
    """Make the picture (once, in a process of its own) and run the job `runs` times."""
    picture = PICTURES[kind]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(folder or scratch) / picture["file"]
        if not path.exists():
            # Every step in a process of its own: a child starts with its parent's peak
            # memory on Linux, so the measuring process must never hold the big picture.
            subprocess.run(  # noqa: S603 - this script
                [sys.executable, __file__, "--make", kind, str(path)], check=True, env=env
            )
        results = []
        for _ in range(runs):
            done = subprocess.run(  # noqa: S603 - this script, a fresh process per run
                [sys.executable, __file__, "--one", str(path)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "picture": picture["label"],
        "upload_mb": results[0]["upload_mb"],
        "seconds_median": statistics.median(r["seconds"] for r in results),
        "start_rss_mb": max(r["start_rss_mb"] for r in results),
        "peak_rss_mb_max": max(r["peak_rss_mb"] for r in results),
        "peak_above_start_mb_max": max(r["peak_above_start_mb"] for r in results),
        "files_written": results[0]["files_written"],
        "runs": results,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one_run(sys.argv[2])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--make":
        (make_photo if sys.argv[2] == "jpeg" else make_graphic)(Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kind", choices=[*PICTURES, "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    kinds = list(PICTURES) if args.kind == "both" else [args.kind]
    env = {**os.environ}
    print(
        json.dumps(
            [measure(kind, runs=args.runs, env=env) for kind in kinds], indent=2, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    main()
