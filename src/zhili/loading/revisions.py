"""Two versions of a data directory from a git repository, each loaded through the one loader.

The repository is untrusted (it comes with a pull request): git runs with no pager, no hooks, no
fsmonitor, no external diff or textconv, no prompts, with the user's GIT_* environment cleared, and only
plumbing commands (rev-parse, ls-tree, cat-file) that never run anything the repository configures. Of a
revision, only the files the loader reads (zhili.loading.layout) are written to a temporary directory:
symbolic links and files above the size limit are refused with a diagnostic instead of being followed.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from zhili.diagnostics import Diagnostic, error
from zhili.errors import UsageError
from zhili.loading.layout import SPECS
from zhili.model.registry import Registry
from zhili.render.cells import safe

GIT_TIMEOUT = 120  # seconds; plumbing on a data repository takes well under one
SAFE_CONFIG = ("core.fsmonitor=false", "core.hooksPath=/dev/null", "core.pager=cat", "diff.external=",
               "core.untrackedCache=false", "core.splitIndex=false", "protocol.allow=never", "core.sshCommand=false",
               "credential.helper=", "core.askPass=false", "uploadpack.packObjectsHook=")
WORKTREE = "工作区"


@dataclass
class Side:
    """One version of the data: the registry when it could be built (partial when the data does not validate)."""

    revision: str | None  # as the user wrote it; None: the working tree
    commit: str | None
    date: str | None = field(default=None, kw_only=True)  # the commit's date, YYYY-MM-DD; None: the working tree
    label: str
    registry: Registry | None
    valid: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # data file kinds that did not validate

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def to_dict(self) -> dict[str, object]:
        return {"revision": self.revision, "commit": self.commit, "date": self.date, "label": self.label, "valid": self.valid,
                "errors": [d.to_dict() for d in self.errors]}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat", GIT_CONFIG_NOSYSTEM="1", GIT_OPTIONAL_LOCKS="0",
               GIT_NO_REPLACE_OBJECTS="1", GIT_ATTR_NOSYSTEM="1", GIT_ASKPASS="false", SSH_ASKPASS="false", LC_ALL="C")
    cmd = ["git", "--no-pager", "--no-replace-objects", "--literal-pathspecs"]  # a directory named "data*" is no glob
    for setting in SAFE_CONFIG:
        cmd += ["-c", setting]
    try:
        return subprocess.run([*cmd, *args], cwd=repo, env=env, input=stdin, capture_output=True, timeout=GIT_TIMEOUT,
                              check=False)
    except FileNotFoundError as exc:
        raise UsageError("找不到 git 命令。", "zhili diff 需要 git：请先安装 git。") from exc
    except subprocess.TimeoutExpired as exc:
        raise UsageError(f"git 在 {GIT_TIMEOUT} 秒内没有完成（{args[0]}）。", "检查仓库是否完整，或在更小的仓库中运行。") from exc


@dataclass(frozen=True)
class Repository:
    root: Path
    prefix: str  # the data directory inside the repository, POSIX, "" for the root
    data_dir: Path  # the data directory in the working tree


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    return safe(result.stderr.decode("utf-8", "replace").strip().splitlines()[-1] if result.stderr.strip() else "")


def find_repository(data_dir: Path) -> Repository:
    """The git repository holding `data_dir` (which need not exist in the working tree)."""
    probe = data_dir.absolute()
    while not probe.is_dir() and probe.parent != probe:
        probe = probe.parent
    result = git(probe, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        why = _stderr(result)
        hint = "在数据仓库（git 仓库）中运行，或用 --data 指向仓库中的数据目录。"
        if "dubious ownership" in why:
            hint = "git 拒绝读取属于其他用户的仓库；确认可信后按 git 的提示把它加入 safe.directory。"
        raise UsageError(f"{safe(str(data_dir.absolute()))} 不在 git 仓库中（{why}）。", hint)
    root = Path(result.stdout.decode("utf-8", "surrogateescape").rstrip("\n")).resolve()
    try:
        prefix = data_dir.absolute().resolve().relative_to(root).as_posix()
    except ValueError as exc:
        raise UsageError(f"数据目录 {safe(str(data_dir))} 不在仓库 {safe(str(root))} 之内。", "--data 要指向仓库中的目录。") from exc
    return Repository(root, "" if prefix == "." else prefix, data_dir)


def resolve_revision(repo: Repository, revision: str) -> str:
    result = git(repo.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if result.returncode != 0 or not revision:
        raise UsageError(f"未知的版本：{safe(revision)}。", "写分支名、标签或提交号，如 HEAD、main、HEAD~1、a1b2c3d；"
                         "可用 git log 查看。浅克隆（如 fetch-depth: 1 检出）中没有更早的提交。")
    return result.stdout.decode("ascii").strip()


def merge_base(repo: Repository, a: str, b: str) -> str:
    result = git(repo.root, "merge-base", "--end-of-options", a, b)
    if result.returncode != 0:
        raise UsageError(f"版本 {safe(a)} 与 {safe(b)} 没有共同祖先，不能用 “...”。", "改用 版本1..版本2 或两个版本号。")
    return result.stdout.decode("ascii").strip()


def _wanted(prefix: str, path: str) -> bool:
    """Is `path` (relative to the repository root) a file the loader reads?"""
    rel = PurePosixPath(path)
    if prefix:
        try:
            rel = rel.relative_to(prefix)
        except ValueError:
            return False
    for spec in SPECS:
        if spec.pattern is None and str(rel) == spec.name:
            return True
        if spec.pattern is not None and len(rel.parts) == 2 and rel.parts[0] == spec.name \
                and fnmatch.fnmatchcase(rel.parts[1], spec.pattern):
            return True
        if spec.folder is not None and len(rel.parts) == 2 and rel.parts[0] == spec.folder \
                and fnmatch.fnmatchcase(rel.parts[1], "*.yaml") and not rel.parts[1].startswith("."):
            return True
    return False


def materialise(repo: Repository, commit: str, target: Path, shown: str) -> list[Diagnostic]:
    """Write the data files of `commit` under `target`; problems found on the way as diagnostics."""
    from zhili.loading.textfile import MAX_FILE_BYTES, _too_large

    spec = f"{repo.prefix}/" if repo.prefix else "."
    listing = git(repo.root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", spec)
    if listing.returncode != 0:
        raise UsageError(f"无法列出版本 {safe(shown)} 中的文件（{_stderr(listing)}）。", "检查仓库是否完整（git fsck）。")
    target.mkdir(parents=True, exist_ok=True)
    diags: list[Diagnostic] = []
    blobs: list[tuple[str, Path]] = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = meta.decode("ascii").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if not _wanted(repo.prefix, path):
            continue
        rel = PurePosixPath(path).relative_to(repo.prefix) if repo.prefix else PurePosixPath(path)
        name = f"{shown}:{path}"
        if kind != "blob" or mode == "120000":
            diags.append(error(name, 0, 0, "ZL001", f"{safe(name)} 在该版本中是符号链接或子模块，不是普通文件，未读取。",
                               "数据文件必须是普通的 YAML 文件：删除这个链接，提交真正的文件。"))
            continue
        if int(size) > MAX_FILE_BYTES:
            diags.append(_too_large(name, int(size)))
            continue
        blobs.append((oid, target / Path(*rel.parts)))
    if blobs:
        batch = git(repo.root, "cat-file", "--batch", stdin=b"".join(oid.encode() + b"\n" for oid, _ in blobs))
        if batch.returncode != 0:
            raise UsageError(f"无法读取版本 {safe(shown)} 中的文件（{_stderr(batch)}）。", "检查仓库是否完整（git fsck）。")
        out, pos = batch.stdout, 0
        for oid, dest in blobs:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) != 3 or header[1] != b"blob":  # e.g. a partial clone without this blob
                raise UsageError(f"版本 {safe(shown)} 的文件 {safe(dest.name)}（{oid[:10]}）不在本地仓库中。",
                                 "仓库可能是部分克隆：先 git fetch 取回完整的提交，或用 fetch-depth: 0 检出。")
            length = int(header[2])
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(out[end + 1:end + 1 + length])
            pos = end + 1 + length + 1
    return diags


# a wrong evaluation declaration or stage result (zhili.loading.evaluation_checks): the evaluations are unusable
_STAGE_CODES = frozenset({"ZL330", "ZL331", "ZL332", "ZL333", "ZL334", "ZL336"})


def _failed(data_dir: Path, files: dict[str, object]) -> set[str]:
    return {spec.kind for spec in SPECS for key, path in spec.paths(data_dir) if path.exists() and key not in files}


def load_side(data_dir: Path, revision: str | None, commit: str | None, label: str,
              shown: str | None = None, extra: list[Diagnostic] | None = None) -> Side:
    """Load `data_dir` with the one loader; diagnostics name `shown` (e.g. "HEAD:data") instead of the directory."""
    from zhili.loading.registry import assemble, display_name, load

    result = load(data_dir)
    diags = list(extra or [])
    shown_dir = display_name(data_dir)
    for d in result.diagnostics:
        if shown is not None and d.file.startswith(shown_dir):
            rest = d.file[len(shown_dir):].replace(os.sep, "/").lstrip("/")
            name = shown + rest if shown.endswith(":") else f"{shown}/{rest}".rstrip("/")
            d = dataclasses.replace(d, file=name, message=d.message.replace(shown_dir, shown.rstrip(":")))
        diags.append(d)
    registry = result.registry
    valid = registry is not None and not any(d.is_error for d in diags)
    if registry is None and "types" in result.files and "units" in result.files:
        registry = assemble(data_dir, result.files)  # show what can be shown
    failed = _failed(data_dir, result.files) if registry is not None else set()
    if registry is not None and any(d.is_error and d.code in _STAGE_CODES for d in result.diagnostics):
        failed.add("evaluations")  # stage results that do not fit the declaration: nothing to rank
    return Side(revision, commit, label, registry, valid, diags, failed)


def load_revision(repo: Repository, revision: str, commit: str, target: Path) -> Side:
    short = commit[:10]
    label = revision if short.startswith(revision) or revision.startswith(short[:7]) else f"{revision}（{short}）"
    extra = materialise(repo, commit, target, revision)
    side = load_side(target, revision, commit, label, f"{revision}:{repo.prefix}", extra)
    shown = git(repo.root, "show", "-s", "--no-show-signature", "--format=%cs", commit)
    side.date = shown.stdout.decode("ascii", "replace").strip() or None if shown.returncode == 0 else None
    return side


def load_worktree(repo: Repository) -> Side:
    return load_side(repo.data_dir, None, None, WORKTREE)


def two_sides(repo: Repository, old: str, new: str | None, base_of: tuple[str, str] | None = None) -> tuple[Side, Side]:
    """(old, new): `new` None is the working tree; `base_of` (a, b) makes `old` the merge base of a and b."""
    old_commit = merge_base(repo, *base_of) if base_of else resolve_revision(repo, old)
    new_commit = resolve_revision(repo, new) if new is not None else None
    with tempfile.TemporaryDirectory(prefix="zhili-diff-") as tmp:
        before = load_revision(repo, old, old_commit, Path(tmp) / "old")
        after = load_revision(repo, new, new_commit, Path(tmp) / "new") if new is not None and new_commit else load_worktree(repo)
    return before, after


# -- a community's recorded types, from the repository's history ----------------------------------------

HISTORY_LIMIT = 1000  # commits of communities.yaml looked at, newest first


@dataclass(frozen=True)
class TypeRecord:
    """The type a community had in one commit of communities.yaml (None: no type; absent: not listed)."""

    commit: str
    date: str  # the commit's date, YYYY-MM-DD
    subject: str
    listed: bool
    type: str | None


def community_types(repo: Repository, community_id: str) -> tuple[list[TypeRecord], int]:
    """Oldest first: the community's type in each commit that changed communities.yaml or a file of the
    communities/ folder; and how many commits could not be read (a file that mentions the community but
    did not parse then is skipped and counted, never guessed). In a folder, the files are looked at in
    name order, as the loader joins them."""
    prefix = f"{repo.prefix}/" if repo.prefix else ""
    single, folder = f"{prefix}communities.yaml", f"{prefix}communities"
    head = git(repo.root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        return [], 0
    log = git(repo.root, "log", f"--max-count={HISTORY_LIMIT}", "--format=%H%x09%cs%x09%s", "HEAD", "--", single, folder)
    if log.returncode != 0:
        return [], 0
    entries = [line.split("\t", 2) for line in reversed(log.stdout.decode("utf-8", "replace").splitlines()) if line]
    if not entries:
        return [], 0
    # each commit's communities.yaml (a blob) and communities/ (a tree), in one batch
    objects = _batch(repo, [f"{sha}:{path}" for sha, *_ in entries for path in (single, folder)])
    files: list[list[tuple[str, bytes | None]]] = []  # per commit: (blob id or "", content when already read)
    wanted: dict[str, None] = {}
    for n in range(len(entries)):
        (kind_a, body_a), (kind_b, body_b) = objects[2 * n], objects[2 * n + 1]
        listed: list[tuple[str, bytes | None]] = [("", body_a)] if kind_a == b"blob" else []
        if kind_b == b"tree":
            for name, oid in _tree_blobs(body_b, len(entries[n][0]) // 2):
                if name.endswith(".yaml") and not name.startswith("."):
                    listed.append((oid, None))
                    wanted[oid] = None
        files.append(listed)
    blobs = dict(zip(wanted, (body for kind, body in _batch(repo, list(wanted)))))
    needle = community_id.encode("utf-8")
    records: list[TypeRecord] = []
    unreadable = 0
    for (sha, day, *rest), listed in zip(entries, files):
        subject = safe(rest[0]) if rest else ""
        found, broken = None, False
        for oid, body in listed:
            data = body if body is not None else blobs.get(oid)
            if data is None or (oid and needle not in data):  # a folder's file that cannot hold it: not parsed
                continue
            items = _communities_of(data, folder)
            if items is None:
                broken = True
                break
            found = next((c for c in items if isinstance(c, dict) and c.get("id") == community_id), None)
            if found is not None:
                break
        if broken:
            unreadable += 1
            continue
        kind = found.get("type") if found is not None else None
        records.append(TypeRecord(sha, day, subject, found is not None, kind if isinstance(kind, str) else None))
    return records, unreadable


def _batch(repo: Repository, names: list[str]) -> list[tuple[bytes, bytes]]:
    """(object type, content) of each object named, in order; (b"missing", b"") for one that is absent."""
    if not names:
        return []
    result = git(repo.root, "cat-file", "--batch", stdin=b"".join(n.encode("utf-8", "surrogateescape") + b"\n" for n in names))
    out, pos, found = result.stdout, 0, []
    for _ in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3:  # "<name> missing" (e.g. the file was deleted in this commit)
            found.append((b"missing", b""))
            continue
        size = int(header[2])
        found.append((header[1], out[pos:pos + size]))
        pos += size + 1
    return found


def _tree_blobs(tree: bytes, oid_bytes: int) -> list[tuple[str, str]]:
    """(name, blob id) of the regular files directly in a git tree object (binary entries)."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(tree):
        space = tree.index(b" ", pos)
        nul = tree.index(b"\0", space)
        mode, name = tree[pos:space], tree[space + 1:nul].decode("utf-8", "surrogateescape")
        oid = tree[nul + 1:nul + 1 + oid_bytes].hex()
        pos = nul + 1 + oid_bytes
        if mode in (b"100644", b"100755"):
            out.append((name, oid))
    return out


def _communities_of(data: bytes, name: str) -> list[object] | None:
    """The `communities` list of one version of a file, or None when it does not read."""
    from zhili.loading import yamlread
    from zhili.loading.textfile import MAX_FILE_BYTES

    if len(data) > MAX_FILE_BYTES:
        return None
    value = yamlread.read(data, name).value
    items = value.get("communities") if isinstance(value, dict) else None
    return items if isinstance(items, list) else None
