"""Read a rendered page's text by element id, for asserting what a user sees."""

from html.parser import HTMLParser

VOID = {"br", "img", "input", "meta", "link", "hr", "rect", "line", "path", "circle"}
INLINE = {"a", "span", "strong", "em", "b", "i", "abbr", "code", "small"}


class _ById(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []  # the id of each open element that has one
        self.texts: dict[str, list[str]] = {}

    def _gap(self, tag):
        """Cells, paragraphs and line breaks read as separate words."""
        if tag not in INLINE:
            self.handle_data(" ")

    def handle_starttag(self, tag, attrs):
        self._gap(tag)
        if tag in VOID:
            return
        element_id = dict(attrs).get("id")
        self.stack.append(element_id)
        if element_id:
            self.texts.setdefault(element_id, [])

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        self._gap(tag)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for element_id in self.stack:
            if element_id:
                self.texts[element_id].append(data)


def texts_by_id(html: str) -> dict[str, str]:
    """{id: the element's text with whitespace collapsed} for every element with an id."""
    parser = _ById()
    parser.feed(html)
    return {key: " ".join("".join(parts).split()) for key, parts in parser.texts.items()}


def page_text(html: str) -> str:
    """All the text of a page, whitespace collapsed."""
    parser = _ById()
    parser.stack.append("__page__")
    parser.texts["__page__"] = []
    parser.feed(html)
    return " ".join("".join(parser.texts["__page__"]).split())
