"""Print rendering: an issue to HTML in the official layout, and HTML to a PDF."""

import gc


class MissingGlyphError(Exception):
    """A character that none of the configured fonts can print."""

    def __init__(self, *, character: str, where: str) -> None:
        self.character = character
        self.where = where
        super().__init__(
            f"{where}中的字符“{character}”（U+{ord(character):04X}）在已配置的字体中都没有字形，"
            "无法印刷。请改用其他写法，或配置包含该字的字体。")


def prepare_process_for_rendering() -> None:
    """Load WeasyPrint and Pango now, then keep all that start-up made out of the garbage
    collector's way (gc.freeze).

    For a long-lived process that prints (a web worker, the render child): its start-up
    leaves some 120,000 objects that live as long as it does, and every full collection
    walks them all, about every third render of a 22-page issue, some 80-160 ms each time.
    """
    import bulletins.rendering.pdf  # noqa: F401 - WeasyPrint and Pango, loaded before the freeze

    gc.collect()
    gc.freeze()
