"""Content-keyed cache of issue PDFs.

The key is a hash of the issue's HTML (which holds everything printed, and the layout
switches of its publication), the font files and the PDF options. Any edit that changes
the printed issue changes its HTML and so its key: there is nothing to invalidate.
"""

from __future__ import annotations

import hashlib

import weasyprint
from django.conf import settings
from django.core.cache import caches

from bulletins.rendering.fonts import FontSet

CACHE_VERSION = "1"
TIMEOUT_SECONDS = 30 * 24 * 3600


def pdf_cache():
    return caches[getattr(settings, "BULLETIN_PDF_CACHE", "default")]


def cache_key(html: str, fonts: FontSet) -> str:
    digest = hashlib.sha256()
    for part in (CACHE_VERSION, weasyprint.__version__, fonts.fingerprint(),
                 str(getattr(settings, "BULLETIN_PDF_VARIANT", "")), html):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"bulletins:issue-pdf:{digest.hexdigest()}"


def get_cached_pdf(key: str) -> bytes | None:
    return pdf_cache().get(key)


def set_cached_pdf(key: str, pdf: bytes) -> None:
    pdf_cache().set(key, pdf, TIMEOUT_SECONDS)
