"""Errors the data layer raises with a one-line message fit to show a user as it is."""


class DprkError(Exception):
    """Base class: the message names the file or value and what is wrong."""


class StoreError(DprkError):
    """The store file is missing, unreadable, not SQLite, or of a schema this version cannot use."""


class IngestError(DprkError):
    """One input file could not be ingested; the message says why."""


class QueryError(DprkError):
    """A search or filter value cannot be used; the message says why."""
