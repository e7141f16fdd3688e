"""The templates stay readable: no line over 160 characters (Django templates and the Jinja2
widget templates alike)."""

from pathlib import Path

import giamngheo

SOURCE = Path(giamngheo.__file__).parent
LIMIT = 160


def test_no_template_line_is_over_160_characters():
    templates = sorted(SOURCE.rglob("*.html"))
    assert len(templates) > 40
    assert any("jinja2" in t.parts for t in templates)
    long_lines = [f"{t.relative_to(SOURCE)}:{n}: {len(line)}"
                  for t in templates
                  for n, line in enumerate(t.read_text(encoding="utf-8").splitlines(), 1)
                  if len(line) > LIMIT]
    assert long_lines == []
