"""The parts of the household list repeated row by row (50 households a page, up to a
province's communes in its filter), written by Python instead of the template's loops: the
very text the loops wrote (``tests/web/test_list_fragments.py`` compares them), without a
template's context, lookups and tags for each cell. Escaped as the template escapes (Django's
``escape`` is ``html.escape`` of the text), without Django's lazy wrapper for each value."""

from __future__ import annotations

import html
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..accounts.privacy import Disclosure
from .templatetags.giamngheo import CLASSIFICATIONS


def _e(value) -> str:
    return html.escape(str(value))


class DetailLinks:
    """``reverse("households:detail", args=[code])`` for the codes of a page: the path around
    the code reversed once, the code quoted as ``reverse`` quotes it; a code ``reverse`` would
    refuse (empty, or with a slash) is left to it."""

    MARK = "0"

    def __init__(self) -> None:
        self.before, self.after = reverse("households:detail",
                                          args=[self.MARK]).rsplit(self.MARK, 1)

    def __call__(self, code: str) -> str:
        if not code or "/" in code:
            return reverse("households:detail", args=[code])
        return self.before + quote(code, safe=RFC3986_SUBDELIMS + "/~:@") + self.after


def list_rows(page, heads: dict, seen: Disclosure) -> SafeString:
    """The table's rows: code (a link to the household's page), head, the head's ID number
    as the user may see it, commune and hamlet, status."""
    not_reviewed = f'<span\n      class="muted">{_e(gettext("not reviewed"))}</span>'
    badges: dict[str, str] = {}  # status → its badge, translated once a page
    link = DetailLinks()
    rows = []
    for h in page:
        head = heads.get(h.pk)
        status = h.current_status
        if status and status not in badges:
            badges[status] = f'<span class="badge {_e(status)}">' \
                f'{_e(CLASSIFICATIONS.get(status, status))}</span>'
        hamlet = h.hamlet
        place = _e(h.commune.name) + (f", {_e(hamlet.name)}" if hamlet else "")
        rows.append(
            f'\n  <tr><td class="code"><a href="{_e(link(h.code))}">{_e(h.code)}</a></td>\n'
            f'    <td>{_e((head.full_name if head else "") or "—")}</td>\n'
            f'    <td class="wide">{_e(seen.id_number(head, h))}</td>\n'
            f'    <td class="wide">{place}</td>\n'
            f"    <td>{badges[status] if status else not_reviewed}</td></tr>\n  ")
    return mark_safe("".join(rows))  # every value above is escaped


def commune_options(communes, selected: str) -> SafeString:
    """The filter's communes, each with its period; the chosen one selected."""
    return mark_safe("".join(  # every value is escaped
        f'<option value="{c.pk}" {"selected" if str(c.pk) == selected else ""}>'
        f"{_e(c.name)}\n      ({_e(c.period_label)})</option>" for c in communes))
