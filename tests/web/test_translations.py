import gettext
import re
from pathlib import Path

import giamngheo.web

CATALOG = Path(giamngheo.web.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def test_every_interface_text_has_its_vietnamese_translation():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    assert re.findall(r'msgid "(.+?)"\nmsgstr ""\n', text) == []
    assert "#, fuzzy" not in text
    # the compiled catalogue Django reads holds the same translations
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in re.findall(r'msgid "(.+?)"\nmsgstr "(.+?)"\n', text):
        assert compiled.gettext(msgid) == msgstr
