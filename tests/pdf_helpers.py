"""Reading the PDF report as WeasyPrint laid it out (reports/exports/pdf.render_document): where
each box landed, page by page, rather than what text a PDF reader extracts."""

from weasyprint.formatting_structure import boxes


def text_of(box) -> str:
    """The box's text, a line at a time (lines parted by a space)."""
    lines = [b for b in box.descendants() if isinstance(b, boxes.LineBox)]
    return " ".join(
        "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
        for line in lines
    )


def flow(page):
    """The page's own content (not its margins or footnotes)."""
    return next(c for c in page._page_box.children if c.element_tag == "html")


def footnotes_of(page) -> str:
    area = [c for c in page._page_box.children if isinstance(c, boxes.FootnoteAreaBox)]
    return " ".join(text_of(a) for a in area)


def margin(page, at: str) -> str:
    """The text of a margin box ("@top-left"), "" where the page has none."""
    return "".join(
        text_of(c)
        for c in page._page_box.children
        if isinstance(c, boxes.MarginBox) and c.at_keyword == at
    )


def page_texts(document) -> list[str]:
    return [" ".join(text_of(flow(page)).split()) for page in document.pages]


def tables_on(page):
    """(caption text, number of body rows) of each table, or part of one, on the page."""
    found = []
    for box in flow(page).descendants():
        if not getattr(box, "is_table_wrapper", False):
            continue
        caption = " ".join(text_of(c) for c in box.children if c.element_tag == "caption")
        rows = sum(
            len(group.children)
            for table in box.children
            if isinstance(table, boxes.TableBox)
            for group in table.children
            if isinstance(group, boxes.TableRowGroupBox) and not group.is_header
        )
        found.append((caption.strip(), rows))
    return found


def orphaned_captions(document) -> list[tuple[int, str]]:
    """(page number, caption) of each caption laid out on a page with none of its table's rows
    after it (alone, or with only the header row): the last thing on its page."""
    return [
        (number, caption)
        for number, page in enumerate(document.pages, start=1)
        for caption, rows in tables_on(page)
        if caption and not rows
    ]
