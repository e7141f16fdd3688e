"""What a browser submits for a form of a rendered page, read from the HTML as the browser
reads it (the selected option, the ticked boxes, a textarea's text with CR LF line ends),
so that a test posts exactly what an officer pressing "Save" would post."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_class: str):
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.in_form = False
        self.hidden_depth = 0  # inside <template>: not part of the form
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_class in (a.get("class") or "").split():
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.hidden_depth += 1
        if self.hidden_depth or "disabled" in a:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file") or "name" not in a:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            else:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and "name" in a:
            self.select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "textarea" and "name" in a:
            self.textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "template":
            self.hidden_depth -= 1
        elif tag == "form" and not self.hidden_depth:
            self.in_form = False
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and not self.select["multiple"] and options:
                chosen = options[:1]  # a select without a selected option shows its first
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self.select["name"], value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            text = text[1:] if text.startswith("\n") else text  # HTML drops the first newline
            text = text.replace("\r\n", "\n").replace("\r", "\n")  # the browser's value
            self.fields.append((self.textarea["name"], text.replace("\n", "\r\n")))
            self.textarea = None


def submitted(html: str, form_class: str = "household-form") -> dict[str, list[str]]:
    """name → values of the form whose class holds ``form_class``, as a browser posts it."""
    reader = _FormReader(form_class)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
