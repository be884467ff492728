"""`zhili rank --years`, `zhili history` and the report's evaluation history, on both bundled data sets."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import DATA, TAICANG


def rank_json(run, data, *args: str) -> dict:
    result = run("rank", "--data", data, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_name(timeline: dict) -> dict[str, dict]:
    return {c["name"]: c for t in timeline["types"] for c in t["communities"]}


# -- rank --years -----------------------------------------------------------------------------------


def test_years_agree_with_each_single_year_ranking(run):
    timeline = rank_json(run, DATA, "--years", "2021-2022")
    assert timeline["years"] == [2021, 2022] and timeline["missing_years"] == []
    for year in (2021, 2022):
        single = rank_json(run, DATA, "--year", str(year))
        expected = {c["name"]: (c["rank"], c["designation"]) for t in single for c in t["communities"]}
        shown = {name: next((y["rank"], y["designation"]) for y in c["years"] if y["year"] == year)
                 for name, c in by_name(timeline).items()}
        assert shown == expected


def test_youxian_marks(run):
    communities = by_name(rank_json(run, DATA, "--years", "2021-2025"))
    # the 2021 后进 (see data/evaluations/2022.yaml): six moved up, three still 后进
    moved = {n for n, c in communities.items() if "moved_up" in c["marks"]}
    assert moved == {"韩家脊社区", "小岛社区", "开元路中街社区", "仙人路社区", "剑南路东段社区", "吴家社区"}
    still = {n for n, c in communities.items() if "consecutive_lagging" in c["marks"]}
    assert still == {"游仙观社区", "游仙路社区", "沈家坝北街社区"}
    assert communities["游仙观社区"]["consecutive_lagging"] == [[2021, 2022]]
    assert communities["韩家脊社区"]["moved_up"] == [2022]
    assert communities["韩家脊社区"]["marks_label"] == ["晋位升级"]
    assert not any(c["never_evaluated"] for c in communities.values())


def test_years_without_data_are_named(run):
    result = run("rank", "--data", DATA, "--years", "2021-2025", env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert "2023、2024、2025 年没有评议数据，未列出。" in result.stdout
    assert "游仙观社区" in result.stdout and "连续后进（2021–2022）" in result.stdout


def test_taicang_illustrative_2023(run):
    communities = by_name(rank_json(run, TAICANG, "--year", "2022", "--year", "2023"))
    moved = {n for n, c in communities.items() if c["moved_up"] == [2023]}
    assert moved == {"南园社区", "港城社区", "新湖村", "新塘村", "庆丰村"}  # as the data file's comment says
    still = {n for n, c in communities.items() if c["consecutive_lagging"] == [[2022, 2023]]}
    assert still == {"海运堤社区", "北郊社区", "闸北村"}


def test_never_evaluated(run, data_copy):
    # drop 绵山路社区's records from both years: it was never evaluated
    for year in ("2021", "2022"):
        path = data_copy / "evaluations" / f"{year}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("  - community: mianshanlu"))
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - ") or lines[i].startswith("  #"))
        path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
        assert "mianshanlu" not in path.read_text(encoding="utf-8")
    c = by_name(rank_json(run, data_copy, "--years", "2021-2022"))["绵山路社区"]
    assert c["never_evaluated"] and c["marks_label"] == ["从未参评"]
    assert [y["label"] for y in c["years"]] == ["未评", "未评"]


def test_one_year_output_is_unchanged(run):
    assert run("rank", "--data", DATA, "--year", "2021").stdout.startswith("2021 年商品住宅型社区排队")
    assert isinstance(rank_json(run, DATA, "--year", "2021"), list)


def test_csv_carries_the_same_cells(run):
    timeline = rank_json(run, DATA, "--years", "2021-2022")
    sheet = list(csv.reader(io.StringIO(run("rank", "--data", DATA, "--years", "2021-2022", "--format", "csv")
                                        .stdout.lstrip("\ufeff"))))
    assert sheet[0] == ["类型", "社区", "街道", "2021 年", "2022 年", "标记"]
    rows = {(r[0], r[1]): r for r in sheet[1:]}
    for t in timeline["types"]:
        for c in t["communities"]:
            row = rows[(t["type"], c["name"])]
            assert row[3:5] == [y["label"] for y in c["years"]]
            assert row[5] == (c["marks_text"] or "")
    md = run("rank", "--data", DATA, "--years", "2021-2022", "--format", "markdown").stdout
    assert "| 韩家脊社区 | 涪江街道 | 后进（第 6 名） | 第 3 名↑晋位升级 | 晋位升级（2022） |" in md


@pytest.mark.parametrize("args, message", [
    (("--years", "2022-2021"), "“2022-2021”不是年度范围"),
    (("--years", "二〇二一"), "不是年度范围"),
    (("--years", "2021-2022", "--compare", "2021"), "不能与 --compare、--pairs 同时使用"),
    (("--year", "2021", "--year", "2022", "--pairs"), "不能与 --compare、--pairs 同时使用"),
])
def test_usage_errors(run, args, message):
    result = run("rank", "--data", DATA, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_years_without_any_data_is_a_missing_part(run):
    # like `rank --year 2030`: the data set lacks the part the question needs (exit 2 for every command)
    result = run("rank", "--data", DATA, "--years", "2019-2020")
    assert result.exit_code == 2
    assert "错误：所选年度（2019–2020）都没有评议数据。" in result.stderr and "2021、2022" in result.stderr


# -- history ----------------------------------------------------------------------------------------


def history_json(run, data, name: str) -> dict:
    result = run("history", "--data", data, name, "--as-of", "2022-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_history_of_a_lagging_community_that_moved_up(run):
    h = history_json(run, DATA, "韩家脊社区")
    assert (h["id"], h["type"], h["classification"]["status"]) == ("hanjiaji", "商品住宅型社区", "consistent")
    years = {y["year"]: y for y in h["years"]}
    single = {y: {c["id"]: c for t in rank_json(run, DATA, "--year", str(y)) for c in t["communities"]} for y in (2021, 2022)}
    for y in (2021, 2022):
        assert (years[y]["rank"], years[y]["score"], years[y]["designation"]) == (
            single[y]["hanjiaji"]["rank"], single[y]["hanjiaji"]["score"], single[y]["hanjiaji"]["designation"])
        assert years[y]["scores"] == single[y]["hanjiaji"]["scores"]
    assert years[2022]["moved_up"] and not years[2021]["moved_up"]
    assert years[2021]["ranked"] == 7
    assert [p["advanced"] for p in years[2021]["suggested_pairs"]] == ["李杜祠社区"]
    assert [(r["year"], r["measure"], r["partner"]) for r in h["remediation"]] == [(2021, "先进社区帮带", "liduci")]
    assert {t["no"] for t in h["tasks"]} == {"1", "2", "3", "4", "5", "6"}
    assert all(p["task"] in {"1", "2", "3", "4", "5", "6"} for p in h["progress"]) and h["progress"]
    assert h["plan"]["submitted"] == "2021-03-18"


def test_history_of_a_partner_shows_whom_it_helps(run):
    h = history_json(run, DATA, "liduci")
    assert [(r["year"], r["measure"]) for r in h["helping"]] == [(2021, "先进社区帮带")]
    table = run("history", "--data", DATA, "李杜祠社区", "--as-of", "2022-12-31", env={"COLUMNS": "400"}).stdout
    assert "帮带" in table and "韩家脊社区" in table


def test_history_of_a_vetoed_community(run):
    h = history_json(run, DATA, "小岛社区")
    y2021 = next(y for y in h["years"] if y["year"] == 2021)
    assert y2021["veto"] and y2021["designation"] == "lagging" and y2021["vetoes"][0]["item"] == "新增违法建设"


def test_history_on_taicang(run):
    h = history_json(run, TAICANG, "海运堤社区")
    assert [(y["year"], y["designation"]) for y in h["years"]] == [(2022, "lagging"), (2023, "lagging")]
    assert h["remediation"] == [] and h["plan"] is None
    table = run("history", "--data", TAICANG, "haiyundi", "--as-of", "2023-12-31", env={"COLUMNS": "400"}).stdout
    assert "海运堤社区（城厢镇）" in table and "历年评议" in table


def test_history_formats_carry_the_same_years(run):
    h = history_json(run, DATA, "hanjiaji")
    md = run("history", "--data", DATA, "hanjiaji", "--as-of", "2022-12-31", "--format", "markdown").stdout
    sheet = list(csv.reader(io.StringIO(run("history", "--data", DATA, "hanjiaji", "--format", "csv").stdout.lstrip("\ufeff"))))
    assert sheet[0][:3] == ["年度", "社区类型", "名次"]
    for y, row in zip(h["years"], sheet[1:]):
        assert row[0] == str(y["year"]) and row[2] == f"{y['rank']}/{y['ranked']}"
        assert f"| {y['year']} | 商品住宅型社区 | {y['rank']}/{y['ranked']} |" in md


def test_history_unknown_community(run):
    result = run("history", "--data", DATA, "不存在社区")
    assert result.exit_code == 2 and "没有名为“不存在社区”的社区" in result.stderr


# -- the report -------------------------------------------------------------------------------------


def test_report_shows_the_history_when_an_earlier_year_has_evaluations(run, tmp_path):
    page = run("report", "--data", DATA, "--year", "2022", "--as-of", "2022-12-31").stdout
    assert '<section id="history">' in page and "五、历年评议（2021–2022）" in page
    assert "2021 年的 9 个后进社区中，6 个在 2022 年晋位升级。" in page
    assert page.count('<div class="type-block"><h3>') >= 2 * 5  # the ranking's and the history's per type
    assert "韩家脊社区 2022 年：第 3 名↑晋位升级" in page  # the chart's cell titles
    first = run("report", "--data", DATA, "--year", "2021", "--as-of", "2021-12-31").stdout
    assert 'id="history"' not in first  # nothing before 2021


def test_report_history_on_taicang(run):
    page = run("report", "--data", TAICANG, "--year", "2023", "--as-of", "2023-12-31").stdout
    assert "2022 年的 8 个后进社区中，5 个在 2023 年晋位升级。" in page


def test_history_finds_reclassifications_in_the_repository(run, tmp_path, monkeypatch):
    import shutil

    from conftest import edit
    from test_diff import commit, git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(DATA, repo / "data")

    def dated(day: str) -> None:
        for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            monkeypatch.setenv(key, f"{day}T12:00:00+08:00")

    dated("2021-03-01")
    commit(repo, "base")
    communities = repo / "data" / "communities.yaml"
    before = "name: 绵山路社区\n    street: 涪江街道\n    type: 商品住宅型社区"
    edit(communities, before, before.replace("商品住宅型社区", "老旧院落型社区"))
    dated("2022-01-15")
    first = commit(repo, "绵山路社区改为老旧院落型")
    edit(communities, "type: 老旧院落型社区", "type: old-courtyard")  # the same type, written by its id
    dated("2022-02-01")
    commit(repo, "类型写 id")
    edit(communities, "type: old-courtyard", "type: 商品住宅型社区")  # not committed yet
    h = history_json(run, repo / "data", "绵山路社区")
    assert h["reclassifications"] == [
        {"date": "2022-01-15", "commit": first, "subject": "绵山路社区改为老旧院落型",
         "old": "商品住宅型社区", "new": "老旧院落型社区"},
        {"date": None, "commit": None, "subject": "", "old": "老旧院落型社区", "new": "商品住宅型社区"},
    ]
    # ranked each year by today's type; the type recorded on each evaluation date comes from the history
    assert [(y["year"], y["type"], y["recorded_type_then"]) for y in h["years"]] == [
        (2021, "商品住宅型社区", "商品住宅型社区"), (2022, "商品住宅型社区", "老旧院落型社区")]
    table = run("history", "--data", repo / "data", "mianshanlu", env={"COLUMNS": "400"}).stdout
    assert "类型调整（数据仓库的提交记录）" in table and "（未提交）" in table
    assert "商品住宅型社区（当时登记为老旧院落型社区）" in table


def test_history_outside_a_repository_says_so(run, data_copy, tmp_path):
    import shutil

    outside = tmp_path / "plain"
    shutil.copytree(data_copy, outside)
    h = history_json(run, outside, "绵山路社区")
    assert h["reclassifications"] is None
    assert "数据目录不在 git 仓库中" in run("history", "--data", outside, "绵山路社区", env={"COLUMNS": "400"}).stdout
