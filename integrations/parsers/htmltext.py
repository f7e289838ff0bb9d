"""The plain text of an HTML mail body, laid out as the order reader wants it.

Block elements become lines, a data table's row one line with tab-separated
cells, blockquotes quoted lines ("> "), list items "- " lines; scripts and
styles are dropped.

Mail is laid out with tables: a webshop's or an ERP's notification puts its
whole content, paragraphs and headings, inside the single cell of a table
inside a table. Read as data cells, that content became one line and no order
could be found in it. So the page is first parsed into a tree, and each table
row is judged by its shape: a row with one cell, or with a table inside a cell,
is layout, whose cells are read as the page; a row of several cells is data,
one line whose cells keep their inner paragraphs as spaces (Outlook writes a
paragraph into every cell of a table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = frozenset(("p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5",
                    "h6", "ul", "ol", "table", "blockquote", "pre", "address", "center", "form", "hr",
                    "dl", "dt", "dd", "tr", "li", "main", "aside", "nav", "figure", "caption", "tbody",
                    "thead", "tfoot"))
_DROPPED = frozenset(("script", "style", "head", "title", "xml", "template", "noscript", "object"))
_VOID = frozenset(("br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source",
                   "embed", "param", "track"))
#: A start tag that closes the nearest open element of its kind ("<td>a<td>b", "<tr>…<tr>",
#: "<li>a<li>b"), within its table or list.
_SELF_CLOSING_SIBLINGS = {"td": ("td", "th"), "th": ("td", "th"), "tr": ("tr",), "li": ("li",),
                          "p": ("p",), "dt": ("dt", "dd"), "dd": ("dt", "dd")}
#: Elements a sibling may not close across.
_SCOPES = frozenset(("table", "ul", "ol", "dl", "blockquote"))
_SECTIONS = frozenset(("tbody", "thead", "tfoot"))
#: Deeper than this, markup is hostile or broken: the rest is read as text of the last element.
_MAX_DEPTH = 200


@dataclass
class _Node:
    tag: str
    children: list[_Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    """Forgiving HTML to a tree: unclosed cells, rows, items and paragraphs are closed by
    their next sibling, stray end tags are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("body")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_sibling(tag)
        node = _Node(tag)
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_sibling(tag)
        self.stack[-1].children.append(_Node(tag))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
            if self.stack[depth].tag in _SCOPES and tag not in _SCOPES:
                return  # "</td>" of a cell outside this list or table: stray

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_sibling(self, tag: str) -> None:
        closes = _SELF_CLOSING_SIBLINGS.get(tag)
        if not closes:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            current = self.stack[depth].tag
            if current in closes:
                del self.stack[depth:]
                return
            # A paragraph is closed only from inside itself; cells and items across the
            # paragraphs and inline elements they hold, never out of their table or list.
            if current in _SCOPES or tag == "p" and current in BLOCKS:
                return


class _Writer:
    """Lines of text: a break ends the line, quotes prefix it, blanks are kept single."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current = ""
        self.quote = self.pre = 0
        self.seen = 0  # pieces of text written so far: a block that added none was empty

    def write(self, text: str) -> None:
        self.current += text
        self.seen += bool(text.strip())

    def brk(self, *, blank_if_empty: bool = False) -> None:
        line = re.sub(r" *\t *", "\t", re.sub(r" {2,}", " ", self.current)).strip(" ")
        if line.strip():
            self.lines.append("> " * self.quote + line)
        elif blank_if_empty and self.lines and self.lines[-1].strip("> "):
            self.lines.append("")
        self.current = ""

    def text(self) -> str:
        self.brk()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip("\n")


def html_to_text(html: str) -> str:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    writer = _Writer()
    _flow(tree.root, writer)
    return writer.text()


def _flow(node: _Node, out: _Writer) -> None:
    for child in node.children:
        if isinstance(child, str):
            _text(child, out)
        elif child.tag in _DROPPED:
            continue
        elif child.tag == "br":
            out.brk(blank_if_empty=True)
        elif child.tag == "table":
            _table(child, out)
        elif child.tag in BLOCKS:
            _block(child, out)
        else:
            _flow(child, out)


def _text(data: str, out: _Writer) -> None:
    text = data.replace("\u00a0", " ")
    if not out.pre:
        out.write(re.sub(r"\s+", " ", text))
        return
    parts = text.split("\n")
    for part in parts[:-1]:
        out.write(part)
        out.brk(blank_if_empty=True)
    out.write(parts[-1])


def _block(node: _Node, out: _Writer) -> None:
    out.brk()
    started = out.seen
    out.quote += node.tag == "blockquote"
    out.pre += node.tag == "pre"
    if node.tag == "li":
        out.write("- ")
    _flow(node, out)
    out.brk(blank_if_empty=started == out.seen and node.tag in ("p", "div"))
    out.quote -= node.tag == "blockquote"
    out.pre -= node.tag == "pre"


def _table(table: _Node, out: _Writer) -> None:
    out.brk()
    for row in _rows(table):
        cells = [cell for cell in row.children if isinstance(cell, _Node) and cell.tag in ("td", "th")]
        if len(cells) == 1 or any(_holds_table(cell) for cell in cells):
            for cell in cells:  # layout: the cells are the page
                _flow(cell, out)
                out.brk()
        else:
            out.write("\t".join(_inline(cell) for cell in cells))
            out.brk()
    out.brk(blank_if_empty=True)


def _rows(table: _Node) -> list[_Node]:
    rows = []
    for child in table.children:
        if isinstance(child, _Node) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, _Node) and child.tag in _SECTIONS:
            rows += _rows(child)
        elif isinstance(child, _Node) and child.tag in ("td", "th"):
            rows.append(_Node("tr", [child]))  # a cell without a row
    return rows


def _holds_table(node: _Node) -> bool:
    return any(isinstance(child, _Node) and (child.tag == "table" or _holds_table(child))
               for child in node.children)


def _inline(node: _Node) -> str:
    """A data cell's text: its paragraphs and breaks only spaces, so a row stays a row."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child.replace("\u00a0", " "))
        elif child.tag not in _DROPPED:
            parts.append(" " if child.tag == "br" else "")
            parts.append(_inline(child))
            parts.append(" " if child.tag in BLOCKS else "")
    return " ".join("".join(parts).split())
