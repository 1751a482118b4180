"""The store's read queries, one module per subject (documents, relations, actors), composed by
`db.store.Store`. Every list is read a page at a time with keyset pagination (`paging`), through
indexes; nothing here imports textual."""
