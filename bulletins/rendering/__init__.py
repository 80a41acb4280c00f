"""Print rendering: an issue to HTML in the official layout, and HTML to a PDF."""


class MissingGlyphError(Exception):
    """A character that none of the configured fonts can print."""

    def __init__(self, *, character: str, where: str) -> None:
        self.character = character
        self.where = where
        super().__init__(
            f"{where}中的字符“{character}”（U+{ord(character):04X}）在已配置的字体中都没有字形，"
            "无法印刷。请改用其他写法，或配置包含该字的字体。")
