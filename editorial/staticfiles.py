"""Static files from the apps, less the CKEditor build that django-ckeditor-5 ships.

The article editor uses the build in editorial/static/editorial/ckeditor5/; the library's own
(django_ckeditor_5/dist/, an older CKEditor 5) is neither found nor collected, so no page can load it.
"""

from django.contrib.staticfiles import finders

SHADOWED = "django_ckeditor_5/dist/"


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def find(self, path, find_all=False, **kwargs):
        if path.replace("\\", "/").startswith(SHADOWED):
            return []
        return super().find(path, find_all=find_all, **kwargs)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if not path.replace("\\", "/").startswith(SHADOWED):
                yield path, storage
