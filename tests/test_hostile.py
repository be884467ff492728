"""The hostile-input corpus (tests/fixtures/hostile/cases.json): every case's exit code and exact diagnostic.

Each case copies the bundled 游仙 data (without the optional files, so only the damage is reported),
replaces one file with a fixture or damages the file system as `setup` says, runs
`zhili validate --data DIR --format json` in-process and checks the exit code, the number of errors
and the code, line, column and message of the diagnostic. The huge inputs are generated here in
tmp_path instead of being committed.

A case with `command` runs that command instead (in-process, or with `pipe` in a child process whose
reader has gone away) and checks its exit code, the located diagnostic in its text output (stderr),
and `stderr_has` / `stderr_lacks` / `file_has` texts. A case with `secret` also checks that the text
never appears in any output, in the JSON and in the default text format.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, FIXTURES

HOSTILE = FIXTURES / "hostile"
MANIFEST = json.loads((HOSTILE / "cases.json").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
OPTIONAL = ("evaluations", "remediation.yaml", "progress.yaml", "plans.yaml", "needs.yaml", "resources.yaml")


def base_copy(tmp_path: Path) -> Path:
    """The bundled data without the optional files: a replaced file then shows only its own problems."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    for name in OPTIONAL:
        path = target / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    return target


# -- generated inputs (too large to commit) ------------------------------------------------------


def nested_brackets() -> bytes:
    return ("communities: " + "[" * 30_000 + "]" * 30_000 + "\n").encode()


def long_line() -> bytes:
    return ("communities:\n  - id: sanglin\n    name: " + "桑" * 1_000_000 + "\n    street: 经济试验区\n").encode()


def alias_bomb() -> bytes:
    """A billion-laughs document: 10 levels of 20 aliases each (20**10 leaves if it were expanded)."""
    lines = ['a0: &a0 ["哈"]']
    for level in range(1, 11):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 20) + "]")
    return ("\n".join(lines) + "\n").encode()


