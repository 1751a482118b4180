"""dprk-tui's data layer: ingest articles, extract actors and relations, and read the SQLite store.

This package never imports textual or the `tui` package; the store is the contract between them.
"""
