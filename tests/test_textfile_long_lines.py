"""The long-line pre-check agrees with the plain search at every boundary (it only decides when to search)."""

from __future__ import annotations

import pytest

from zhili.loading import textfile

M = textfile.MAX_LINE_CHARS


@pytest.mark.parametrize("text", [
    "a: " + "x" * (M + 10) + "\n",
    "a\n" * 1000,
    ("b" * (M - 5) + "\n") * 3,
    "b" * (M - 5) + "\n" + "c" * (M + 1),
    "c" * M,
    "c" * (M + 1),
    "x\n" + "c" * M + "\n",
    "x\n" + "c" * (M + 1) + "\n",
    "名" * (M + 1),
])
def test_pre_check_matches_the_search(text):
    assert textfile._may_have_long_line(text) == bool(textfile._LONG_LINE.search(text))


def test_a_long_last_line_is_reported(run, data_copy):
    with open(data_copy / "units.yaml", "a", encoding="utf-8") as fh:
        fh.write("# " + "长" * (M + 1))
    result = run("validate", "--data", data_copy, "--format", "json")
    import json

    errors = json.loads(result.output)["errors"]
    assert result.exit_code == 1
    assert [e["code"] for e in errors] == ["ZL118"]
    assert errors[0]["line"] == len((data_copy / "units.yaml").read_text(encoding="utf-8").splitlines())
