"""Recognising year-end inspection and supervision review reports (pure, no I/O but data files).

    from crawler.report import recognise
    recognise(title, text, published, source) -> dict

Rules live as data: lexicon.toml (cues, weights, organiser patterns) and
gazetteer.toml (provinces, the 2025 merger map); the logic is in recognise.py.
"""

from .recognise import DOC_TYPES, recognise

__all__ = ["recognise", "DOC_TYPES"]
