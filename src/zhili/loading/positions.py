"""Where each value of a file stands (line, column), found only when a diagnostic asks for it.

A small file is indexed whole: every path maps to its place. Indexing a 100 MB file whole would cost
more memory than the data itself (a path tuple and a position per node), so a large file gets an
outline instead: the place of each top-level key and of each entry of a top-level list, packed in an
array (8 bytes per entry). A deeper place, such as ("communities", 81234, "type"), is found by
re-reading only that entry's lines; the last entries looked at are kept.
"""

from __future__ import annotations

from array import array
from typing import Any, Callable

from zhili.loading import yamlread

Path_ = tuple[Any, ...]
Place = tuple[int, int]
WHOLE_LIMIT = 2 * 1024 * 1024  # bytes: files up to this size are indexed whole
_CACHED_ENTRIES = 256
_COL_BITS = 20


def _pack(mark: Any) -> int:
    return ((mark.line + 1) << _COL_BITS) | (mark.column + 1)


def _unpack(packed: int) -> Place:
    return packed >> _COL_BITS, packed & ((1 << _COL_BITS) - 1)


class Positions:
    def __init__(self, data: bytes):
        self.data = data
        self._whole: tuple[dict[Path_, Place], dict[Path_, Place]] | None = None
        self._entries: dict[Any, array] = {}  # top-level key -> packed place of each list entry
        self._top_values: dict[Path_, Place] = {}
        self._top_keys: dict[Path_, Place] = {}
        self._next_key_line: dict[Any, int] = {}  # top-level key -> line of the key after it (0: none)
        self._cache: dict[tuple[Any, int], tuple[dict[Path_, Place], dict[Path_, Place]]] = {}
        self._line_starts: array | None = None
        if len(data) <= WHOLE_LIMIT:
            self._whole = yamlread.position_index(data)
        else:
            self._outline()

    def lookup(self, path: Path_, at_key: bool = False) -> Place:
        """Line and column of the value at `path` (or of its key), else of the nearest enclosing node."""
        value, key = self._finders(path)
        if at_key:
            found = key(path)
            if found is not None:
                return found
        p = tuple(path)
        while p:
            found = value(p) or key(p)
            if found is not None:
                return found
            p = p[:-1]
        return value(()) or (1, 1)

    # -- small files: one index ------------------------------------------------------------------

    def _finders(self, path: Path_) -> tuple[Callable[[Path_], Place | None], Callable[[Path_], Place | None]]:
        if self._whole is not None:
            values, keys = self._whole
            return values.get, keys.get
        entry = self._entry(path)
        if self._whole is not None:  # the entry could not be read on its own
            values, keys = self._whole
            return values.get, keys.get

        def value(p: Path_) -> Place | None:
            if entry is not None and len(p) >= 2 and p[:2] == path[:2]:
                found = entry[0].get(p)
                if found is not None:
                    return found
            if len(p) == 2 and p[0] in self._entries and isinstance(p[1], int) and 0 <= p[1] < len(self._entries[p[0]]):
                return _unpack(self._entries[p[0]][p[1]])
            return self._top_values.get(p)

        def key(p: Path_) -> Place | None:
            if entry is not None and len(p) >= 3 and p[:2] == path[:2]:
                return entry[1].get(p)
            return self._top_keys.get(p)

        return value, key

    # -- large files: an outline, then one entry at a time ---------------------------------------

    def _outline(self) -> None:
        get = yamlread._events(self.data)  # binds PyYAML's names in yamlread on first use
        yaml = yamlread.yaml
        AliasEvent, ScalarEvent = yamlread.AliasEvent, yamlread.ScalarEvent
        MappingStartEvent, MappingEndEvent = yamlread.MappingStartEvent, yamlread.MappingEndEvent
        SequenceStartEvent, SequenceEndEvent = yamlread.SequenceStartEvent, yamlread.SequenceEndEvent
        depth = 0
        pending: Any = yamlread._NOKEY  # the top-level key waiting for its value
        current: Any = None  # the top-level key whose value is being read
        last_key: Any = None
        try:
            while True:
                ev = get()
                if ev is None:
                    break
                t = type(ev)
                if depth == 1 and (t is ScalarEvent or t is AliasEvent or t is MappingStartEvent or t is SequenceStartEvent):
                    if pending is yamlread._NOKEY:  # a top-level key
                        pending = ev.value if t is ScalarEvent else None
                        self._top_keys[(pending,)] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                        if last_key is not None:
                            self._next_key_line.setdefault(last_key, ev.start_mark.line + 1)
                        last_key = pending
                    else:
                        self._top_values[(pending,)] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                        current, pending = pending, yamlread._NOKEY
                        if t is SequenceStartEvent:
                            self._entries[current] = array("q")
                elif depth == 2 and current in self._entries and t in (ScalarEvent, AliasEvent, MappingStartEvent,
                                                                         SequenceStartEvent):
                    self._entries[current].append(_pack(ev.start_mark))
                elif depth == 0 and (t is MappingStartEvent or t is SequenceStartEvent or t is ScalarEvent):
                    self._top_values[()] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                if t is MappingStartEvent or t is SequenceStartEvent:
                    depth += 1
                elif t is MappingEndEvent or t is SequenceEndEvent:
                    depth -= 1
        except yaml.YAMLError:
            pass

    def _entry(self, path: Path_) -> tuple[dict[Path_, Place], dict[Path_, Place]] | None:
        """The index of one list entry (by re-reading its lines), for paths below it."""
        if len(path) < 2 or path[0] not in self._entries or not isinstance(path[1], int):
            return None
        starts = self._entries[path[0]]
        i = path[1]
        if not 0 <= i < len(starts):
            return None
        if (path[0], i) in self._cache:
            return self._cache[(path[0], i)]
        first = _unpack(starts[i])[0]
        end = _unpack(starts[i + 1])[0] if i + 1 < len(starts) else self._next_key_line.get(path[0], 0) or None
        if end is not None and end <= first:  # several entries on one line (flow style): index the file whole
            self._whole = yamlread.position_index(self.data)
            return None
        snippet = self._lines(first, end)
        values, keys = yamlread.position_index(snippet)
        shift = first - 1
        head = (path[0], i)
        found = ({head + p[1:]: (line + shift, col) for p, (line, col) in values.items() if p[:1] == (0,)},
                 {head + p[1:]: (line + shift, col) for p, (line, col) in keys.items() if p[:1] == (0,)})
        if len(self._cache) >= _CACHED_ENTRIES:
            self._cache.pop(next(iter(self._cache)))
        self._cache[(path[0], i)] = found
        return found

    def _lines(self, first: int, end: int | None) -> bytes:
        """Lines first..end-1 (1-based) of the file; to the end when `end` is None."""
        if self._line_starts is None:
            starts = array("q", [0])
            find = self.data.find
            pos = find(b"\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = find(b"\n", pos + 1)
            self._line_starts = starts
        starts = self._line_starts
        begin = starts[first - 1] if first - 1 < len(starts) else len(self.data)
        stop = starts[end - 1] if end is not None and end - 1 < len(starts) else len(self.data)
        return self.data[begin:stop]
