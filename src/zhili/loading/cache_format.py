"""The registry cache's file format: plain JSON that reading can only ever turn into data.

A cache file is written by zhili but read as untrusted input (a shared cache directory, a CI cache
restored from another branch). So it is never a pickle: it is JSON, parsed by `json.loads`, and every
value in it is checked to be one of the few shapes zhili writes:

    null, true/false, numbers, text, [list]   as themselves
    {"t": [...]}                             a tuple
    {"d": [[key, value], ...]}               a dict (keys are text)
    {"date": "YYYY-MM-DD"}                   a date
    {"r": n}                                 the n-th record of "records"

"records" lists every validated model once, as [class name, {field: value}]: the class must be one of
the record classes of `zhili.model.records` and a field name must not start with "_" nor shadow one of
that class's methods. Anything else makes the whole file unusable (`Malformed`), and the caller then
loads the data directory in full. Models shared between fields (a type in `types` and in the type
index) are one record referenced twice, so they stay shared.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from zhili.model.records import TWINS, Light, Record
from zhili.model.registry import Registry

NAME = "zhili-registry-cache"
VERSION = 5  # 3: programmes and targets (issue 15); 4: evaluation records carry their declared stages as extra fields; 5: levels, units' level and parent, tasks' cascade
_CLASSES: dict[str, type[Record]] = {"Record": Record, **TWINS}
_SCALARS = (str, int, float, bool)


class Malformed(ValueError):
    """The cache file is not one zhili wrote for this data: treat it as absent."""


def dump(key: str, registry: Registry) -> bytes:
    """The registry (pydantic models or records) as cache bytes; `key` names the data it describes."""
    from pydantic import BaseModel

    records: list[Any] = []
    index: dict[int, int] = {}

    def enc(value: Any) -> Any:
        kind = type(value)
        if value is None or kind in _SCALARS:
            return value
        if kind is list:
            return [enc(v) for v in value]
        if kind is tuple:
            return {"t": [enc(v) for v in value]}
        if kind is dict:
            return {"d": [[_text(k), enc(v)] for k, v in value.items()]}
        if kind is date:
            return {"date": value.isoformat()}
        if isinstance(value, (BaseModel, Record, Light)):
            found = index.get(id(value))
            if found is None:
                found = index[id(value)] = len(records)
                records.append(None)
                cls = type(value).__name__ if type(value).__name__ in TWINS else "Record"
                if isinstance(value, Light):  # its fields in slots, then its extra fields
                    fields = value._asdict()
                else:
                    fields = {**value.__dict__, **(getattr(value, "__pydantic_extra__", None) or {})}  # an evaluation's stage results
                records[found] = [cls, {k: enc(v) for k, v in fields.items()}]
            return {"r": found}
        raise TypeError(f"the cache cannot hold a {kind.__name__}")

    fields = {k: enc(v) for k, v in registry.__dict__.items() if k != "data_dir"}
    body = {"format": NAME, "version": VERSION, "key": key, "registry": fields, "records": records}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _text(key: Any) -> str:
    if type(key) is not str:
        raise TypeError("the cache holds dicts with text keys only")
    return key


def load(content: bytes, key: str) -> Registry:
    """The registry the cache bytes describe, as records; `Malformed` unless they are exactly the
    shape `dump` writes and name `key`."""
    try:
        body = json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise Malformed("not JSON") from exc
    if not (type(body) is dict and body.get("format") == NAME and body.get("version") == VERSION
            and body.get("key") == key and type(body.get("records")) is list and type(body.get("registry")) is dict):
        raise Malformed("another format, version or data")
    raw_records = body["records"]
    objects: list[Record] = []
    for item in raw_records:
        if not (type(item) is list and len(item) == 2 and item[0] in _CLASSES and type(item[1]) is dict):
            raise Malformed("a record of an unknown shape")
        cls = _CLASSES[item[0]]
        objects.append(cls.__new__(cls))

    def dec(value: Any) -> Any:
        kind = type(value)
        if value is None or kind in _SCALARS:
            return value
        if kind is list:
            return [dec(v) for v in value]
        if kind is dict and len(value) == 1:
            ((tag, inner),) = value.items()
            if tag == "r" and type(inner) is int and 0 <= inner < len(objects):
                return objects[inner]
            if tag == "t" and type(inner) is list:
                return tuple(dec(v) for v in inner)
            if tag == "d" and type(inner) is list:
                return {_pair(p)[0]: dec(_pair(p)[1]) for p in inner}
            if tag == "date" and type(inner) is str:
                try:
                    return date.fromisoformat(inner)
                except ValueError:
                    pass
        raise Malformed("a value of an unknown shape")

    try:
        for obj, (_, fields) in zip(objects, raw_records):
            obj.__dict__.update({_field(type(obj), k): dec(v) for k, v in fields.items()})
        values = {_field(Registry, k): dec(v) for k, v in body["registry"].items()}
    except RecursionError as exc:
        raise Malformed("nested too deeply") from exc
    expected = {name for name in Registry.__dataclass_fields__ if name != "data_dir"}
    if set(values) != expected:
        raise Malformed("not the registry's fields")
    registry = object.__new__(Registry)
    registry.__dict__.update(values)
    return registry


def _pair(item: Any) -> tuple[str, Any]:
    if type(item) is list and len(item) == 2 and type(item[0]) is str:
        return item[0], item[1]
    raise Malformed("a dict entry of an unknown shape")


_FIELDS: set[tuple[type, str]] = set()  # (class, name) pairs already checked: a registry repeats a few names


def _field(cls: type, name: str) -> str:
    """A field name may not be private nor replace a method (data must never stand in for code)."""
    if (cls, name) in _FIELDS:
        return name
    if cls is Registry:  # its indexes are "_x" fields, and fields with defaults are class attributes
        bad = name.startswith("__") or callable(getattr(cls, name, None))
    else:  # a record's class defines only behaviour: methods and properties
        bad = name.startswith("_") or hasattr(cls, name)
    if not name or bad:
        raise Malformed("a field name that is not a field")
    _FIELDS.add((cls, name))
    return name
