"""Retrieval Q&A over a folder of health articles: index, search, answer.

The public API is ``Engine`` (see ``engine.py``); the CLI (``cli.py``) and the
Streamlit app (``app.py``) are thin skins over it.
"""
from .engine import Engine, Stats
from .errors import RetrievalError
from .records import Answer, Article, Chunk, Hit
from .settings import Settings

__all__ = ["Engine", "Stats", "RetrievalError", "Answer", "Article", "Chunk", "Hit", "Settings"]
