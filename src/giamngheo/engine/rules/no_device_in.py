"""Information assets (phương tiện phục vụ tiếp cận thông tin): the household has none of the
``devices``."""

from __future__ import annotations

import polars as pl

from ... import record
from ...messages import label, text
from ..exprs import message
from ..indicators import Situation
from ..rule import Aggregate, HouseholdRule, Params, Tri, register, values_in

c = pl.col
MESSAGES = {
    "information_assets": {
        "vi": "hộ không có phương tiện tiếp cận thông tin nào ({devices})",
        "en": "the household has none of the information devices ({devices})"},
}


@register
class NoDeviceIn(HouseholdRule):
    name = "no_device_in"
    params = ("devices",)
    messages = MESSAGES
    fields = ("information.devices",)

    def check_params(self, p: Params) -> list[str]:
        return values_in(p["devices"], record.DEVICE.codes, "devices")

    def value(self, s: Situation, p: Params) -> Tri:
        devices = (s.record.get("information") or {}).get("devices")
        return None if devices is None else not any(d in p["devices"] for d in devices)

    def _devices(self, p: Params, lang: str) -> str:
        return ", ".join(label(d, lang, "device") for d in p["devices"])

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        return text("information_assets", lang, devices=self._devices(p, lang))

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        return ~c("information_devices").list.eval(pl.element().is_in(p["devices"])).list.any()

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        return message("information_assets", lang, devices=self._devices(p, lang))
