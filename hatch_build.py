"""Build zhili's optional native YAML reader (src/zhili/loading/_yamlfast.c, over libyaml).

hatchling runs this hook for every wheel, editable installs included (`pip install -e .`). Where a C
compiler and libyaml (Debian: libyaml-dev) are present the extension is compiled: into the source tree
for an editable install, into the wheel otherwise. Where they are not, the build says so in one line and
goes on: zhili then reads YAML with its pure-Python reader (the same values and diagnostics, slower).
Set ZHILI_BUILD_NATIVE=0 to skip the extension.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src") / "zhili" / "loading" / "_yamlfast.c"
NAME = "zhili.loading._yamlfast"


class NativeReaderHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or os.environ.get("ZHILI_BUILD_NATIVE", "1") == "0":
            return
        root = Path(self.root)
        with tempfile.TemporaryDirectory() as tmp:
            built = _compile(root, Path(tmp))
            if built is None:
                print("zhili: the native YAML reader was not built (no C compiler or no libyaml); "
                      "zhili uses its pure-Python reader", file=sys.stderr)
                return
            target = root / SOURCE.parent / built.name
            if version == "editable":
                # the editable install imports from src/; replaced in one step, never rewritten in place
                # (a running zhili may have the old file mapped)
                partial = target.with_name(target.name + ".partial")
                shutil.copyfile(built, partial)
                os.replace(partial, target)
            else:
                kept = root / "build" / "native" / built.name  # outlives the temporary directory
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(built, kept)
                build_data["force_include"][str(kept)] = f"zhili/loading/{built.name}"
                build_data["pure_python"] = False
                build_data["infer_tag"] = True


def _compile(root: Path, tmp: Path) -> Path | None:
    """The compiled extension, or None where it cannot be built (the build goes on without it)."""
    try:
        from setuptools import Distribution, Extension

        ext = Extension(NAME, sources=[str(SOURCE)], libraries=["yaml"], optional=True)
        dist = Distribution({"name": "zhili-native", "ext_modules": [ext], "script_name": "setup.py"})
        cmd = dist.get_command_obj("build_ext")
        cmd.build_lib = str(tmp / "lib")
        cmd.build_temp = str(tmp / "temp")
        cmd.inplace = False
        cwd = os.getcwd()
        os.chdir(root)
        try:
            cmd.ensure_finalized()
            cmd.run()
        finally:
            os.chdir(cwd)
        built = Path(cmd.get_ext_fullpath(NAME))
        return built if built.exists() else None
    except Exception as exc:  # noqa: BLE001 - any failure leaves zhili on its pure-Python reader
        print(f"zhili: building the native YAML reader failed: {exc}", file=sys.stderr)
        return None
