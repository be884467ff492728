"""`python -m zhili`."""

from zhili.cli.app import main

if __name__ == "__main__":
    main()
