"""Leaving the process (`zhili.cli.app.main`, the console script and `python -m zhili`): exit codes and
output as before, atexit handlers run and streams flushed, but no teardown of every object at exit.

These run zhili in a child process: CliRunner calls the click group and never goes through `main()`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DATA, edit


def zhili(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhili", *args], capture_output=True, timeout=120,
                          env={**os.environ, "ZHILI_NO_CACHE": "1"}, **kw)


def script(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_the_whole_output_arrives_through_a_pipe(run):
    """A long JSON listing read through a pipe is the same, byte for byte, as in process."""
    done = zhili("tasks", "--data", str(DATA), "--format", "json")
    assert done.returncode == 0
    assert len(done.stdout) > 8192  # more than the stream's buffer: written in several pieces
    assert done.stdout.decode("utf-8") == run("tasks", "--data", DATA, "--format", "json").stdout
    json.loads(done.stdout)


def test_exit_codes_are_kept(data_copy):
    ok = zhili("validate", "--data", str(DATA))
    assert ok.returncode == 0 and "校验通过" in ok.stdout.decode()
    edit(data_copy / "communities.yaml", "street: 经济试验区", "street: 不存在的街道")
    bad = zhili("validate", "--data", str(data_copy))
    assert bad.returncode == 1 and "ZL304" in bad.stderr.decode() and "校验未通过" in bad.stderr.decode()
    usage = zhili("rank", "--data", str(DATA), "--year", "1999x")
    assert usage.returncode == 2 and usage.stderr.decode().rstrip().endswith("如 2021。")
    unknown = zhili("nosuch")
    assert unknown.returncode == 2 and "没有命令“nosuch”" in unknown.stderr.decode()
    help_ = zhili("--help")
    assert help_.returncode == 0 and "zhili validate" in help_.stdout.decode()
    version = zhili("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("zhili")


def test_a_json_usage_error_is_complete_and_keeps_its_code():
    done = zhili("rank", "--data", str(DATA), "--year", "1999x", "--format", "json")
    assert done.returncode == 2 and json.loads(done.stdout)["exit_code"] == 2


def test_a_long_listing_into_a_closed_pipe_still_succeeds():
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run([sys.executable, "-m", "zhili", "tasks", "--data", str(DATA), "--format", "json"],
                          stdout=write, stderr=subprocess.PIPE, timeout=120, env={**os.environ, "ZHILI_NO_CACHE": "1"})
    os.close(write)
    assert done.returncode == 0 and done.stderr == b""  # no "Exception ignored" about a failed flush


MAIN = "import sys; sys.argv = ['zhili', '--version']; from zhili.cli.app import main; "


def test_text_left_in_the_buffer_is_written():
    done = script("import sys; sys.stdout.write('缓冲中'); " + MAIN + "main()")
    assert done.returncode == 0 and done.stdout.startswith("缓冲中zhili")


def test_atexit_handlers_still_run():
    done = script("import atexit, sys; atexit.register(lambda: print('atexit 已运行', file=sys.stderr)); " + MAIN + "main()")
    assert done.returncode == 0 and done.stderr == "atexit 已运行\n"


TEARDOWN = ("import sys\nclass Noisy:\n    def __del__(self):\n        sys.stderr.write('拆除')\nkept = Noisy()\n")


@pytest.mark.parametrize("leave, torn_down", [("sys.exit(0)", True), (MAIN + "main()", False)], ids=["sys.exit", "main"])
def test_no_teardown_after_main(leave, torn_down):
    """An object still alive at exit is freed by the interpreter's teardown after sys.exit, not after main()."""
    done = script(TEARDOWN + leave)
    assert done.returncode == 0 and ("拆除" in done.stderr) is torn_down


def test_a_running_thread_is_waited_for():
    done = script("import threading, time, sys\n"
                  "threading.Thread(target=lambda: (time.sleep(0.3), print('线程结束', flush=True))).start()\n" + MAIN + "main()")
    assert done.returncode == 0 and done.stdout.endswith("线程结束\n")


def test_an_exit_code_from_main_is_passed_on():
    done = script("import sys; sys.argv = ['zhili', 'rank', '--year', 'x']; from zhili.cli.app import main; main()")
    assert done.returncode == 2


def test_the_registry_is_left_for_the_end_of_the_process():
    """After validate, the loaded data is still held when the process leaves (not freed object by object)."""
    done = script("import atexit, sys\nfrom zhili import lifetime\n"
                  "atexit.register(lambda: print(type(lifetime._kept[0]).__name__, lifetime._kept[0].registry is not None))\n"
                  f"sys.argv = ['zhili', 'validate', '--data', {str(DATA)!r}]\nfrom zhili.cli.app import main\nmain()")
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "LoadResult True"


def test_keep_keeps_only_when_the_process_ends_without_teardown(monkeypatch):
    from zhili import lifetime

    monkeypatch.setattr(lifetime, "_kept", [None])
    monkeypatch.setattr(lifetime, "_until_exit", False)
    first, second = object(), object()
    assert lifetime.keep(first) is first and lifetime._kept == [None]  # in process: nothing held
    lifetime.keep_until_exit()
    lifetime.keep(first)
    assert lifetime.keep(second) is second and lifetime._kept == [second]  # only the last one


def test_python_dash_m_zhili_leaves_as_the_console_script():
    done = subprocess.run([sys.executable, "-c", TEARDOWN + "import runpy; sys.argv = ['zhili', '--version']\n"
                           "runpy.run_module('zhili', run_name='__main__', alter_sys=True)"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("zhili") and "拆除" not in done.stderr


def test_code_that_runs_zhili_gets_control_back():
    """runpy.run_module from another program: SystemExit as before, so that program goes on."""
    done = script("import runpy, sys; sys.argv = ['zhili', 'rank', '--year', 'x']\n"
                  "try:\n    runpy.run_module('zhili', run_name='__main__')\nexcept SystemExit as exc:\n    print('回到调用者', exc.code)")
    assert done.returncode == 0 and done.stdout == "回到调用者 2\n"
