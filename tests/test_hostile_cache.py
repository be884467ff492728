"""The registry cache as untrusted input (issue 14): it executes nothing, is used only for the data it
describes, is read through the same bounded door as the data, and anything odd about it counts as absent.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from conftest import DATA

from zhili.loading import cache, cache_format
from zhili.loading import registry as loader
from zhili.model.records import Record


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("ZHILI_CACHE_DIR", str(home))
    monkeypatch.delenv("ZHILI_NO_CACHE", raising=False)
    return home


def stored(data: Path) -> tuple[Path, str, dict]:
    cache.load_registry(data)
    entry = cache._entry(data)
    key, _ = cache.fingerprint(data)
    assert key is not None
    return entry, key, json.loads(entry.read_bytes())


def test_the_cache_is_json_and_gives_back_the_same_registry(data_copy, cache_home):
    entry, key, body = stored(data_copy)
    assert entry.suffix == ".json" and body["format"] == "zhili-registry-cache" and body["key"] == key
    assert not entry.read_bytes().startswith(b"\x80")  # not a pickle
    assert entry.stat().st_mode & 0o077 == 0  # only its owner may read or write it
    full = loader.load_registry(data_copy)
    back = cache._read(data_copy, key)
    assert isinstance(back.communities[0], Record)
    assert [(c.id, c.name, c.street, c.attributes) for c in back.communities] == \
        [(c.id, c.name, c.street, c.attributes) for c in full.communities]
    assert [(t.no, t.due) for t in back.tasks] == [(t.no, t.due) for t in full.tasks]


def test_a_planted_pickle_is_never_unpickled(data_copy, cache_home, monkeypatch):
    called = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: called.append("loads"))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: called.append("load"))
    cache_home.mkdir()
    cache._entry(data_copy).write_bytes(b"zhili-registry-cache 1\n" + b"\x80\x04\x95" + b"\0" * 40)
    cache._entry(data_copy).with_suffix(".pickle").write_bytes(b"\x80\x04\x95" + b"\0" * 40)
    assert cache.load_registry(data_copy).communities
    assert called == []


@pytest.mark.parametrize("forge", [
    pytest.param(lambda b: {**b, "key": "0" * 40}, id="another-data-set"),
    pytest.param(lambda b: {**b, "version": 1}, id="another-version"),
    pytest.param(lambda b: {**b, "records": [["os.system", {"x": 1}]] + b["records"][1:]}, id="unknown-class"),
    pytest.param(lambda b: {**b, "records": [["Rule", {"children": "x"}]] + b["records"][1:]}, id="data-in-place-of-a-method"),
    pytest.param(lambda b: {**b, "records": [["Record", {"__class__": "x"}]] + b["records"][1:]}, id="private-field"),
    pytest.param(lambda b: {**b, "registry": {**b["registry"], "types": {"r": 10**9}}}, id="dangling-reference"),
    pytest.param(lambda b: {**b, "registry": {**b["registry"], "extra": 1}}, id="unknown-registry-field"),
    pytest.param(lambda b: {**b, "registry": {**b["registry"], "tasks": {"py/object": "os.system"}}}, id="unknown-tag"),
])
def test_a_forged_or_foreign_cache_is_absent(data_copy, cache_home, forge):
    entry, key, body = stored(data_copy)
    entry.write_text(json.dumps(forge(body), ensure_ascii=False), encoding="utf-8")
    entry.chmod(0o600)
    assert cache._read(data_copy, key) is None
    registry = cache.load_registry(data_copy)  # the full load answers, and rewrites the cache
    assert type(registry.communities[0]).__name__ == "Community"


def test_deeply_nested_json_is_absent_not_a_crash(data_copy, cache_home):
    entry, key, body = stored(data_copy)
    entry.write_bytes(b'{"format": "zhili-registry-cache", "records": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert cache._read(data_copy, key) is None


def test_a_cache_others_can_write_is_not_trusted(data_copy, cache_home):
    entry, key, _ = stored(data_copy)
    assert cache._read(data_copy, key) is not None
    entry.chmod(0o666)
    assert cache._read(data_copy, key) is None


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_cache_entry_that_is_not_a_regular_file_is_absent(data_copy, cache_home, kind):
    entry, key, _ = stored(data_copy)
    real = entry.with_name("real.json")
    entry.rename(real)
    if kind == "symlink":
        entry.symlink_to(real)
    else:
        os.mkfifo(entry)  # opening it for reading must not wait for a writer
    assert cache._read(data_copy, key) is None


def test_the_loader_uses_the_bytes_it_fingerprinted(data_copy, cache_home, monkeypatch):
    """A file swapped between fingerprint and load cannot slip in: each file is read exactly once."""
    from zhili.loading import textfile

    opened: list[str] = []
    real_open = textfile.os.open

    def counting(path, flags, *args, **kwargs):
        opened.append(Path(path).name)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(textfile.os, "open", counting)
    cache.load_registry(data_copy)  # a miss: fingerprint, then the full load
    names = [n for n in opened if n.endswith(".yaml")]
    assert sorted(names) == sorted(set(names)) and "communities.yaml" in names


def test_a_fifo_does_not_hang_the_fingerprint(data_copy, cache_home):
    (data_copy / "units.yaml").unlink()
    os.mkfifo(data_copy / "units.yaml")
    key, _ = cache.fingerprint(data_copy)
    assert key is None
    reads = cache.read_all(data_copy)
    data, diags = reads[data_copy / "units.yaml"]
    assert data is None and diags[0].code == "ZL001"


def test_a_file_over_the_limit_is_not_read_to_be_fingerprinted(data_copy, cache_home, monkeypatch):
    from zhili.loading import textfile

    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 1000)
    data, diags = cache.read_all(data_copy)[data_copy / "communities.yaml"]
    assert data is None and diags[0].code == "ZL003"


def test_dump_refuses_values_it_cannot_describe():
    registry = loader.load_registry(DATA)
    registry.precedence = [object()]  # type: ignore[list-item]
    with pytest.raises(TypeError):
        cache_format.dump("k", registry)
