import gettext
import json
import re
from pathlib import Path

import giamngheo.web

CATALOG = Path(giamngheo.web.__file__).parent / "locale" / "vi" / "LC_MESSAGES"
STRING = r'"(?:[^"\\]|\\.)*"'
BLOCK = rf"(?:{STRING}\n)+"


def _join(block: str) -> str:
    return "".join(json.loads(s) for s in re.findall(STRING, block))


def entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, continuation lines joined."""
    pattern = re.compile(rf"^msgid ({BLOCK})msgstr ({BLOCK})", re.MULTILINE)
    return [(_join(a), _join(b)) for a, b in pattern.findall(text)]


def plural_entries(text: str) -> list[tuple[str, str, str]]:
    """(msgid, msgid_plural, msgstr[0]) of a .po file: Vietnamese has one plural form."""
    pattern = re.compile(rf"^msgid ({BLOCK})msgid_plural ({BLOCK})msgstr\[0\] ({BLOCK})",
                         re.MULTILINE)
    return [(_join(a), _join(b), _join(c)) for a, b, c in pattern.findall(text)]


def test_every_interface_text_has_its_vietnamese_translation():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    every = entries(text)  # with the header's
    pairs = [(msgid, msgstr) for msgid, msgstr in every if msgid]
    plurals = plural_entries(text)
    assert len(pairs) > 100 and len(plurals) > 10
    assert len(every) + len(plurals) == len(re.findall("^msgid ", text, re.MULTILINE))
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []
    assert [msgid for msgid, _plural, msgstr in plurals if not msgstr] == []
    assert "#, fuzzy" not in text
    # the compiled catalogue Django reads holds the same translations
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in pairs:
        assert compiled.gettext(msgid) == msgstr
    for msgid, plural, msgstr in plurals:
        assert compiled.ngettext(msgid, plural, 1) == compiled.ngettext(msgid, plural, 5) == msgstr
