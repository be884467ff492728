"""The files of a data-directory template, ready to be written (`zhili init`)."""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePosixPath


def kind_of(rel: str) -> str | None:
    """The loader's file kind for a path inside a data directory, or None for other files."""
    from zhili.loading.registry import SPECS

    folder, _, name = rel.rpartition("/")
    for spec in SPECS:
        pattern = getattr(spec, "pattern", None)
        if pattern is None and rel == spec.name:
            return spec.kind
        if pattern is not None and folder == spec.name and fnmatch.fnmatchcase(name, pattern):
            return spec.kind
        if getattr(spec, "folder", None) is not None and folder == spec.folder and name.endswith(".yaml"):
            return spec.kind  # a registry written as a folder (communities/, progress/, plans/)
    return None


def plan_files(template: Path, schemas_dir: str) -> dict[str, str]:
    """Relative path → text: the template's data files, each pointing at its schema under `schemas_dir`,
    followed by the schemas themselves (generated from this zhili's models, so they always match)."""
    from zhili.render.schemas import all_schemas, schema_filename, schema_line, with_schema_line

    files: dict[str, str] = {}
    for path in sorted(template.rglob("*.yaml")):
        rel = path.relative_to(template).as_posix()
        if rel.split("/")[0] == schemas_dir:
            continue
        text = path.read_text(encoding="utf-8")
        kind = kind_of(rel)
        if kind is not None:
            text = with_schema_line(text, schema_line(PurePosixPath(rel), PurePosixPath(schemas_dir, schema_filename(kind))))
        files[rel] = text
    for name, text in all_schemas().items():
        files[f"{schemas_dir}/{name}"] = text
    return files
