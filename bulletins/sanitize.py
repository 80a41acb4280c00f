"""One allow-list for article HTML, used for the web and for print.

The tags are those the CKEditor 5 toolbar configured in settings can produce.
Images may only point at our own media files; everything else is dropped.
"""

from urllib.parse import urlsplit

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i",
    "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "img", "a",
}
ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "a": {"href"},
    "figure": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _is_local_media(url: str) -> bool:
    """An uploaded file: under MEDIA_URL, which is a path or, with object storage, an address."""
    parts = urlsplit(url)
    if ".." in parts.path:
        return False
    if "://" in settings.MEDIA_URL:
        return url.startswith(settings.MEDIA_URL)
    return not parts.scheme and not parts.netloc and parts.path.startswith(settings.MEDIA_URL)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_local_media(value) else None
    if tag == "figure" and attribute == "class":
        return value if value in {"table", "image"} else None
    return value


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An <img> whose src was refused is useless; drop it entirely.
    return cleaned.replace("<img>", "")
