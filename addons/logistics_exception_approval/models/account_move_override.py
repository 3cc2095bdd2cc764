# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _logistics_approval_amount(self):
        """What a billing-hold override puts at stake, in the company's
        currency: the invoice's total."""
        self.ensure_one()
        return abs(self.amount_total_signed)
