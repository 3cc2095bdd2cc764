# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

REVIEW_KEY_PREFIX = "review"


class LogisticsExceptionReviewMixin(models.AbstractModel):
    """The recurring-pattern review: exceptions of one category that keep
    coming back with the same vendor, product, location, route or customer
    open one "process review" exception, their parent. Written for
    ``logistics.exception``, which inherits it."""

    _name = "logistics.exception.review.mixin"
    _description = "Logistics Exception Recurring-Pattern Review"

    is_process_review = fields.Boolean(
        compute="_compute_is_process_review",
        help="Opened by the recurring-pattern review; its consequences are the "
        "occurrences of the pattern.",
    )

    def _compute_is_process_review(self):
        category = self.env["logistics.exception.category"]._get_review_category()
        for exception in self:
            exception.is_process_review = bool(
                category and exception.category_id == category
            )

    @api.model
    def _get_list_action(self, name, domain):
        """The exceptions' window action on ``domain``, opening on the list."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        views = action.get("views") or []
        views = [view for view in views if view[1] == "tree"] + [
            view for view in views if view[1] != "tree"
        ]
        action.update(
            {
                "name": name,
                "domain": domain,
                "context": {"create": False},
                "views": views,
                "view_mode": ",".join(view_type for _id, view_type in views),
            }
        )
        return action

    # ------------------------------------------------------------------
    # The review
    # ------------------------------------------------------------------
    @api.model
    def _cron_review_recurring_patterns(self):
        """Weekly: every reviewed category in every company."""
        categories = (
            self.env["logistics.exception.category"]
            .with_context(active_test=True)
            .search([("review_active", "=", True)])
        )
        companies = self.env["res.company"].search([])
        reviews = self._review_recurring_patterns(categories, companies)
        _logger.info(
            "Recurring-pattern review: %d process review(s) opened or updated.",
            len(reviews),
        )
        return reviews

    @api.model
    def _review_recurring_patterns(self, categories, companies):
        """Open a process review for each recurring pattern of ``categories``
        in ``companies``; an open review of the same pattern gets the new
        occurrences instead. Returns the reviews opened or updated."""
        review_category = self.env[
            "logistics.exception.category"
        ]._get_review_category()
        if not review_category:
            raise UserError(
                _(
                    "The Process Review category is missing or archived: restore "
                    "it (Configuration ‣ Categories) so that the review can open "
                    "process reviews."
                )
            )
        categories = (categories - review_category).filtered("review_active")
        if not categories or not companies:
            return self.browse()
        patterns = self._review_find_patterns(categories, companies)
        if not patterns:
            return self.browse()
        return self._review_apply_patterns(patterns, review_category)

    @api.model
    def _review_dimension_sql(self):
        """The value of each dimension of an exception ``e``, given the joins
        of ``_review_find_patterns``. Override me to read them elsewhere.

        - vendor, product, location, customer: the exception's own fields
          (the vendor is the supplier at stake, see ``_get_vendor``);
        - route: the operation type of the transfer.
        """
        return {
            "vendor": SQL("e.vendor_id"),
            "product": SQL("e.product_id"),
            "location": SQL("e.location_id"),
            "route": SQL("review_picking.picking_type_id"),
            "customer": SQL("e.customer_id"),
        }

    @api.model
    def _review_from_sql(self):
        """The exceptions ``e`` with what their dimensions are read from."""
        return SQL(
            """
            logistics_exception e
            LEFT JOIN stock_picking review_picking
                   ON review_picking.id = e.picking_id
            """
        )

    @api.model
    def _review_find_patterns(self, categories, companies):
        """One grouped query: (company id, category id, dimension, value id,
        occurrence ids) for every pattern above its category's threshold.

        An occurrence is an exception of the category, detected within the
        category's window, not cancelled, archived or already linked to
        another exception (a consequence counts through its root, a reviewed
        occurrence through its review)."""
        expressions = self._review_dimension_sql()
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s)",
                dimension,
                expression,
                SQL.identifier("c", f"review_by_{dimension}"),
            )
            for dimension, expression in expressions.items()
        )
        now = fields.Datetime.now()
        query = SQL(
            """
            SELECT e.company_id, c.id, d.dimension, d.value_id,
                   array_agg(e.id ORDER BY e.date_detected, e.id)
              FROM %(from)s
              JOIN logistics_exception_category c ON c.id = e.category_id
             CROSS JOIN LATERAL (VALUES %(values)s)
                   AS d(dimension, value_id, enabled)
             WHERE c.id IN %(categories)s
               AND c.review_active
               AND d.enabled
               AND d.value_id IS NOT NULL
               AND e.company_id IN %(companies)s
               AND e.active
               AND e.state != 'cancelled'
               AND e.parent_id IS NULL
               AND e.date_detected > %(now)s
                   - make_interval(days => c.review_window_days)
             GROUP BY e.company_id, c.id, d.dimension, d.value_id
            HAVING count(*) > c.review_threshold
             ORDER BY e.company_id, c.id, d.dimension, d.value_id
            """,
            **{
                "from": self._review_from_sql(),
                "values": values,
                "categories": tuple(categories.ids),
                "companies": tuple(companies.ids),
                "now": now,
            },
        )
        self.flush_model()
        self.env["logistics.exception.category"].flush_model()
        self.env["stock.picking"].flush_model(["picking_type_id", "partner_id"])
        self.env["purchase.order"].flush_model(["partner_id"])
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    @api.model
    def _review_source_key(self, category_id, dimension, value_id):
        return f"{REVIEW_KEY_PREFIX}:{category_id}:{dimension}:{value_id}"

    @api.model
    def _review_apply_patterns(self, patterns, review_category):
        """Link each pattern's occurrences to its open review, or open one."""
        keys = {
            (company_id, self._review_source_key(category_id, dimension, value_id))
            for company_id, category_id, dimension, value_id, _ids in patterns
        }
        open_reviews = {
            (review.company_id.id, review.source_key): review
            for review in self.with_context(active_test=False).search(
                [
                    ("source_key", "in", [key for _company, key in keys]),
                    ("company_id", "in", list({company for company, _key in keys})),
                    ("is_open", "=", True),
                ]
            )
        }
        categories = self.env["logistics.exception.category"].browse(
            {pattern[1] for pattern in patterns}
        )
        companies = self.env["res.company"].browse({pattern[0] for pattern in patterns})
        names = self._review_value_names(patterns)
        to_link = []
        create_vals = []
        # An exception has one parent: an occurrence shared by two patterns
        # (same product and same vendor) goes to the larger one, and a pattern
        # left at or under its threshold without it opens no review.
        claimed = set()
        for company_id, category_id, dimension, value_id, ids in sorted(
            patterns, key=lambda pattern: (-len(pattern[4]), pattern[:4])
        ):
            key = self._review_source_key(category_id, dimension, value_id)
            occurrences = self.browse([id_ for id_ in ids if id_ not in claimed])
            review = open_reviews.get((company_id, key))
            if not occurrences or (
                not review
                and len(occurrences) <= categories.browse(category_id).review_threshold
            ):
                continue
            claimed.update(occurrences.ids)
            if review:
                to_link.append((review, occurrences))
                continue
            create_vals.append(
                self._review_prepare_vals(
                    categories.browse(category_id),
                    companies.browse(company_id),
                    dimension,
                    value_id,
                    names.get((dimension, value_id), str(value_id)),
                    occurrences,
                    review_category,
                    key,
                )
            )
            to_link.append((None, occurrences))
        created = iter(self.create(create_vals))
        reviews = self.browse()
        for review, occurrences in to_link:
            is_new = review is None
            if is_new:
                review = next(created)
            occurrences.write({"parent_id": review.id})
            if not is_new:
                review.message_post(
                    body=self._review_occurrences_html(
                        _("New occurrences of this pattern:"), occurrences
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            reviews |= review
        return reviews

    @api.model
    def _review_value_names(self, patterns):
        """Display names of the patterns' values, one read per model."""
        models_by_dimension = {
            "vendor": "res.partner",
            "product": "product.product",
            "location": "stock.location",
            "route": "stock.picking.type",
            "customer": "res.partner",
        }
        names = {}
        for dimension, model in models_by_dimension.items():
            value_ids = {p[3] for p in patterns if p[2] == dimension}
            if not value_ids:
                continue
            # sudo: only the name of the shared value is shown, to whoever
            # may read the review.
            for record in self.env[model].sudo().browse(value_ids):
                names[(dimension, record.id)] = record.display_name
        return names

    @api.model
    def _review_dimension_label(self, dimension):
        return {
            "vendor": _("vendor"),
            "product": _("product"),
            "location": _("location"),
            "route": _("route"),
            "customer": _("customer"),
        }[dimension]

    @api.model
    def _review_prepare_vals(
        self,
        category,
        company,
        dimension,
        value_id,
        value_name,
        occurrences,
        review_category,
        key,
    ):
        summary = _(
            "Process review: %(count)s %(category)s with %(dimension)s "
            "%(value)s in %(days)s days",
            count=len(occurrences),
            category=category.display_name,
            dimension=self._review_dimension_label(dimension),
            value=value_name,
            days=category.review_window_days,
        )
        vals = {
            "summary": summary,
            "category_id": review_category.id,
            "company_id": company.id,
            "detected_by": "rule",
            "source_key": key,
            "description": self._review_occurrences_html(
                _(
                    "More than %(threshold)s exceptions of %(category)s shared "
                    "the %(dimension)s %(value)s within %(days)s days. Find "
                    "the process behind them and fix it:",
                    threshold=category.review_threshold,
                    category=category.display_name,
                    dimension=self._review_dimension_label(dimension),
                    value=value_name,
                    days=category.review_window_days,
                ),
                occurrences,
            ),
        }
        team = category._get_team(company)
        if team:
            vals["team_id"] = team.id
        if dimension == "product":
            vals["product_id"] = value_id
        elif dimension == "location":
            vals["location_id"] = value_id
        elif dimension == "customer":
            vals["partner_id"] = value_id
        return vals

    @api.model
    def _review_occurrences_html(self, title, occurrences):
        items = Markup("").join(
            Markup("<li>%s</li>") % escape(occurrence.display_name)
            for occurrence in occurrences
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (title, items)
