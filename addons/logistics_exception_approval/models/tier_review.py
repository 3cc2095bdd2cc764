# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class TierReview(models.Model):
    _inherit = "tier.review"

    def _get_reviewers(self):
        """Nobody reviews a request of the suite they made, and only people of
        the request's company review it."""
        reviewers = super()._get_reviewers()
        if (
            self.model
            in self.env["logistics.approval.mixin"]._logistics_approval_models()
        ):
            request = self.env[self.model].sudo().browse(self.res_id)
            reviewers = reviewers.filtered(
                lambda user: request.company_id in user.company_ids
            )
            reviewers -= self.requested_by
        return reviewers
