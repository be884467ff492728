"""A long fuzz run of the loader and of `zhili validate` (issue 8), for when there is time to spare.

    python bench/fuzz.py [EXAMPLES]        # default 5000

Runs the `slow` tests of tests/test_fuzz.py with ZHILI_FUZZ_EXAMPLES=EXAMPLES: random damage to the
bundled data must end in exit 0 or 1 with placed errors, never a traceback. The exit code is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "5000"
    if not examples.isdigit():
        print("用法：python bench/fuzz.py [样例数]", file=sys.stderr)
        return 2
    env = {**os.environ, "ZHILI_FUZZ_EXAMPLES": examples}
    test = str(ROOT / "tests" / "test_fuzz.py")
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-m", "slow", test], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
