"""The building blocks of a generated document, written once and rendered as .docx or as a page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # "h1", "h2", "h3", "p", "ul", "ol", "table", "note", "field"
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # first row is the header
    caption: str = ""
    widths: tuple[float, ...] = ()  # a table's column widths as shares of the text width
