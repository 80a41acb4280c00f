import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Web workers print too (a PDF of record on sign-off, the reading room's PDFs).
from bulletins.rendering import prepare_process_for_rendering  # noqa: E402 - needs Django set up

prepare_process_for_rendering()
