"""`python -m zhili`."""

import sys

from zhili.cli.app import cli, main

if __name__ == "__main__":
    if getattr(sys.modules.get("__main__"), "__dict__", None) is globals():
        main()  # zhili is the program: it leaves without the interpreter's teardown, as the console script
    else:  # run by other code (runpy.run_module): SystemExit, so that the caller goes on
        cli.main(prog_name="zhili")
