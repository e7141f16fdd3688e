import re
from pathlib import Path

import giamngheo.web

CATALOG = Path(giamngheo.web.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def test_every_interface_text_has_its_vietnamese_translation():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    untranslated = re.findall(r'msgid "(.+?)"\nmsgstr ""\n', text)
    assert untranslated == []
    assert "#, fuzzy" not in text
    mo = CATALOG / "django.mo"
    assert mo.stat().st_mtime >= (CATALOG / "django.po").stat().st_mtime - 1
