"""Editorial workflow models live here; the post_migrate hook in apps.py needs this module."""
