"""What a command imports before it works: only what it uses (issue 18, start-up).

These look at `sys.modules` in a fresh process after the command ran: behaviour, not timing.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import DATA

from zhili.loading import yamlread

PROBE = ("import sys, runpy; sys.argv = ['zhili', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('zhili', run_name='__main__')\nexcept SystemExit:\n    pass\n"
         "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'yaml', 'pydantic'})), file=sys.stderr)")


def imported(*args: str, **env: str) -> tuple[str, set[str]]:
    """The command's stdout, and which of rich, PyYAML and pydantic it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env={**os.environ, "ZHILI_NO_CACHE": "1", **env})
    return done.stdout, set(done.stderr.strip().splitlines()[-1].split())


def test_validate_imports_no_rich_and_pyyaml_only_for_the_python_reader():
    out, default = imported("validate", "--data", str(DATA), ZHILI_READER="")  # the default, whatever the suite runs with
    assert out.startswith("校验通过")
    assert "rich" not in default and "pydantic" in default
    # the native reader reads the bundled data itself; PyYAML is imported only where the pure-Python reader runs
    assert ("yaml" in default) == (yamlread._native is None)
    out, python = imported("validate", "--data", str(DATA), ZHILI_READER="python")
    assert out.startswith("校验通过")
    assert python == {"pydantic", "yaml"}


def test_zhilis_default_factories_are_plain_functions():
    """pydantic asks every default factory for its signature; for a builtin such as `list` it parses the
    builtin's text signature with the tokenizer (some 30 ms of every start over two dozen fields)."""
    import inspect

    from zhili.loading.layout import SPECS

    seen: set[type] = set()
    stack = [spec.model for spec in SPECS]
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            if info.default_factory is not None:
                assert inspect.isfunction(info.default_factory), f"{model.__name__}.{name}: {info.default_factory!r}"
        for info in model.model_fields.values():
            stack.extend(_models_in(info.annotation))
    assert len(seen) > 20


def _models_in(annotation) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in get_args(annotation):
        found.extend(_models_in(arg))
    return found
