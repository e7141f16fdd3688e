"""The parts of the household list repeated row by row (50 households a page, up to a
province's communes in its filter), written by Python instead of the template's loops: the
very text the loops wrote (``tests/web/test_list_fragments.py`` compares them), without a
template's context, lookups and tags for each cell. Escaped as the template escapes
(``django.utils.html.escape``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..accounts.privacy import Disclosure
from .templatetags.giamngheo import classification_label


def list_rows(page, heads: dict, seen: Disclosure) -> SafeString:
    """The table's rows: code (a link to the household's page), head, the head's ID number
    as the user may see it, commune and hamlet, status."""
    not_reviewed = escape(gettext("not reviewed"))
    rows = []
    for h in page:
        head = heads.get(h.pk)
        status = h.current_status
        shown = f'<span class="badge {escape(status)}">{escape(classification_label(status))}' \
            '</span>' if status else f'<span\n      class="muted">{not_reviewed}</span>'
        place = escape(h.commune.name) + (f", {escape(h.hamlet.name)}" if h.hamlet else "")
        link = escape(reverse("households:detail", args=[h.code]))
        rows.append(
            f'\n  <tr><td class="code"><a href="{link}">{escape(h.code)}</a></td>\n'
            f'    <td>{escape((head.full_name if head else "") or "—")}</td>\n'
            f'    <td class="wide">{escape(seen.id_number(head, h))}</td>\n'
            f'    <td class="wide">{place}</td>\n'
            f"    <td>{shown}</td></tr>\n  ")
    return mark_safe("".join(rows))  # every value above is escaped


def commune_options(communes, selected: str) -> SafeString:
    """The filter's communes, each with its period; the chosen one selected."""
    return mark_safe("".join(  # every value is escaped
        f'<option value="{c.pk}" {"selected" if str(c.pk) == selected else ""}>'
        f"{escape(c.name)}\n      ({escape(c.period_label)})</option>" for c in communes))
