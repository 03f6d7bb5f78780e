"""Thin entry point: `python build.py ARGS` is the same as `decisionaid ARGS`."""

from decisionaid.cli import main

if __name__ == "__main__":
    main()
