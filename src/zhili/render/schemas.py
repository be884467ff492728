"""JSON Schema for every data file kind, from the pydantic models, accepting what zhili accepts.

zhili reads every scalar as the text that was written (`zhili.loading.yamlread`) and the models give
it a type; an editor's YAML plugin sees `no: 1` as a number and `date: 2021-03-10` as text. So each
typed field accepts both forms: an integer is a JSON integer or digits as text, a yes/no value is a
boolean or one of the words zhili accepts, a date is text YYYY-MM-DD, and plain text also accepts a
number or boolean (zhili reads `name: 123` as the text “123”). Ranges and cross-references are
checked by `zhili validate`, which remains the authority; the schemas are for typing-time hints.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path, PurePosixPath
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_LINE = "# yaml-language-server: $schema="

_INT_TEXT = {"type": "string", "pattern": r"^-?[0-9]+$"}
_NUM_TEXT = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
_DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_YESNO_WORDS = ["true", "True", "TRUE", "是", "false", "False", "FALSE", "否"]
_ANNOTATIONS = ("description", "default", "title", "examples")


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def file_schema(spec: Any) -> dict[str, Any]:
    """The JSON Schema of one data file (a loader FileSpec)."""
    raw = spec.model.model_json_schema(mode="validation")
    body = _loosen(_drop_field_titles(raw))
    schema = {"$schema": SCHEMA_DIALECT, "title": f"zhili {spec.name}：{spec.label or spec.kind}"}
    schema.update({k: v for k, v in body.items() if k != "title"})
    return schema


def all_schemas() -> dict[str, str]:
    """File name → JSON text, for every file kind the loader reads."""
    from zhili.loading.registry import SPECS

    return {schema_filename(s.kind): json.dumps(file_schema(s), ensure_ascii=False, indent=2) + "\n" for s in SPECS}


def schema_line(data_file: PurePosixPath | Path, schema_file: PurePosixPath | Path) -> str:
    """The first line that points VS Code's YAML extension from `data_file` to `schema_file`."""
    import os

    rel = os.path.relpath(schema_file, Path(data_file).parent)
    return SCHEMA_LINE + PurePosixPath(Path(rel).as_posix()).as_posix()


def with_schema_line(text: str, line: str) -> str:
    """`text` with its schema comment set to `line` (replacing an existing one, else added on top)."""
    first, sep, rest = text.partition("\n")
    if first.startswith(SCHEMA_LINE):
        return line + sep + rest
    return line + "\n" + text


def _drop_field_titles(node: Any) -> Any:
    """pydantic titles each property with its English field name; the Chinese description says more."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                out[k] = {name: _without_title(_drop_field_titles(sub)) for name, sub in v.items()}
            else:
                out[k] = _drop_field_titles(v)
        return out
    if isinstance(node, list):
        return [_drop_field_titles(v) for v in node]
    return node


def _without_title(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: v for k, v in node.items() if k != "title"}
    return node


def _loosen(node: Any) -> Any:
    if isinstance(node, list):
        return [_loosen(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: (_loosen(v) if k not in ("properties", "$defs") else {n: _loosen(s) for n, s in v.items()})
            for k, v in node.items()}
    kind = node.get("type")
    if not isinstance(kind, str):
        return node
    notes = {k: node[k] for k in _ANNOTATIONS if k in node}
    core = {k: v for k, v in node.items() if k not in _ANNOTATIONS}
    if kind == "integer":
        return {**notes, "anyOf": [core, copy.deepcopy(_INT_TEXT)]}
    if kind == "number":
        return {**notes, "anyOf": [core, copy.deepcopy(_NUM_TEXT)]}
    if kind == "boolean":
        return {**notes, "anyOf": [core, {"type": "string", "enum": list(_YESNO_WORDS)}]}
    if kind == "string" and core.get("format") == "date":
        return {**node, "pattern": _DATE_TEXT}
    if kind == "string" and "enum" not in core and "const" not in core and "format" not in core:
        return {**node, "type": ["string", "number", "boolean"]}
    return node
