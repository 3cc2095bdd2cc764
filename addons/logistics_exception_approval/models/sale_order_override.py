# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _logistics_approval_amount(self):
        """What a credit release puts at stake, in the company's currency:
        the order's total (at the rate of its date)."""
        self.ensure_one()
        company = self.company_id
        return self.currency_id._convert(
            self.amount_total,
            company.currency_id,
            company,
            self.date_order or fields.Date.context_today(self),
        )
