# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError

# Marks the review steps of the tier mechanism itself (request, validate,
# reject). A Python object, not a value: a context sent over RPC (JSON)
# cannot carry it.
REVIEWING = object()


class TierReview(models.Model):
    _inherit = "tier.review"

    def _get_reviewers(self):
        """Nobody reviews a request of the suite they made, and only people of
        the request's company review it."""
        reviewers = super()._get_reviewers()
        if self.model in self._logistics_approval_models():
            request = self.env[self.model].sudo().browse(self.res_id)
            reviewers = reviewers.filtered(
                lambda user: request.company_id in user.company_ids
            )
            reviewers -= self.requested_by
        return reviewers

    @api.model
    def _logistics_approval_models(self):
        return self.env["logistics.approval.mixin"]._logistics_approval_models()

    def _logistics_guarded(self):
        models_ = self._logistics_approval_models()
        return self.filtered(lambda review: review.model in models_)

    @api.model
    def _logistics_reviewing(self):
        return self.env.su or self.env.context.get("logistics_tier_reviewing") is (
            REVIEWING
        )

    def _logistics_refuse(self):
        raise AccessError(
            _(
                "The reviews of an approval request change only through its "
                "Validate and Reject buttons."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Base_tier_validation lets every employee write reviews; the suite's
        # reviews are made by its requests only.
        models_ = self._logistics_approval_models()
        if not self._logistics_reviewing() and any(
            vals.get("model") in models_ for vals in vals_list
        ):
            self._logistics_refuse()
        return super().create(vals_list)

    def write(self, vals):
        guarded = self._logistics_guarded()
        if guarded and not self._logistics_reviewing():
            # The comment wizard writes the reviewer's comment on their own
            # open reviews before validating or rejecting them.
            own_comment = set(vals) == {"comment"} and all(
                self.env.user in review.reviewer_ids
                and review.status in ("waiting", "pending")
                for review in guarded
            )
            # Base_tier_validation's computes move the next reviews from
            # "waiting" to "pending" (their turn) whenever they are read.
            turn = vals == {"status": "pending"} and all(
                review.status in ("waiting", "pending") for review in guarded
            )
            if not (own_comment or turn):
                self._logistics_refuse()
        return super().write(vals)

    def unlink(self):
        if self._logistics_guarded() and not self._logistics_reviewing():
            self._logistics_refuse()
        return super().unlink()
