"""Extraction: spaCy + the actor dictionary turn clean article text into mentions, actors and relations.

Only ingest imports this package (it pulls in spaCy); the browser never does.
Domain knowledge lives in data files under `data/` (actors, titles, relation triggers).
"""
