"""Many people at once: the default SQLite database waits its turn rather than failing."""

import os
import subprocess
import sys

from django.conf import settings


def _sqlite_connection_settings(database) -> list[str]:
    """What a connection of the production settings to a SQLite file reports, in a fresh process."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}}
    environment.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="config.settings",
                       DATABASE_URL=f"sqlite:///{database}")
    code = ("import django; django.setup(); from django.db import connection as c; "
            "cursor = c.cursor(); "
            "print(*(cursor.execute(f'PRAGMA {name}').fetchone()[0] "
            "for name in ('journal_mode', 'synchronous', 'busy_timeout')), c.transaction_mode)")
    result = subprocess.run([sys.executable, "-c", code], env=environment,  # noqa: S603
                            capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)
    return result.stdout.split()


def test_the_default_sqlite_database_is_wal_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    # synchronous 1 is NORMAL; the busy timeout is in milliseconds.
    assert _sqlite_connection_settings(tmp_path / "db.sqlite3") == ["wal", "1", "20000", "IMMEDIATE"]
