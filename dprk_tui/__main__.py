"""`python -m dprk_tui`: the same command line as `dprk-tui`."""

from dprk_tui.tui.cli import main

if __name__ == "__main__":
    main()
