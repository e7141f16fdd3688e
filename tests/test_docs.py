"""The project's own documents state what the code implements: every record field, every
indicator of every bundled standard, every rule; and every message of the core exists in both
languages with the same fields."""

from __future__ import annotations

import string
from pathlib import Path

from giamngheo import record
from giamngheo.engine.rule import registered
from giamngheo.messages import LANGUAGES, MESSAGES
from giamngheo.rules.parameters import default_registry

DOCS = Path(__file__).parent.parent / "docs"


def test_the_record_format_states_every_declared_field_and_value():
    text = (DOCS / "record-format.md").read_text(encoding="utf-8")
    for f in record.FIELDS.values():
        written = (f"`{f.path}`", f"`{f.name}`", f"`.{f.name}`")  # `dwelling.walls`, `.roof`
        assert any(w in text for w in written), f.path
        for code in f.codes:
            assert f"`{code}`" in text, (f.path, code)


def test_the_rules_state_every_indicator_and_rule():
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for standard in default_registry():
        assert f"`{standard.id}`" in text
        for code in standard.codes:
            assert f"`{code}`" in text, (standard.id, code)
    for name in registered():
        assert f"`{name}`" in text, name


def test_every_message_in_both_languages_with_the_same_fields():
    registered()  # the rules' own texts join the catalogue
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        fields = [{n for _, n, _, _ in string.Formatter().parse(texts[lang]) if n}
                  for lang in LANGUAGES]
        assert all(f == fields[0] for f in fields), key
        assert all(t.strip() for t in texts.values()), key
