"""A validated registry kept between runs, so that commands on unchanged data start without pydantic.

`zhili validate` always reads and checks everything. Every other command calls `load_registry` here:
each data file is read once, through the reader's one door (`zhili.loading.textfile.read_path`: only
regular files inside the data directory, never more than the size limit, never a device or a pipe),
and fingerprinted. When the fingerprint matches the cache's, and zhili's loader and models are
unchanged, the registry comes back from the cache as light records (`zhili.model.records`);
otherwise those same bytes are loaded and checked in full (`zhili.loading.registry`) and the result
is stored for the next command. No file is read twice, so nothing can change between check and use.

The cache is untrusted input too. It is plain JSON (`zhili.loading.cache_format`), never a pickle, so
reading it cannot run anything; it names the fingerprint of the data it describes and is used only
for exactly that data; it is read only when it is a regular file owned by the current user that no
one else may write, and no larger than `MAX_CACHE_FILE_BYTES`. Anything else is treated as absent.

Where: $ZHILI_CACHE_DIR, else $XDG_CACHE_HOME/zhili, else ~/.cache/zhili; one file per data directory,
replaced atomically. ZHILI_NO_CACHE=1 turns the cache off. Data directories larger than
`MAX_CACHED_BYTES` are not stored. A cache that cannot be read or written is passed over (the command
does the full load), so the cache can make a command faster but never changes its answer.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import zhili
from zhili.diagnostics import Diagnostic
from zhili.loading.layout import SPECS, folder_listing, strays
from zhili.loading.datadir import display_name
from zhili.loading.textfile import read_path
from zhili.model.registry import Registry

MAX_CACHED_BYTES = 64 * 1024 * 1024
MAX_CACHE_FILE_BYTES = 256 * 1024 * 1024
_CODE_DIRS = ("model", "loading")  # what decides how files become a registry

Reads = dict[Path, tuple[bytes | None, list[Diagnostic]]]


def load_registry(data_dir: Path) -> Registry:
    """The registry of `data_dir`, from the cache when its files are unchanged; else a full load of the
    bytes just read (which raises DataError with every diagnostic when the data has errors)."""
    from zhili.lifetime import keep  # the registry is freed by the end of the process (see there)

    if not enabled():
        from zhili.loading import registry as loader

        return keep(loader.load_registry(data_dir))
    reads = read_all(data_dir)
    key, size = fingerprint(data_dir, reads)
    registry = _read(data_dir, key) if key is not None else None
    if registry is None:
        from zhili.loading import registry as loader

        registry = loader.load_registry(data_dir, reads)
        if key is not None and size <= MAX_CACHED_BYTES:
            _write(data_dir, key, registry)
    return keep(registry)


def read_all(data_dir: Path) -> Reads:
    """Every data file's bytes (or the diagnostics saying why not), each read once with the loader's bounds."""
    reads: Reads = {}
    for spec in SPECS:
        for _, path in spec.paths(data_dir):
            if path.exists() or path.is_symlink():
                reads[path] = read_path(path, display_name(path), data_dir)
    return reads


def enabled() -> bool:
    return os.environ.get("ZHILI_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    if os.environ.get("ZHILI_CACHE_DIR"):
        return Path(os.environ["ZHILI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhili"


def fingerprint(data_dir: Path, reads: Reads | None = None) -> tuple[str | None, int]:
    """(a digest of zhili's loader and models, the directory's place and every data file's bytes,
    the data's total size); (None, 0) when a file could not be read (the full load says why)."""
    reads = read_all(data_dir) if reads is None else reads
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_code_stamp())
    total = 0
    try:
        digest.update(str(data_dir.resolve()).encode("utf-8", "surrogateescape") + b"\0")
    except (OSError, RuntimeError):
        return None, 0
    for spec in SPECS:
        for key, path in spec.paths(data_dir):
            if path not in reads:
                continue
            data, _ = reads[path]
            if data is None:
                return None, 0
            total += len(data)
            digest.update(f"{key}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
    for path, _ in strays(data_dir):  # a misnamed data file appearing must reach the full load, which reports it
        digest.update(f"stray\0{path.relative_to(data_dir)}\0".encode("utf-8", "surrogateescape"))
    for name in folder_listing(data_dir):  # an emptied folder or a subfolder in communities/ changes the verdict
        digest.update(f"folder\0{name}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), total


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
    return cache_dir() / f"{name}.json"


def _read(data_dir: Path, key: str) -> Registry | None:
    from zhili.loading import cache_format

    content = _trusted_bytes(_entry(data_dir))
    if content is None:
        return None
    try:
        registry = cache_format.load(content, key)
    except cache_format.Malformed:
        return None
    registry.data_dir = data_dir  # as this command was given it
    return registry


def _trusted_bytes(path: Path) -> bytes | None:
    """The cache file's bytes if it is one this user wrote: a regular file (not a link, pipe or device),
    owned by this user, writable by no one else, within the size bound. Else None: treated as absent."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_FILE_BYTES:
            return None
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            content = fh.read(MAX_CACHE_FILE_BYTES + 1)
        return content if len(content) <= MAX_CACHE_FILE_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write(data_dir: Path, key: str, registry: Registry) -> None:
    from zhili.loading import cache_format
    from zhili.fsio import write_atomic

    try:
        content = cache_format.dump(key, registry)
        if len(content) > MAX_CACHE_FILE_BYTES:
            return
        target = _entry(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content, force=True, private=True)
    except Exception:  # a cache that cannot be written only costs the next command time
        return
