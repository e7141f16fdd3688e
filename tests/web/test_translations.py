import gettext
import json
import re
from pathlib import Path

import giamngheo.web

CATALOG = Path(giamngheo.web.__file__).parent / "locale" / "vi" / "LC_MESSAGES"
STRING = r'"(?:[^"\\]|\\.)*"'


def entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, continuation lines joined."""
    pattern = re.compile(rf"msgid ((?:{STRING}\n)+)msgstr ((?:{STRING}\n)+)")
    join = lambda block: "".join(json.loads(s) for s in re.findall(STRING, block))  # noqa: E731
    return [(join(a), join(b)) for a, b in pattern.findall(text)]


def test_every_interface_text_has_its_vietnamese_translation():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    pairs = [(msgid, msgstr) for msgid, msgstr in entries(text) if msgid]
    assert len(pairs) > 100
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []
    assert "#, fuzzy" not in text
    # the compiled catalogue Django reads holds the same translations
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in pairs:
        assert compiled.gettext(msgid) == msgstr
