"""Counts stated in inspection/supervision review reports ("kiểm tra 57.486 tổ chức đảng …").

    from crawler.figures import extract_figures
    extract_figures(text: str, report_year: int | None = None) -> list[dict]

Pure functions; the vocabulary (verbs → metrics, subjects, qualifiers, number words, actors,
periods) is data in lexicon.toml.
"""

from .extract import METRICS, QUALIFIERS, SUBJECTS, extract_figures, fold, load_lexicon, split_sentences

__all__ = ["extract_figures", "fold", "load_lexicon", "split_sentences", "METRICS", "SUBJECTS", "QUALIFIERS"]
