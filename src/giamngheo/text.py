"""Text helpers for Vietnamese: searching "nguyen van an" finds "Nguyễn Văn An"."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})


@lru_cache(maxsize=65536)  # workbooks repeat the same few words in every row
def fold(text: str) -> str:
    """Lower case without tone marks or diacritics, spaces collapsed: the search key."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def search_words(text: str) -> str:
    """The folded words of ``text``, one space apart: punctuation and dashes separate words,
    so "TP-26131-0012" and "tp 26131 0012" are the same search."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))

