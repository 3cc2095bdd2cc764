# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """Vendor scorecard: the exceptions of the vendor's purchase orders and
    receipts in the current company, against its validated receipts."""

    _name = "res.partner"
    _inherit = ["res.partner", "logistics.exception.scorecard.mixin"]

    @api.depends_context("company", "logistics_exception_scorecard_days")
    def _compute_logistics_scorecard(self):
        scorecard = self.env["logistics.exception.scorecard"]
        company = self.env.company
        vendor_ids = [
            partner_id
            for partner_id in self.commercial_partner_id.ids
            if isinstance(partner_id, int)
        ]
        vendor_sql = self.env["logistics.exception"]._review_dimension_sql()["vendor"]
        figures = scorecard._exception_figures(vendor_sql, vendor_ids, company.ids)
        receipts = scorecard._transfer_counts(
            SQL("rp.commercial_partner_id"), vendor_ids, company.ids, "incoming"
        )
        for partner in self:
            vendor_id = partner.commercial_partner_id.id
            self._set_logistics_scorecard(
                partner, company, figures.get(vendor_id, {}), receipts.get(vendor_id, 0)
            )

    def action_open_logistics_scorecard(self):
        return self._get_logistics_scorecard_action(
            _("Vendor Scorecard"),
            "logistics_exception_dashboard.res_partner_view_form_logistics_scorecard",
        )

    def action_open_logistics_exceptions(self):
        self.ensure_one()
        vendor = self.commercial_partner_id
        return self._get_logistics_exceptions_action(
            _("Exceptions of %(vendor)s", vendor=vendor.display_name),
            [
                ("company_id", "=", self.env.company.id),
                ("vendor_id", "=", vendor.id),
            ],
        )
