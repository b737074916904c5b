"""Pictures made in the tests: every kind of upload a newsroom gets."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def upload(data: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps_rotated() -> bytes:
    """A 400×200 phone photo, stored sideways (EXIF orientation 6), with GPS."""
    image = Image.new("RGB", (400, 200), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 200, 200))  # left half blue, right half red
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 41.0, 22.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (51.0, 23.0, 20.0),
    }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def cmyk_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(buffer, "JPEG")  # pure red in CMYK
    return buffer.getvalue()


def transparent_png() -> bytes:
    image = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    image.paste((20, 120, 20, 255), (200, 100, 600, 300))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [
        Image.new("RGB", (120, 80), color).convert("P")
        for color in ((220, 20, 20), (20, 220, 20), (20, 20, 220))
    ]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width×height: a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data[12:29]  # b"IHDR" + 13 bytes of header
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
PHP_SHELL = b"<?php system($_GET['cmd']); ?>"
TEXT = b"This is not a picture at all, just words in a file."
