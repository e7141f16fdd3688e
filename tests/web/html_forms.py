"""The fields a browser would send for a form of a page, read from its HTML (whatever the
form's shape): inputs, checked boxes and radios, selected options, text areas."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button",
                                                                         "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1].append((a["name"], a.get("value", "on")))
            else:
                self.forms[-1].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or \
                [v for v, _s in self._options[:1]]
            self.forms[-1] += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def form_fields(html: str, index: int = -1) -> dict[str, list[str]]:
    """The fields of the page's ``index``-th form (the last by default), as a browser
    submits them untouched."""
    parser = _Forms()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.forms[index]:
        fields.setdefault(name, []).append(value)
    return fields


def form_with(html: str, field: str) -> dict[str, list[str]]:
    """The fields of the page's form that has ``field``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field for name, _value in form):
            fields: dict[str, list[str]] = {}
            for name, value in form:
                fields.setdefault(name, []).append(value)
            return fields
    raise AssertionError(f"no form with {field}")
