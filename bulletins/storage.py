from django.conf import settings
from django.core.files.storage import FileSystemStorage

ARTICLE_IMAGE_DIR = "article-images"


class ArticleImageStorage(FileSystemStorage):
    """Images uploaded from the article editor, kept apart from other media files."""

    def __init__(self) -> None:
        super().__init__(location=settings.MEDIA_ROOT / ARTICLE_IMAGE_DIR,
                         base_url=f"{settings.MEDIA_URL}{ARTICLE_IMAGE_DIR}/")
