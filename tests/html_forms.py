"""A page's form read from its HTML, as a browser would send it unchanged (for tests and
benchmarks that drive a real server)."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields of one form of a page, as a browser would send them unchanged."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields, self._textarea, self._select = form_id, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if self.inside and tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        if not self.inside or not attrs.get("name"):
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "checkbox"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields[attrs["name"]] = attrs.get("value") or "on"
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the newline that follows <textarea>.
            text = self.fields[self._textarea] + data
            self.fields[self._textarea] = text.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(page: str, form_id: str) -> dict:
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.fields
