"""Serve: the faces many people use at once (the chat server launcher, the corpus watcher)."""
