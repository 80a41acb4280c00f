"""Past issues in and out: the text/Markdown parser, the versioned JSON format and the importer."""
