"""Images in article bodies: one set of checks and one storage for editor uploads and manuscripts.

An image is accepted when it is a real JPEG or PNG (read by Pillow, whatever its name says) of at
most settings.CKEDITOR_5_MAX_FILE_SIZE MB and settings.IMAGE_MAX_PIXELS pixels; it is stored with
the storage the editor uploads use (settings.CKEDITOR_5_FILE_STORAGE), so the sanitiser keeps its
URL.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.utils.module_loading import import_string
from PIL import Image

from bulletins.limits import UploadLimitError, check_pixels

# Pillow's format name -> the extension the file is stored with.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}
TYPE_LABEL = "JPEG 或 PNG"


class ImageRefused(ValueError):
    """An image that may not go into an article; the message is for the editor."""


def max_image_bytes() -> int:
    return int(settings.CKEDITOR_5_MAX_FILE_SIZE) * 1024 * 1024


def check_image_size(*, name: str, size: int) -> None:
    if size > max_image_bytes():
        raise ImageRefused(f"图片“{name}”有 {size / 1024 / 1024:.1f} MB，超过了 "
                           f"{int(settings.CKEDITOR_5_MAX_FILE_SIZE)} MB 的上限。请压缩后再插入。")


def check_image(*, name: str, data: bytes) -> str:
    """Return the extension to store the image with, or raise ImageRefused saying why not."""
    check_image_size(name=name, size=len(data))
    try:
        with warnings.catch_warnings():
            # IMAGE_MAX_PIXELS is checked below, from the header, before any pixel is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                check_pixels(name=name, width=image.width, height=image.height)
                image.verify()
    except UploadLimitError as error:
        raise ImageRefused(str(error)) from error
    except Image.DecompressionBombError as error:
        raise ImageRefused(f"图片“{name}”的像素尺寸过大，超过上限 "
                           f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g} 百万像素。请缩小后再插入。") from error
    except (OSError, SyntaxError, ValueError) as error:
        suffix = PurePath(name).suffix.lower().lstrip(".")
        if suffix and suffix not in {"jpg", "jpeg", "png"}:
            raise ImageRefused(f"“{name}”不是 {TYPE_LABEL} 图片，只能插入这两种格式的图片。") from error
        raise ImageRefused(f"“{name}”不是有效的图片文件，可能已损坏。") from error
    if image_format not in IMAGE_FORMATS:
        raise ImageRefused(f"“{name}”不是 {TYPE_LABEL} 图片，只能插入这两种格式的图片。")
    return IMAGE_FORMATS[image_format]


def image_storage():
    return import_string(settings.CKEDITOR_5_FILE_STORAGE)()
