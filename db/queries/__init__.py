"""The store's read queries: one query object per subject (documents, search, relations, evidence,
actors, co-mentions), each holding the one `reader.Reader` (connection and lock) that `db.store.Store`
owns; an object that needs another's rows holds that object too (search and co-mentions hold the
documents, actors the relations). Every list is read a page at a time with keyset pagination
(`paging`), through indexes; nothing here imports textual."""
