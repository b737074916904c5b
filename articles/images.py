"""News pictures: accepted by what they are, cleaned, and cut into renditions.

An upload is judged by Pillow reading its header, never by its name: only
JPEG, PNG, WebP and GIF are accepted, within a size and a pixel limit checked
before anything is decoded. The stored original is re-encoded from pixels
alone, upright and in sRGB, so no EXIF (GPS above all) survives; renditions
are cut from that clean original. When and where this runs is
articles.pictures: in the background, never in a request.

Every file written gets a random 8-hex-digit token in its name, so a name is
never reused for other content and may be cached forever. Everything goes
through Django's storage API, so S3-compatible storage works unchanged.
"""

import io
import logging
import posixpath
import re
import secrets
import tempfile
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Multi-picture JPEGs (phones' HDR photos) are JPEGs to a browser: keep the main picture.
FORMAT_ALIASES = {"MPO": "JPEG"}
ARTICLE_WIDTHS = (320, 640, 1024, 1600)
# The token a cleaned original gets (and its renditions after it): "-1a2b3c4d".
TOKEN = re.compile(r"-[0-9a-f]{8}$")
SOCIAL_SIZE = (1200, 630)
SRGB = ImageCms.createProfile("sRGB")


def max_bytes() -> int:
    return settings.ARTICLES_IMAGE_MAX_BYTES


def max_pixels() -> int:
    return settings.ARTICLES_IMAGE_MAX_PIXELS


@dataclass(frozen=True)
class Inspected:
    format: str
    width: int
    height: int


def inspect_upload(file) -> Inspected:
    """What the upload really is; ValidationError, in the editor's words, if it won't do."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="too_large",
        )
    file.seek(0)
    try:
        # Reading the header decodes no pixels; a bomb is refused on its declared size.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file)
            fmt, (width, height) = FORMAT_ALIASES.get(image.format, image.format), image.size
            frames = getattr(image, "n_frames", 1) if fmt == "GIF" else 1
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        if isinstance(error, Image.DecompressionBombError):
            raise ValidationError(
                _("This image has too many pixels to be processed."), code="too_many_pixels"
            ) from error
        raise ValidationError(
            _("This file is not a picture we accept: upload a JPEG, PNG, WebP or GIF image."),
            code="not_an_image",
        ) from error
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted: upload a JPEG, PNG, WebP or GIF image.")
            % {"format": fmt or _("This kind of")},
            code="format",
        )
    if width * height > max_pixels():
        raise ValidationError(
            _(
                "This image is %(width)d×%(height)d pixels (%(mp).0f megapixels); "
                "the limit is %(limit).0f megapixels."
            )
            % {
                "width": width,
                "height": height,
                "mp": width * height / 1e6,
                "limit": max_pixels() / 1e6,
            },
            code="too_many_pixels",
        )
    if width * height * frames > max_pixels():
        # Every frame of an animation is decoded: a small file can hide gigabytes.
        raise ValidationError(
            _(
                "This animation has %(frames)d frames of %(width)d×%(height)d pixels; "
                "make it shorter or smaller."
            )
            % {"frames": frames, "width": width, "height": height},
            code="too_many_frames",
        )
    try:
        file.seek(0)
        Image.open(file).verify()  # a truncated or corrupt file fails here
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for broken files
        raise ValidationError(_("This image is damaged or incomplete."), code="broken") from error
    finally:
        file.seek(0)
    return Inspected(fmt, width, height)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels in sRGB: CMYK and wide-gamut pictures would print odd colours on the web."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greys: scale to 8 bits, or every light grey clips to white.
        image = image.point(lambda value: value / 256).convert("L")
    icc = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if has_alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(target)
            return ImageCms.profileToProfile(image, source, SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to Pillow's plain conversion
    if image.mode == "CMYK":
        # Adobe-style CMYK JPEGs are stored inverted; Pillow's conversion expects that.
        return image.convert("RGB")
    return image.convert(target) if image.mode != target else image


ENCODER_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    # method 2: a tenth larger than the slowest setting, in half the time.
    "WEBP": {"quality": 80, "method": 2},
    # zlib's default level: "optimize" takes half a minute on a 50-megapixel PNG.
    "PNG": {"compress_level": 6},
    "GIF": {},
}


def _write(image: Image.Image, fmt: str, out, **extra) -> None:
    if fmt == "JPEG" and image.mode != "RGB":
        image = _flatten(image)
    # Pillow would write back what it read (comments, ICC profiles, XMP): keep pixels only.
    image.info = {}
    image.save(out, format=fmt, **ENCODER_OPTIONS[fmt], **extra)


def _encode(image: Image.Image, fmt: str, **extra) -> bytes:
    buffer = io.BytesIO()
    _write(image, fmt, buffer, **extra)
    return buffer.getvalue()


def _encode_to_file(image: Image.Image, fmt: str, name: str, **extra) -> File:
    """A large original is written to a temporary file, not kept in memory twice."""
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 - File closes it
    _write(image, fmt, spooled, **extra)
    spooled.seek(0)
    return File(spooled, name=name)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: a transparent logo must not turn into a black card."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def max_side() -> int:
    return settings.ARTICLES_IMAGE_MAX_SIDE


def clean_original(file, *, name: str) -> File:
    """The upload re-encoded from its pixels: upright, sRGB, no metadata at all, and at
    most ARTICLES_IMAGE_MAX_SIDE pixels on its longer side (twice the largest rendition:
    sharp on any screen, and a worker never holds a camera's full resolution twice)."""
    inspected = inspect_upload(file)
    file.seek(0)
    try:
        image = Image.open(file)
        if inspected.format == "JPEG":
            # Decoded at the smallest scale still as large as what is kept.
            image.draft(image.mode, (max_side(), max_side()))
        if not (inspected.format == "GIF" and getattr(image, "n_frames", 1) > 1):
            image.load()
            # Rebound here, so the full-size pixels are let go at once.
            image = _shrink_to(image, max_side())
        return _clean(image, inspected, name)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        # Headers can look fine while the pixels are cut short or corrupt.
        raise ValidationError(_("This image is damaged or incomplete."), code="broken") from error


def _clean(image: Image.Image, inspected: Inspected, name: str) -> File:
    stem = TOKEN.sub("", posixpath.splitext(posixpath.basename(name))[0]) or "image"
    clean_name = f"{stem[:60]}-{secrets.token_hex(4)}.{ACCEPTED_FORMATS[inspected.format]}"
    if inspected.format == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames = [_to_srgb(frame.copy()).convert("RGBA") for frame in ImageSequence.Iterator(image)]
        return _encode_to_file(
            frames[0],
            "GIF",
            clean_name,
            save_all=True,
            append_images=frames[1:],
            loop=image.info.get("loop", 0),
            duration=image.info.get("duration", 100),
            disposal=2,
        )
    # Turned upright in place: a copy of a large picture is a lot more memory.
    ImageOps.exif_transpose(image, in_place=True)
    return _encode_to_file(_to_srgb(image), inspected.format, clean_name)


def _shrink_to(image: Image.Image, side: int) -> Image.Image:
    """The picture with its longer side at most `side`, the full-size pixels let go."""
    longer = max(image.size)
    if longer <= side:
        return image
    if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        # By a whole factor, a band at a time: no second full-size copy.
        return _reduce_in_strips(image, -(-longer // side))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return image


def _working_copy(image: Image.Image, *, widths: tuple[int, ...], social: bool) -> Image.Image:
    """The picture in RGB(A), shrunk by a whole factor to about the largest size any
    rendition needs: every rendition is cut from this, and the full-size pixels
    (200 MB for 50 megapixels of RGBA) are let go at once."""
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    largest = max(widths)
    need_w = max(largest, SOCIAL_SIZE[0] if social else 0)
    need_h = max(round(image.height * largest / image.width), SOCIAL_SIZE[1] if social else 0)
    factor = min(image.width // need_w, image.height // need_h)
    return _reduce_in_strips(image, factor) if factor >= 2 else image


def _reduce_in_strips(image: Image.Image, factor: int) -> Image.Image:
    """`image.reduce(factor)` a band at a time: Pillow premultiplies alpha into a full
    copy first, which for a 50-megapixel RGBA picture is another 200 MB."""
    reduced = Image.new(image.mode, (-(-image.width // factor), -(-image.height // factor)))
    band = factor * 256  # whole blocks of `factor` rows, so the bands join seamlessly
    for top in range(0, image.height, band):
        strip = image.crop((0, top, image.width, min(image.height, top + band)))
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced


def make_renditions(
    storage: Storage,
    name: str,
    *,
    widths: tuple[int, ...],
    social: bool = False,
    focal: tuple[float, float] = (0.5, 0.5),
) -> dict:
    """Smaller copies of a stored, cleaned original in WebP and its own format.

    Returns what pages need to write srcset, width and height without opening a
    file again: {"width", "height", "sources": [...], "social": {...}}.
    """
    with storage.open(name, "rb") as stored:
        image = Image.open(stored)
        fmt, (width, height) = image.format, image.size
        if fmt == "JPEG":
            # Decode a JPEG at the smallest scale still as large as every output needs
            # (Pillow keeps both sides at least that big): a quarter of the pixels,
            # memory and time for a camera's full-size photo.
            largest = max(widths)
            need_w = max(largest, SOCIAL_SIZE[0] if social else 0)
            need_h = max(round(height * largest / width), SOCIAL_SIZE[1] if social else 0)
            image.draft("RGB", (need_w, need_h))
        image.load()
    image = _working_copy(image, widths=widths, social=social)
    folder, filename = posixpath.split(name)
    stem = posixpath.splitext(filename)[0]
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    fallback = {"GIF": "PNG"}.get(fmt, fmt)  # an animated GIF's renditions are still pictures
    formats = ["WEBP"] if fallback == "WEBP" else ["WEBP", fallback]
    targets = sorted({w for w in widths if w < width} | {min(width, max(widths))})
    targets = [min(target, image.width) for target in targets]
    sources = []
    for target in targets:
        resized = image.resize(
            (target, max(1, round(image.height * target / image.width))),
            Image.Resampling.LANCZOS,
            reducing_gap=3.0,  # shrink by whole factors first: same look, far faster
        )
        for out in formats:
            rendition = posixpath.join(
                folder, "renditions", f"{stem}-{resized.width}w.{ACCEPTED_FORMATS[out]}"
            )
            data = _encode(resized, out)
            saved = storage.save(rendition, ContentFile(data))
            sources.append(
                {
                    "bytes": len(data),
                    "name": saved,
                    "width": resized.width,
                    "height": resized.height,
                    "type": f"image/{ACCEPTED_FORMATS[out].replace('jpg', 'jpeg')}",
                }
            )
    # Pages reserve the original's shape; the renditions keep it.
    result = {"width": width, "height": height, "sources": sources}
    if social:
        card = ImageOps.fit(_flatten(image), SOCIAL_SIZE, Image.Resampling.LANCZOS, centering=focal)
        data = _encode(card, "JPEG")
        saved = storage.save(
            posixpath.join(folder, "renditions", f"{stem}-social.jpg"), ContentFile(data)
        )
        result["social"] = {
            "name": saved,
            "width": SOCIAL_SIZE[0],
            "height": SOCIAL_SIZE[1],
            "bytes": len(data),
        }
    return result


def delete_renditions(storage: Storage, renditions: dict | None) -> None:
    """Remove the files make_renditions wrote; missing ones are fine."""
    if not renditions:
        return
    names = [source["name"] for source in renditions.get("sources", [])]
    if renditions.get("social"):
        names.append(renditions["social"]["name"])
    for name in names:
        storage.delete(name)
