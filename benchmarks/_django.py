"""Set up Django on a throwaway SQLite database for a benchmark script."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def seed_files() -> list[Path]:
    """The seed archive (seeds/*.txt), in file order."""
    return sorted((ROOT / "seeds").glob("*.txt"))


def import_seeds() -> list:
    """Import the seed archive into the database setup_django made: a result a file."""
    from bulletins.archive.importer import archive_import_file

    return [archive_import_file(path=path) for path in seed_files()]