def file_50mb() -> bytes:
    """The bundled communities, then ~50 MB of valid ones, then one with an unknown type on the last line."""
    head = (DATA / "communities.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n"
    item = ("  - id: gen-{i}\n    name: 生成社区{i}\n    street: 经济试验区\n    type: 商品住宅型社区\n"
            "    note: 示意数据：用于检验大文件的耗时和内存\n")
    size = len(item.encode()) + 8
    count = (50 * 1024 * 1024 - len(head.encode())) // size
    tail = "  - id: last\n    name: 末尾社区\n    street: 经济试验区\n    type: 不存在的类型\n"
    return (head + "".join(item.format(i=i) for i in range(count)) + tail).encode()


def many_entries() -> bytes:
    """One entry more than a file may hold, each on one short line (the shape that costs most per byte)."""
    item = "  - {{id: c{i}, name: 社区{i}, street: 经济试验区}}\n"
    return ("communities:\n" + "".join(item.format(i=i) for i in range(1_000_001))).encode()


GENERATORS = {"nested_brackets": nested_brackets, "long_line": long_line, "alias_bomb": alias_bomb,
              "file_50mb": file_50mb, "many_entries": many_entries}


# -- set-ups -------------------------------------------------------------------------------------


def prepare(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = base_copy(tmp_path)
    target = data / case["target"]
    setup = case.get("setup")
    if setup is None:
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(HOSTILE / case["fixture"], target)
    elif setup == "generate":
        target.write_bytes(GENERATORS[case["generator"]]())
    elif setup == "delete":
        target.unlink()
    elif setup == "empty-directory":
        data = tmp_path / "empty"
        data.mkdir()
        (data / "说明.txt").write_text("没有数据文件", encoding="utf-8")
    elif setup == "unreadable":
        # The tests run as root, and chmod 000 does not stop root. So the read itself is made to fail
        # the way it fails for an ordinary user: the loader's os.open raises PermissionError for this file.
        from zhili.loading import textfile

        real_open = os.open

        def deny(path, flags, *args, **kwargs):
            if Path(path).name == target.name:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(textfile.os, "open", deny)
    elif setup == "symlink-loop":
        target.unlink()
        target.symlink_to(target.name)  # the link points at itself
    elif setup == "directory":
        target.unlink()
        target.mkdir()
    elif setup == "device":
        target.unlink()
        target.symlink_to("/dev/zero")  # an endless file: reading it whole would never finish
    elif setup == "fifo":
        target.unlink()
        os.mkfifo(target)  # opening a pipe for reading would wait for a writer forever
    elif setup == "link-outside-file":
        outside = tmp_path / "outside"
        outside.mkdir()
        secret = outside / "secret.yaml"
        secret.write_text(case["secret_content"], encoding="utf-8")
        target.unlink()
        target.symlink_to(secret)
    elif setup == "link-environ":
        target.unlink()
        target.symlink_to("/proc/self/environ")  # the process's environment: tokens, passwords
    elif setup == "link-outside-folder":
        outside = tmp_path / "outside-folder"
        outside.mkdir()
        (outside / target.name).write_text(case["secret_content"], encoding="utf-8")
        if target.parent.exists():
            shutil.rmtree(target.parent)
        target.parent.symlink_to(outside, target_is_directory=True)  # data/evaluations -> a folder elsewhere
    elif setup == "fixture-and-remove":  # a fixture under another name, in place of the file it should be
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(HOSTILE / case["fixture"], target)
        (data / case["replaces"]).unlink()
    elif setup == "none":
        pass
    elif setup == "fifo-output":
        os.mkfifo(tmp_path / "out.csv")
    elif setup == "link-output":
        (tmp_path / "elsewhere.csv").write_text("别人的文件\n", encoding="utf-8")
        (tmp_path / "out.csv").symlink_to(tmp_path / "elsewhere.csv")
    elif setup == "poisoned-cache":
        poison_cache(data, tmp_path, monkeypatch)
    elif setup == "sparse-101mb":
        with open(target, "r+b") as fh:
            fh.truncate(101 * 1024 * 1024)  # sparse: costs no disk, but is over the limit
    else:  # pragma: no cover - a typo in the manifest
        raise AssertionError(f"unknown setup {setup}")
    return data


class _Pwn:
    """Unpickling this runs `touch PWNED`: what the old pickle cache would have done with a planted file."""

    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def poison_cache(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache directory another user or branch could write: a pickle that runs a command, and a
    well-formed cache for exactly this data with a forged name, writable by others."""
    import pickle

    from zhili.loading import cache, cache_format
    from zhili.loading import registry as loader

    monkeypatch.setenv("ZHILI_CACHE_DIR", str(tmp_path / "shared-cache"))
    entry = cache._entry(data)
    entry.parent.mkdir()
    entry.with_suffix(".pickle").write_bytes(b"zhili-registry-cache 1\n" + pickle.dumps(_Pwn()))
    key, _ = cache.fingerprint(data)
    forged = cache_format.dump(key, loader.load_registry(data)).replace("桑林社区".encode(), "伪造社区".encode())
    entry.write_bytes(forged)
    entry.chmod(0o666)


def params() -> list:
    return [pytest.param(case, id=case["id"], marks=[pytest.mark.slow] if case.get("slow") else [])
            for case in CASES]


def _alarm(signum, frame):  # pragma: no cover - only when zhili hangs
    raise TimeoutError("zhili did not finish in time: it waits on a pipe or reads without end")


@pytest.fixture
def deadline(request):
    """A case that hangs (a pipe opened for reading, an endless device) fails instead of stopping CI."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(900 if request.node.get_closest_marker("slow") else 120)  # the huge inputs take minutes
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", params())
def test_hostile_case(case, run, tmp_path, monkeypatch, deadline):
    monkeypatch.chdir(tmp_path)  # any file a hostile input managed to create would land here
    data = prepare(case, tmp_path, monkeypatch)
    if "command" in case:
        return check_command(case, data, run, tmp_path)
    result = run("validate", "--data", data, "--format", "json")
    assert result.exit_code == case["exit"], result.output
    payload = json.loads(result.stdout)
    errors = payload["errors"]
    assert payload["valid"] is False
    assert len(errors) == case["errors"], [(e["code"], e["line"], e["message"]) for e in errors]
    found = [e for e in errors if e["code"] == case["code"]]
    assert found, [(e["code"], e["message"]) for e in errors]
    first = found[0]
    line = case["line"]
    if line == -1:  # the generated file's last line
        line = (data / case["target"]).read_bytes().rstrip(b"\n").count(b"\n") + 1
    assert (first["line"], first["column"]) == (line, case["column"])
    assert case["message"] in first["message"]
    assert first["hint"], "every diagnostic says how to fix it"
    assert case.get("hint", "") in first["hint"]
    shown = case["target"].split("/")[-1] if case["target"] else "empty"
    assert shown in first["file"]
    assert not (tmp_path / "PWNED").exists()
    if "secret" in case:
        text = run("validate", "--data", data)
        assert case["secret"] not in result.output + text.output
        assert case["secret"] not in text.stderr and case["message"] in text.stderr


def check_command(case: dict, data: Path, run, tmp_path: Path) -> None:
    args = [a.replace("{data}", str(data)) for a in case["command"]]
    if case.get("pipe"):
        code, stdout, stderr = broken_pipe(args)
    else:
        result = run(*args)
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    assert code == case["exit"], stdout + stderr
    if "code" in case:
        place = "" if case["line"] == 0 else f":{case['line']}:{case['column']}"
        head = f"{case['target']}{place}: {case.get('severity', '错误')} {case['code']} "
        found = [line for line in (stderr + stdout).splitlines() if head in line]
        assert found, stderr + stdout
        assert case["message"] in found[0]
    for text in case.get("stdout_has", []):
        assert text in stdout, stdout
    for text in case.get("stderr_has", []):
        assert text in stderr, stderr
    for text in case.get("stderr_lacks", []):
        assert text not in stderr and text not in stdout
    if "file" in case:
        content = (tmp_path / case["file"]).read_bytes()
        for text in case.get("file_has", []):
            assert text.encode("utf-8") in content, content[:300]
    if "secret" in case:
        assert case["secret"] not in stdout + stderr
    assert not (tmp_path / "PWNED").exists()


def broken_pipe(args: list[str]) -> tuple[int, str, str]:
    """zhili ARGS in a child process whose stdout and stderr are a pipe nobody reads any more (as with
    `zhili ... 2>&1 | head -1`, once head has exited)."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before zhili writes a byte
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "zhili", *args], stdout=write, stderr=write, env=env, timeout=120)
    os.close(write)
    return done.returncode, "", ""


def test_corpus_is_large_and_distinct():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) >= 40
    fixtures = [c["fixture"] for c in CASES if "fixture" in c]
    contents = [(HOSTILE / f).read_bytes() for f in fixtures]
    assert len(set(contents)) == len(contents), "two cases use the same bytes"
    committed = {p.name for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".yml")}
    assert committed == set(fixtures), "every committed fixture is a case, every case's fixture is committed"


def test_python_tag_constructs_nothing(run, tmp_path, monkeypatch):
    """`!!python/object/apply:os.system` is reported, and the command in it never runs."""
    monkeypatch.chdir(tmp_path)
    data = base_copy(tmp_path)
    (data / "communities.yaml").write_text(
        "communities:\n  - id: sanglin\n    name: !!python/object/apply:os.system [\"touch PWNED\"]\n"
        "    street: 经济试验区\n", encoding="utf-8")
    called = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a) or 0)
    result = run("validate", "--data", data)
    assert result.exit_code == 1
    assert "ZL111" in result.output
    assert called == [] and not (tmp_path / "PWNED").exists()


def test_text_output_shows_the_line_and_a_caret_for_a_reader_error(run, tmp_path):
    data = base_copy(tmp_path)
    shutil.copyfile(HOSTILE / "fullwidth-colon.yaml", data / "communities.yaml")
    result = run("validate", "--data", data)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    head = next(i for i, text in enumerate(lines) if "ZL104" in text)
    assert lines[head].endswith("错误 ZL104 字段“name”后面用了全角冒号“：”，YAML 只认英文冒号“:”。")
    assert "communities.yaml:4:9:" in lines[head]
    assert lines[head + 1] == "    4 |     name：桑林社区"
    assert lines[head + 2] == "      |         ^"
    assert lines[head + 3].strip() == "提示：切换到英文输入法，把“：”改成“:”，冒号后加一个空格。"


def test_every_problem_in_one_run_across_files(run, tmp_path):
    """Three damaged files: every problem is reported, ordered by file and line."""
    data = base_copy(tmp_path)
    shutil.copyfile(HOSTILE / "unknown-type.yaml", data / "communities.yaml")
    shutil.copyfile(HOSTILE / "typed-date-impossible.yaml", data / "tasks.yaml")
    (data / "evaluations").mkdir()
    shutil.copyfile(HOSTILE / "unknown-community.yaml", data / "evaluations" / "2021.yaml")
    result = run("validate", "--data", data, "--format", "json")
    assert result.exit_code == 1
    got = [(Path(e["file"]).name, e["line"], e["code"]) for e in json.loads(result.stdout)["errors"]]
    assert got == [("communities.yaml", 6, "ZL301"), ("2021.yaml", 6, "ZL305"), ("tasks.yaml", 8, "ZL206")]


def test_many_problems_are_capped_with_a_count(run, tmp_path):
    """A file with thousands of problems lists the first 200 and says the rest were not examined."""
    data = base_copy(tmp_path)
    items = "".join(f"  - id: c{i}\n    nmae: 社区{i}\n    street: 经济试验区\n" for i in range(3000))
    (data / "communities.yaml").write_text("communities:\n" + items, encoding="utf-8")
    result = run("validate", "--data", data, "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert len(errors) == 201
    assert errors[0]["code"] == "ZL119" and errors[0]["line"] == 0
    assert errors[0]["message"] == "这个文件的问题超过 200 个，只列出了前 200 个，其余内容没有再检查。"
    text = run("validate", "--data", data)
    assert "……另有 101 个问题未显示（用 --format json 查看全部）。" in text.stderr
