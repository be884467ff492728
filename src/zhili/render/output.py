"""What a listing command produces, before it is rendered: plain data, no terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Column:
    key: str  # key in each row dict
    header: str  # Chinese column name
    justify: str = "left"  # "left" | "right" | "center"


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Any]]
    title: str | None = None


@dataclass
class Output:
    """Tables for people (table/csv/markdown/xlsx) and `data` for programs (json: the contract)."""

    tables: list[Table]
    data: Any
    notes: list[str] = field(default_factory=list)  # shown under the tables (warnings, legends)
    flat: Table | None = None  # one table for csv/xlsx when `tables` has several
    build_data: Callable[[], Any] | None = None  # instead of `data`: builds it only when json is asked for

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
