from odoo import _, fields, models


class LogisticsExceptionSourceMixin(models.AbstractModel):
    """Documents on which an exception can be reported (transfers, orders,
    invoices). Inheriting models set ``_logistics_exception_field``, the
    ``logistics.exception`` field that points back to them."""

    _name = "logistics.exception.source.mixin"
    _description = "Document with Logistics Exceptions"
    _logistics_exception_field = None

    logistics_exception_count = fields.Integer(
        string="Exceptions",
        compute="_compute_logistics_exception_count",
        groups="logistics_exception.logistics_exception_group_user",
    )
    logistics_exception_open_count = fields.Integer(
        string="Open Exceptions",
        compute="_compute_logistics_exception_count",
        groups="logistics_exception.logistics_exception_group_user",
    )

    def _compute_logistics_exception_count(self):
        field = self._logistics_exception_field
        groups = self.env["logistics.exception"]._read_group(
            [(field, "in", self.ids)],
            groupby=[field, "is_open"],
            aggregates=["__count"],
        )
        total = dict.fromkeys(self.ids, 0)
        still_open = dict.fromkeys(self.ids, 0)
        for record, is_open, count in groups:
            total[record.id] += count
            if is_open:
                still_open[record.id] += count
        for record in self:
            record.logistics_exception_count = total.get(record.id, 0)
            record.logistics_exception_open_count = still_open.get(record.id, 0)

    def _get_logistics_exception_defaults(self):
        """Values proposed to a new exception reported on this document.
        Override me to add context (warehouse, product, category...)."""
        self.ensure_one()
        values = {
            self._logistics_exception_field: self.id,
            "company_id": self.company_id.id,
            "source_ref": f"{self._name},{self.id}",
            "detected_by": "manual",
        }
        if self.partner_id:
            values["partner_id"] = self.partner_id.id
        return values

    def action_report_logistics_exception(self):
        """Open a new exception pre-filled from this document."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        context = {
            f"default_{key}": value
            for key, value in self._get_logistics_exception_defaults().items()
        }
        return {
            "type": "ir.actions.act_window",
            "name": _("Report Exception"),
            "res_model": "logistics.exception",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    def action_view_logistics_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        field = self._logistics_exception_field
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {
            f"default_{key}": value
            for key, value in self._get_logistics_exception_defaults().items()
        }
        return action
