"""The README and docs/ agree with the tool: every documented command and option exists, every command and
data file has its page, every code is listed, links resolve, examples name what really exists."""

from __future__ import annotations

import re
import shlex
import subprocess

import click
import pytest
import yaml

from conftest import DATA, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
PAGES = {p: p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]}
GROUP_OPTIONS = {"--debug", "--version", "-V", "--help", "-h"}


def commands() -> dict[str, click.Command]:
    from zhili.cli.app import COMMANDS, cli

    ctx = click.Context(cli)
    return {name: cli.get_command(ctx, name) for name in COMMANDS}


def test_readme_is_a_newcomers_page():
    assert len(README.splitlines()) <= 250
    assert "## English" in README and README.index("## English") > README.index("## 五分钟上手")


def test_every_command_has_a_page_and_every_page_names_a_command():
    pages = {p.stem for p in (DOCS / "commands").glob("*.md") if p.stem != "README"}
    assert set(commands()) <= pages, f"no page: {set(commands()) - pages}"
    assert pages <= set(commands()), f"page of no command: {pages - set(commands())}"


def test_every_data_file_has_a_page():
    from zhili.loading.layout import SPECS

    pages = {p.stem for p in (DOCS / "data").glob("*.md")} - {"README", "illustrative"}
    assert {s.kind for s in SPECS} <= pages
    index = (DOCS / "data" / "README.md").read_text(encoding="utf-8")
    for spec in SPECS:
        page = (DOCS / "data" / f"{spec.kind}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {spec.name.replace('evaluations', 'evaluations/&lt;年度&gt;.yaml') if spec.pattern else spec.name}")
        assert f"]({spec.kind}.md)" in index


def invocations() -> list[tuple[str, str, list[str]]]:
    """(page, command, options) for every `zhili COMMAND …` written as code in the README or docs/."""
    found = []
    for path, text in PAGES.items():
        code = re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL) + re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
        for chunk in code:
            for m in re.finditer(r"(?:^|[\s$(])zhili ((?:--?\w[\w-]* )*)([a-z]+)\b([^\n]*)", chunk, re.MULTILINE):
                rest = re.split(r"&&|\||;|#|\)|（|，|。", m.group(3))[0]
                try:
                    words = shlex.split(rest)
                except ValueError:
                    words = rest.split()
                options = [w.split("=")[0] for w in words if re.fullmatch(r"--?[A-Za-z][\w-]*(=.*)?", w)]
                found.append((path.relative_to(ROOT).as_posix(), m.group(2), m.group(1).split() + options))
    return found


def test_every_documented_command_and_option_exists():
    known = commands()
    seen = invocations()
    assert len(seen) > 50
    for page, name, options in seen:
        assert name in known, f"{page}: zhili {name} is not a command"
        command = known[name]
        # a command group (import, collect, progress): its own options and those of its subcommands
        parts = [command, *getattr(command, "commands", {}).values()]
        allowed = {o for c in parts for p in c.params for o in (*p.opts, *p.secondary_opts)} | GROUP_OPTIONS
        for option in options:
            assert option in allowed, f"{page}: zhili {name} has no option {option}"


def test_every_diagnostic_code_is_listed():
    from zhili.diagnostics import CODES

    errors = (DOCS / "errors.md").read_text(encoding="utf-8")
    for code, title in CODES.items():
        assert f"| `{code}` | {title} |" in errors, code


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(path):
    for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", PAGES[path]):
        assert (path.parent / target).exists(), f"{path.relative_to(ROOT)}: {target}"


def test_docs_keep_the_measured_bounds_and_the_illustrative_data_labels():
    reliability = (DOCS / "reliability.md").read_text(encoding="utf-8")
    for row in ("| 96 MB，全部合法（约 58 万个社区） | 1.15 GB | 13 秒 |", "| 95 MB，每一项都有拼错的字段 | 1.01 GB | 28 秒 |",
                "| 嵌套层数（映射和列表合计） | 24 层 |"):
        assert row in reliability
    illustrative = (DOCS / "data" / "illustrative.md").read_text(encoding="utf-8")
    for data_file in ("progress.yaml", "plans.yaml", "evaluations/2021.yaml", "remediation.yaml", "needs.yaml"):
        assert data_file in illustrative
    assert "示意数据" in illustrative and "docs/data/illustrative.md" in README


def test_two_commands_at_the_top():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.DOTALL)
    assert "pip install ." in blocks[0] and "zhili validate" in blocks[0]
    assert "'.[test]'" in blocks[1] and "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.DOTALL)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


# -- $schema paths and the pre-commit example -----------------------------------------------------------

SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=([^\s`]+)")


def test_schema_help_and_docs_give_the_same_schema_paths(run):
    help_text = run("schema", "--help").output
    editors = (DOCS / "editors.md").read_text(encoding="utf-8")
    table = editors.split("<!-- schema-layouts:start -->")[1].split("<!-- schema-layouts:end -->")[0]
    assert SCHEMA_LINE.findall(help_text) == SCHEMA_LINE.findall(table) and len(SCHEMA_LINE.findall(table)) == 4


def test_documented_schema_paths_are_what_each_layout_really_has(run, tmp_path):
    inside, inside_dir, beside, beside_dir = SCHEMA_LINE.findall(run("schema", "--help").output)
    assert run("init", tmp_path / "new").exit_code == 0
    first = lambda p: SCHEMA_LINE.match(p.read_text(encoding="utf-8").splitlines()[0]).group(1)  # noqa: E731
    assert (first(tmp_path / "new" / "types.yaml"), first(tmp_path / "new" / "evaluations" / "2021.yaml")) == (inside, inside_dir)
    assert (first(DATA / "types.yaml"), first(DATA / "evaluations" / "2021.yaml")) == (beside, beside_dir)
    for path, line in (((tmp_path / "new" / "types.yaml"), inside), (DATA / "evaluations" / "2021.yaml", beside_dir)):
        assert (path.parent / line).is_file(), f"{line} from {path} names no file"


def yaml_blocks() -> list[tuple[str, object]]:
    out = []
    for path, text in PAGES.items():
        for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL):
            out.append((path.relative_to(ROOT).as_posix(), yaml.safe_load(block)))
    return out


def test_pre_commit_example_is_the_hook_this_repository_defines():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    configs = [(page, block) for page, block in yaml_blocks() if isinstance(block, dict) and "repos" in block]
    assert configs, "no .pre-commit-config.yaml example in the docs"
    example_file = yaml.safe_load((ROOT / "examples" / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    for page, config in [*configs, ("examples/pre-commit-config.yaml", example_file)]:
        for repo in config["repos"]:
            for example in repo["hooks"]:
                assert example["id"] in hooks, page
                hook = hooks[example["id"]]
                if repo["repo"] == "local":
                    assert {k: example[k] for k in ("entry", "files", "pass_filenames")} == \
                           {k: hook[k] for k in ("entry", "files", "pass_filenames")}, page
            if "rev" in repo:  # a revision that exists, never an invented tag
                known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{repo['rev']}^{{commit}}"],
                                       cwd=ROOT, capture_output=True)
                assert known.returncode == 0, f"{page}: rev {repo['rev']} does not exist"
