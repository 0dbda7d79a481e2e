"""An uploaded XLSX measured before openpyxl opens it, so that a small file cannot take the
worker's memory.

openpyxl, even in read-only mode, builds a whole row in memory before it yields it and reads
every shared string at once; on opening it also walks each sheet without a ``<dimension>``.
A 337 KB file holding one row of 3 million cells grew a worker to 2.3 GB. So the archive is
measured first: the members' unpacked sizes (declared in the zip directory, which ``zipfile``
holds each member to), then each XML part in one pass of expat, counting elements as they
start and stopping at the first limit passed, building nothing. A row numbered past Excel's
last is refused (openpyxl would yield every empty row before it), and so is a document type
declaration: a spreadsheet never has one, an entity bomb needs one.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

#: the spreadsheet namespaces (transitional and strict)
MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                   "http://purl.oclc.org/ooxml/spreadsheetml/main")
#: the elements counted, by the name expat gives them ("namespace local"); one dictionary
#: look-up a tag keeps the pass within a few hundredths of a second for a thousand rows
COUNTED = {f"{namespace} {local}": local for namespace in MAIN_NAMESPACES
           for local in ("c", "row", "si")}
#: Excel's own width and height of a sheet: a row of more cells, or a row numbered further,
#: cannot come from Excel
EXCEL_COLUMNS = 16_384
EXCEL_ROWS = 1_048_576
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one upload may hold."""

    #: bytes of all the archive's members unpacked
    unpacked: int
    #: cells of one sheet, empty ones included; also its rows, and the workbook's shared strings
    cells: int
    #: cells of one row, empty ones included
    row_cells: int = EXCEL_COLUMNS


class LimitExceeded(Exception):
    """The file passes ``limit`` ("unpacked", "cells" or "row_cells"), which is ``value``."""

    def __init__(self, limit: str, value: int):
        super().__init__(f"{limit} > {value}")
        self.limit = limit
        self.value = value


def check(data: bytes, limits: Limits) -> None:
    """Raise :class:`LimitExceeded` if the XLSX ``data`` passes ``limits``.

    A damaged file raises what ``zipfile`` or expat raise (``zipfile.BadZipFile``,
    ``expat.ExpatError``, ``ValueError``…); the caller reads those as "not a workbook".
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > limits.unpacked:
            raise LimitExceeded("unpacked", limits.unpacked)
        strings = _Counter("cells", limits.cells)
        for member in members:
            # by content, not by name: openpyxl opens a sheet by whatever name the workbook gives
            with archive.open(member) as stream:
                head = stream.read(64)
                if _is_xml(head):
                    _scan(head, stream, limits, strings)


class _Counter:
    def __init__(self, name: str, limit: int):
        self.name = name
        self.limit = limit
        self.count = 0

    def add(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise LimitExceeded(self.name, self.limit)


def _is_xml(head: bytes) -> bool:
    """Whether a part starting with ``head`` is XML (a picture or a macro is not)."""
    return (head.startswith((b"\xff\xfe", b"\xfe\xff"))
            or head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"))


def _scan(head: bytes, stream, limits: Limits, strings: _Counter) -> None:
    """Count one XML part's rows and cells (a sheet) or shared strings as their tags start."""
    cells = _Counter("cells", limits.cells)
    rows = _Counter("cells", limits.cells)  # a row without cells is still an element held
    row = _Counter("row_cells", limits.row_cells)

    def start(name: str, attributes: list[str]) -> None:
        local = COUNTED.get(name)
        if local is None:
            return
        if local == "c":
            cells.add()
            row.add()
        elif local == "row":
            rows.add()
            row.count = 0
            _check_row_number(attributes)
        else:
            strings.add()

    def doctype(*_args) -> None:
        raise ValueError("a document type declaration in a workbook")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.Parse(head)
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk)
    parser.Parse(b"", True)


def _check_row_number(attributes: list[str]) -> None:
    """openpyxl fills the rows missing before a row's number: bound it to Excel's own."""
    for position in range(0, len(attributes), 2):
        if attributes[position] == "r":
            try:
                number = float(attributes[position + 1])
            except ValueError:
                number = 0
            if not 1 <= number <= EXCEL_ROWS:
                raise ValueError(f"row number {attributes[position + 1]!r}")
