"""Store: one published index generation on disk (generations, snapshot, SQLite passages, FAISS vectors, BM25)."""
