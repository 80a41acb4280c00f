"""Editorial pages beside the model admin: archive import, print preview and PDF, mailroom sheet."""
