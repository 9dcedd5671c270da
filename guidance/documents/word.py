"""Word documents (.docx) as a German council expects them: A4, German proofing language on every
style and run, tables with fixed column widths and a header row that repeats on each page, and
metadata that name the municipality, without python-docx's default thumbnail."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from portal.core.text import strip_control_characters

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "de-DE"
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
TEXT_WIDTH_CM = 16.0  # A4 less 2.5 cm left and right
FONT = "Arial"

# What follows w:lang in a run's properties (ECMA-376, CT_RPr): w:lang goes before the first of them.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def t(text: Any) -> str:
    """Text as Word can hold it: control characters (refused on input, but older records may hold
    them) would make the whole document fail, so they are dropped here too."""
    return strip_control_characters(str(text))


def new_document(*, footer: str = "") -> Any:
    """An empty A4 document with German defaults and ``footer`` followed by the page number."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = Cm(2.0)
        section.bottom_margin = Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
        if footer:
            paragraph = section.footer.paragraphs[0]
            run = paragraph.add_run(t(footer) + " – Seite ")
            run.font.size = Pt(9)
            _add_page_number(paragraph)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for style_name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5), ("Caption", 9.5)):
        style = document.styles[style_name]
        style.font.name = FONT
        style.font.size = Pt(size)
        fonts = style.element.rPr.rFonts  # the theme's heading font would win over the name alone
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    return document


def add_blocks(document: Any, blocks: Sequence[Any]) -> None:
    """Headings, paragraphs, lists, notes and tables (see :class:`Block`) into ``document``."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt

    for block in blocks:
        if block.kind == "h1":
            document.add_heading(t(block.text), level=0)
        elif block.kind in ("h2", "h3"):
            document.add_heading(t(block.text), level=1 if block.kind == "h2" else 2)
        elif block.kind == "p":
            document.add_paragraph(t(block.text))
        elif block.kind == "note":
            document.add_paragraph().add_run(t(block.text)).italic = True
        elif block.kind == "field":  # a line to fill in by hand, up to the right margin
            paragraph = document.add_paragraph(t(block.text) + " \t")
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT,
                                                              WD_TAB_LEADER.LINES)
            paragraph.paragraph_format.space_before = Pt(6)
        elif block.kind in ("ul", "ol"):
            style = "List Bullet" if block.kind == "ul" else "List Number"
            for item in block.items:
                document.add_paragraph(t(item), style=style)
        elif block.kind == "table":
            if block.caption:
                caption = document.add_paragraph(t(block.caption), style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.LEFT
                caption.paragraph_format.keep_with_next = True
            add_table(document, block.rows, widths=block.widths, caption=block.caption)
            document.add_paragraph()


def add_table(document: Any, rows: Sequence[Sequence[str]], *, widths: Sequence[float] = (), caption: str = "") -> Any:
    """A table whose first row is its header: bold, repeated on every page, never split. ``widths``:
    the columns' shares of the text width (equal shares if not given)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    columns = len(rows[0])
    shares = list(widths) if widths else [1.0] * columns
    total = sum(shares)
    column_widths = [Cm(TEXT_WIDTH_CM * share / total) for share in shares]
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.autofit = False  # w:tblLayout fixed: the widths below hold
    if caption:  # the table's name for screen readers (w:tblCaption closes w:tblPr, after w:tblLook)
        name = OxmlElement("w:tblCaption")
        name.set(qn("w:val"), t(caption))
        table._tbl.tblPr.append(name)
    for column, width in zip(table.columns, column_widths, strict=True):
        column.width = width
    for index, row in enumerate(rows):
        table_row = table.add_row()
        tr_pr = table_row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        if index == 0:
            header = OxmlElement("w:tblHeader")
            tr_pr.append(header)
        if index and not all(row[1:]):  # a row to fill in or sign by hand: room to write
            table_row.height = Cm(1.0)
        for cell, value, width in zip(table_row.cells, row, column_widths, strict=True):
            cell.width = width
            cell.text = t(value)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(2)
                if index == 0:
                    for run in paragraph.runs:
                        run.bold = True
    return table


def save(document: Any, *, title: str, author: str, subject: str = "", keywords: str = "") -> bytes:
    """The document as bytes: German everywhere, its metadata set (``author``: the municipality the
    document is for), without the default template's thumbnail and legacy styles copy."""
    core = document.core_properties
    now = timezone.now().replace(microsecond=0)
    core.title = t(title)
    core.subject = t(subject)
    core.author = t(author)
    core.last_modified_by = t(author)
    core.keywords = t(keywords)
    core.comments = "Entwurf, erstellt mit dem Portal „Starkes Netz“"
    core.category = "Entwurf"
    core.language = LANGUAGE
    core.created = now
    core.modified = now
    core.revision = 1
    _german(document)
    _drop_relationships(document.part.package, _THUMBNAIL)
    _drop_relationships(document.part, _STYLES_WITH_EFFECTS)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _drop_relationships(source: Any, reltype: str) -> None:
    """Remove ``source``'s relationships of ``reltype``: a part nothing refers to is not saved."""
    for r_id, relationship in list(source.rels.items()):
        if relationship.reltype == reltype:
            del source.rels[r_id]


def set_language(r_pr: Any) -> None:
    """``w:lang`` (German) in a run's or style's properties, at its place in the schema's order."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.insert_element_before(lang, *_AFTER_LANG)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _german(document: Any) -> None:
    """German proofing language in the defaults, on every style and every run (body, headers, footers)."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for r_pr in defaults.iter(qn("w:rPr")):
            set_language(r_pr)
    for style in styles.findall(qn("w:style")):
        set_language(style.get_or_add_rPr())
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
    roots = [document.element]
    for section in document.sections:  # only the headers and footers that exist (asking would add them)
        roots += [part._element for part in (section.header, section.footer) if not part.is_linked_to_previous]
    for root in roots:
        for run in root.iter(qn("w:r")):
            set_language(run.get_or_add_rPr())


def _add_page_number(paragraph: Any) -> None:
    """A PAGE field, so Word shows the current page number in the footer."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for kind, text in (("begin", None), ("instr", "PAGE"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
