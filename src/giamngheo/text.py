"""Text helpers for Vietnamese: searching "nguyen van an" finds "Nguyễn Văn An"."""

from __future__ import annotations

import unicodedata

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case without tone marks or diacritics, spaces collapsed: the search key."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())
