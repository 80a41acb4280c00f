"""Index the search's tsvectors with RUM where the PostgreSQL server has the extension."""

from django.db import migrations


def upgrade_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from bulletins.search.backends import backend

    backend("postgresql").upgrade_index()


class Migration(migrations.Migration):

    dependencies = [
        ('bulletins', '0008_batch_job_archive'),
    ]

    operations = [
        migrations.RunPython(upgrade_index, migrations.RunPython.noop),
    ]
