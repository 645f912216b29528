"""Ingest: article files to ``Article`` records to passages (loaders, sentences, chunking, uploads)."""
