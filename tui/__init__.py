"""dprk-tui's user interface: the Textual browser and the typer command line.

Nothing here imports spaCy at launch; only `dprk-tui ingest` (through db.ingest) loads it.
"""
