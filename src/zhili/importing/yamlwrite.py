"""Writing into a data directory without wrecking it.

Files are edited through ruamel.yaml's round trip, so comments, key order, quoting, flow lists and the
`$schema` line survive. A write refuses a directory that does not validate before the change, checks the
changed files with the normal loader (in a scratch copy of the directory) before anything is replaced,
and then replaces each file in one atomic step (`zhili.fsio`).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

from zhili.errors import DataError, UsageError


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line the user wrote
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(type(None), lambda r, d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


def flow(items: Iterable[Any]) -> Any:
    """A list written inline, [a, b], as the data files write unit lists."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(items))
    seq.fa.set_flow_style()
    return seq


def mapping(pairs: Iterable[tuple[str, Any]], comment: str | None = None) -> Any:
    """A mapping in the given key order; `comment` is written after its first line."""
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in pairs:
        m[k] = flow(v) if isinstance(v, list) else v
    if comment:
        m.yaml_add_eol_comment(comment, next(iter(m)), column=0)
    return m


class DataWriter:
    """The edits of one command to one data directory, validated and written together."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        from zhili.loading import datadir

        installed = (datadir._PACKAGE / "_bundled").resolve()
        if installed == self.data_dir.resolve() or installed in self.data_dir.resolve().parents:
            raise UsageError(f"{self.data_dir} 是 zhili 安装时自带的示例数据，不能写入。",
                             "先用 zhili init 目录 创建自己的数据目录，再用 --data 目录 指定它。")
        self.docs: dict[str, Any] = {}
        self.created: set[str] = set()
        self.touched: set[str] = set()  # docs handed out for editing: only these are rendered and written
        self._yaml = _yaml()

    def check_before(self) -> Any:
        """The registry of the directory as it is; a DataError (nothing written) when it does not validate."""
        from zhili.loading.cache import load_registry  # the same verdict as a full load, faster on unchanged data
        from zhili.loading.registry import display_name

        try:
            return load_registry(self.data_dir)
        except DataError as exc:
            raise DataError(f"数据目录 {display_name(self.data_dir)} 现在就未通过校验，未写入任何内容。",
                            exc.diagnostics, "先修正这些问题（zhili validate 列出全部），再导入或记录。") from None

    def doc(self, name: str, new: str | None = None) -> Any:
        """The round-trip document of data file `name` (e.g. "tasks.yaml"), to edit; `new` is its text when absent."""
        found = self.read(name, new)
        self.touched.add(name)
        return found

    def read(self, name: str, new: str | None = None) -> Any:
        """The document of `name` to look at: written back only if `doc(name)` is asked for too (so the
        files of a folder registry that an import only searched keep their bytes)."""
        if name not in self.docs:
            path = self.data_dir / name
            if path.exists():
                self.docs[name] = self._yaml.load(path.read_text(encoding="utf-8"))
            elif new is not None:
                self.docs[name] = self._yaml.load(new)
                self.created.add(name)
            else:
                raise DataError(f"数据目录中没有 {name}。", hint="先用 zhili init 创建数据目录。")
        return self.docs[name]

    def registry_files(self, kind: str) -> list[str]:
        """The files (names inside the data directory) that hold registry `kind` (communities, progress,
        plans): its single file, or the files of its folder in name order, as the loader joins them."""
        from zhili.loading.layout import folder_files, spec_of

        spec = spec_of(kind)
        if spec.folder is not None and spec.is_folder(self.data_dir):
            return [f"{spec.folder}/{p.name}" for p in folder_files(self.data_dir, spec.folder)[0]]
        return [spec.name]

    def target_file(self, kind: str, file: str | None, preferred: str | None = None) -> str:
        """Where new entries of registry `kind` go. Written as one file: that file. As a folder: the file
        named by `file` (--file; created when absent), else `preferred` (e.g. the file that already holds
        the community's street) when it is one of the folder's files, else the folder's last file in
        name order. With `file` and neither form present, the folder is created with that file."""
        from zhili.loading.layout import spec_of

        spec = spec_of(kind)
        folder = spec.folder or spec.name
        if file is None:
            files = self.registry_files(kind)
            return preferred if preferred in files else files[-1]
        name = file[len(folder) + 1:] if file.startswith(folder + "/") else file
        if not name.endswith(".yaml") or any(c in name for c in "/\\") or name.startswith(".") or name == ".yaml":
            raise UsageError(f"--file {file} 不是 {folder}/ 中的文件名。",
                             f"写文件夹中的文件名，扩展名为 .yaml，如 --file 某单位.yaml（写入 {folder}/某单位.yaml）。")
        if (self.data_dir / spec.name).exists():
            raise UsageError(f"数据目录用一个文件 {spec.name} 存放{spec.label}，--file 只用于分文件存放的 {folder}/ 文件夹。",
                             f"去掉 --file（写入 {spec.name}）；要分文件存放，先把 {spec.name} 移到 {folder}/ 中。")
        return f"{folder}/{name}"

    def render(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, doc in self.docs.items():
            if name not in self.touched:
                continue
            buf = io.StringIO()
            self._yaml.dump(doc, buf)
            out[name] = buf.getvalue()
        return out

    def changed(self) -> dict[str, str]:
        """The files whose text would change."""
        texts = self.render()
        return {n: t for n, t in texts.items()
                if n in self.created or (self.data_dir / n).read_text(encoding="utf-8") != t}

    def commit(self, write: bool = True) -> list[str]:
        """Validate the changed directory, then (if `write`) replace each changed file atomically.
        Returns the names of the changed files."""
        from zhili.loading.registry import display_name, load
        from zhili.fsio import write_atomic

        texts = self.changed()
        if not texts:
            return []
        with tempfile.TemporaryDirectory(prefix="zhili-check-") as scratch:
            trial = Path(scratch) / "data"
            _copy_data_files(self.data_dir, trial)
            for name, text in texts.items():
                (trial / name).parent.mkdir(parents=True, exist_ok=True)
                (trial / name).write_text(text, encoding="utf-8")
            result = load(trial)
            if result.registry is None:
                errors = [_relocate(d, str(trial), display_name(self.data_dir)) for d in result.errors]
                raise DataError("写入后的数据将无法通过校验，未写入任何内容。", errors,
                                "这通常说明导入的内容与现有数据冲突；请按上面的提示修改表格或数据后重试。")
        if not write:
            return sorted(texts)
        # the files others refer to first: if a later replace fails, what is on disk still cross-checks
        for name, text in sorted(texts.items(), key=lambda item: (item[0] not in ("units.yaml", "types.yaml"), item[0])):
            (self.data_dir / name).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.data_dir / name, text, force=name not in self.created)
        return sorted(texts)


def _copy_data_files(source: Path, target: Path) -> None:
    """The files the loader reads (and nothing else a repository may hold), links copied as links."""
    from zhili.loading.layout import SPECS

    target.mkdir()
    for spec in SPECS:
        for _, path in spec.paths(source):
            if not path.exists() and not path.is_symlink():
                continue
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                os.symlink(os.readlink(path), dest)
            elif path.is_file():
                shutil.copyfile(path, dest)


def _relocate(diag: Any, scratch: str, shown: str) -> Any:
    """A diagnostic about the scratch copy, pointing at the user's directory instead."""
    import dataclasses

    for prefix in (scratch, os.path.relpath(scratch)):
        if diag.file.startswith(prefix):
            return dataclasses.replace(diag, file=shown + diag.file[len(prefix):])
    return diag


def block_list(doc: Any, key: str) -> Any:
    """doc[key] as a list written one entry per line (an empty `[]` or a missing key becomes one)."""
    from ruamel.yaml.comments import CommentedSeq

    seq = doc.get(key)
    if seq is None or (not seq and getattr(seq, "fa", None) is not None and seq.fa.flow_style()):
        seq = CommentedSeq()
        doc[key] = seq
    return seq


def schema_line(writer: DataWriter, kind: str, depth: int = 0) -> str:
    """The `$schema` comment a new data file gets: the one tasks.yaml has, pointing at this kind's schema."""
    tasks = writer.data_dir / "tasks.yaml"
    first = tasks.read_text(encoding="utf-8").split("\n", 1)[0] if tasks.exists() else ""
    m = re.match(r"# yaml-language-server: \$schema=(.*)tasks\.schema\.json\s*$", first)
    if not m:
        return ""
    return f"# yaml-language-server: $schema={'../' * depth}{m.group(1)}{kind}.schema.json\n"
