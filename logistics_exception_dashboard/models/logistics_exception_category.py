# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
# What a recurring pattern may share besides the category (see
# logistics.exception._review_dimension_sql for how each is read).
REVIEW_DIMENSIONS = ("vendor", "product", "location", "route", "customer")


class LogisticsExceptionCategory(models.Model):
    _inherit = "logistics.exception.category"

    review_active = fields.Boolean(
        string="Review Recurring Patterns",
        default=True,
        help="The weekly review opens a process review when exceptions of this "
        "category keep coming back with the same vendor, product, location, "
        "route or customer.",
    )
    review_threshold = fields.Integer(
        string="Review Above",
        default=3,
        help="A process review opens when more than this many exceptions of the "
        "category share a vendor, product, location, route or customer within "
        "the review window.",
    )
    review_window_days = fields.Integer(
        string="Review Window (days)",
        default=30,
        help="How many days back the review counts the exceptions.",
    )
    review_by_vendor = fields.Boolean(
        string="Same Vendor",
        default=True,
        help="The vendor of the purchase order, else the partner of the receipt.",
    )
    review_by_product = fields.Boolean(string="Same Product", default=True)
    review_by_location = fields.Boolean(string="Same Location", default=True)
    review_by_route = fields.Boolean(
        string="Same Route",
        default=True,
        help="The operation type of the transfer (e.g. WH: Receipts, WH: "
        "Delivery Orders): the way the goods take through the warehouse.",
    )
    review_by_customer = fields.Boolean(string="Same Customer", default=True)
    review_open_count = fields.Integer(
        string="Open Process Reviews",
        compute="_compute_review_open_count",
        help="Process reviews of this category's recurring patterns still open.",
    )

    def _compute_review_open_count(self):
        counts = dict.fromkeys(self.ids, 0)
        for review in self.env["logistics.exception"].search(
            [*self._get_review_domain(), ("is_open", "=", True)]
        ):
            parts = review.source_key.split(":")
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) in counts:
                counts[int(parts[1])] += 1
        for category in self:
            category.review_open_count = counts.get(category.id, 0)

    def _get_review_domain(self):
        """The process reviews of these categories' patterns."""
        review_category = self._get_review_category()
        return expression.AND(
            [
                [("category_id", "=", review_category.id)],
                expression.OR(
                    [("source_key", "=like", f"review:{category.id}:%")]
                    for category in self
                ),
            ]
        )

    def action_open_reviews(self):
        self.ensure_one()
        return self.env["logistics.exception"]._get_list_action(
            _("Process Reviews of %(category)s", category=self.display_name),
            self._get_review_domain(),
        )

    @api.constrains(
        "review_active",
        "review_threshold",
        "review_window_days",
        *(f"review_by_{dimension}" for dimension in REVIEW_DIMENSIONS),
    )
    def _check_review_settings(self):
        for category in self.filtered("review_active"):
            if category.review_threshold < 1:
                raise ValidationError(
                    _(
                        "Category %(category)s: the review needs at least one "
                        "exception to count (Review Above is %(threshold)s). Set "
                        "1 or more, or stop reviewing this category.",
                        category=category.display_name,
                        threshold=category.review_threshold,
                    )
                )
            if category.review_window_days < 1:
                raise ValidationError(
                    _(
                        "Category %(category)s: the review window must be at "
                        "least one day.",
                        category=category.display_name,
                    )
                )
            if not category._get_review_dimensions():
                raise ValidationError(
                    _(
                        "Category %(category)s: choose what a recurring pattern "
                        "shares (vendor, product, location, route or customer), "
                        "or stop reviewing this category.",
                        category=category.display_name,
                    )
                )

    @api.model
    def _get_review_category(self):
        """The shipped category of the process reviews (empty if deleted)."""
        category = self.env.ref(
            "logistics_exception_dashboard.category_process_review",
            raise_if_not_found=False,
        )
        return category if category and category.active else self.browse()

    def _get_review_dimensions(self):
        self.ensure_one()
        return [
            dimension
            for dimension in REVIEW_DIMENSIONS
            if self[f"review_by_{dimension}"]
        ]

    def action_review_recurring_patterns(self):
        """Run the recurring-pattern review of these categories now, in the
        companies the manager works in, and show the reviews it opened."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                _("Only logistics exception managers can run the review.")
            )
        categories = self.filtered("review_active")
        if not categories:
            raise UserError(
                _(
                    "None of these categories is reviewed: tick Review Recurring "
                    "Patterns on the category first."
                )
            )
        reviews = self.env["logistics.exception"]._review_recurring_patterns(
            categories, self.env.companies
        )
        if not reviews:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": _("No recurring pattern found."),
                    "sticky": False,
                },
            }
        return self.env["logistics.exception"]._get_list_action(
            _("Process Reviews"), [("id", "in", reviews.ids)]
        )
