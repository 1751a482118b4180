"""dprk-tui's tests (a package so `python -m tests.screenshots` can reuse the fixtures' builder)."""
