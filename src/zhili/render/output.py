"""What a listing command produces, before it is rendered: plain data, no terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable


@dataclass(frozen=True)
class Column:
    key: str  # key in each row dict
    header: str  # Chinese column name
    justify: str = "left"  # "left" | "right" | "center"
    value: str | None = None  # key of the typed value spreadsheets store (a number behind "3（并列）", "33.3%")
    number_format: str | None = None  # spreadsheet format of that value, e.g. "0.0%"
    merge: bool = False  # printed documents merge equal neighbouring cells of this column (社区类型 in a ledger)


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Any]]
    title: str | None = None
    name: str | None = None  # stable short name (sheet name); the title may carry dates and counts


@dataclass
class Section:
    """One numbered part of a printed document: a heading, paragraphs, numbered items, tables."""

    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)  # (lead-in, text), numbered by the renderer
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    """What a printed document (公文) says, as plain data; page setup and layout belong to the renderer."""

    title: str
    sections: list[Section]
    recipients: str | None = None  # 主送机关
    issuer: str | None = None  # 发文机关署名
    date: date | None = None  # 成文日期
    number: str | None = None  # 发文字号


@dataclass
class Output:
    """Tables for people (table/csv/markdown/xlsx) and `data` for programs (json: the contract)."""

    tables: list[Table]
    data: Any
    notes: list[str] = field(default_factory=list)  # shown under the tables (warnings, legends)
    flat: Table | None = None  # one table for csv/xlsx when `tables` has several
    build_data: Callable[[], Any] | None = None  # instead of `data`: builds it only when json is asked for
    title: str | None = None  # the document's title in print (sheet header, Word title); else the first table's
    as_of: date | None = None  # the day the figures are as of, printed in page headers
    document: Document | None = None  # how a printed document (docx) lays it out; else built from the tables

    def json_data(self) -> Any:
        """What the json format writes: `data`, or what `build_data` gives."""
        return self.build_data() if self.build_data is not None else self.data

    @property
    def sheet(self) -> Table:
        if self.flat is not None:
            return self.flat
        if len(self.tables) == 1:
            return self.tables[0]
        columns = self.tables[0].columns if self.tables else []
        return Table(columns, [r for t in self.tables for r in t.rows])
