"""A validated registry kept between runs, so that commands on unchanged data start without pydantic.

`zhili validate` always reads and checks everything. Every other command calls `load_registry` here:
when each data file is byte for byte what was last loaded without errors, and zhili's loader and
models are unchanged, the registry comes back from the cache as light records
(`zhili.model.records`); otherwise the directory is loaded and checked in full
(`zhili.loading.registry`) and the result is stored for the next command.

Where: $ZHILI_CACHE_DIR, else $XDG_CACHE_HOME/zhili, else ~/.cache/zhili; one file per data directory,
replaced atomically. ZHILI_NO_CACHE=1 turns the cache off. Data directories larger than
`MAX_CACHED_BYTES` are not stored. A cache that cannot be read or written is passed over (the command
does the full load), so the cache can make a command faster but never changes its answer.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

import zhili
from zhili.loading.layout import SPECS
from zhili.model.registry import Registry

FORMAT = b"zhili-registry-cache 1\n"
MAX_CACHED_BYTES = 64 * 1024 * 1024
_CODE_DIRS = ("model", "loading")  # what decides how files become a registry


def load_registry(data_dir: Path) -> Registry:
    """The registry of `data_dir`, from the cache when its files are unchanged; else a full load
    (which raises DataError with every diagnostic when the data has errors)."""
    key, size = fingerprint(data_dir) if enabled() else (None, 0)
    registry = _read(data_dir, key) if key is not None else None
    if registry is None:
        from zhili.loading import registry as loader

        registry = loader.load_registry(data_dir)
        if key is not None and size <= MAX_CACHED_BYTES:
            _write(data_dir, key, registry)
    return registry


def enabled() -> bool:
    return os.environ.get("ZHILI_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    if os.environ.get("ZHILI_CACHE_DIR"):
        return Path(os.environ["ZHILI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhili"


def fingerprint(data_dir: Path) -> tuple[bytes | None, int]:
    """(a digest of zhili's loader and models, the directory's place and every data file's bytes,
    the data's total size); (None, 0) when a file cannot be read (the full load will say why)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_code_stamp())
    total = 0
    try:
        digest.update(str(data_dir.resolve()).encode("utf-8", "surrogateescape") + b"\0")
        for spec in SPECS:
            for key, path in spec.paths(data_dir):
                if not path.exists() and not path.is_symlink():
                    continue
                data = path.read_bytes()
                total += len(data)
                digest.update(f"{key}\0{path.is_symlink()}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
                digest.update(data)
    except (OSError, ValueError):
        return None, 0
    return digest.digest(), total


def _code_stamp() -> bytes:
    root = Path(zhili.__file__).parent
    parts = [zhili.__version__]
    for name in _CODE_DIRS:
        with os.scandir(root / name) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.name.endswith(".py"):
                    st = e.stat()
                    parts.append(f"{name}/{e.name}:{st.st_mtime_ns}:{st.st_size}")
    return "\n".join(parts).encode()


def _entry(data_dir: Path) -> Path:
    name = hashlib.blake2b(str(data_dir.resolve()).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return cache_dir() / f"{name}.pickle"


def _read(data_dir: Path, key: bytes) -> Registry | None:
    try:
        with open(_entry(data_dir), "rb") as fh:
            if fh.read(len(FORMAT)) != FORMAT or fh.read(len(key)) != key:
                return None
            registry = pickle.load(fh)
    except Exception:  # missing, unreadable or damaged: the full load answers instead
        return None
    if not isinstance(registry, Registry):
        return None
    registry.data_dir = data_dir  # as this command was given it
    return registry


def _write(data_dir: Path, key: bytes, registry: Registry) -> None:
    from zhili.render.atomic import write_atomic

    try:
        content = FORMAT + key + pickle.dumps(as_records(registry), protocol=pickle.HIGHEST_PROTOCOL)
        target = _entry(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content, force=True)
    except Exception:  # a cache that cannot be written only costs the next command time
        return


def as_records(registry: Registry) -> Registry:
    """A copy of the registry with every pydantic model replaced by its record; models shared between
    fields (a type in `types` and in the type index) stay shared."""
    from pydantic import BaseModel

    from zhili.model.records import TWINS, Record

    memo: dict[int, Any] = {}

    def convert(value: Any) -> Any:
        if isinstance(value, BaseModel):
            found = memo.get(id(value))
            if found is None:
                cls = TWINS.get(type(value).__name__, Record)
                found = memo[id(value)] = cls.__new__(cls)
                found.__dict__.update({k: convert(v) for k, v in value.__dict__.items()})
            return found
        if type(value) is list:
            return [convert(v) for v in value]
        if type(value) is tuple:
            return tuple(convert(v) for v in value)
        if type(value) is dict:
            return {k: convert(v) for k, v in value.items()}
        return value

    copy = object.__new__(Registry)
    copy.__dict__.update({k: convert(v) for k, v in registry.__dict__.items()})
    return copy
