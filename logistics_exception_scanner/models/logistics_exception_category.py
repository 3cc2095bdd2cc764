# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsExceptionCategory(models.Model):
    _inherit = "logistics.exception.category"

    document_type_ids = fields.Many2many(
        "logistics.exception.document.type",
        relation="logistics_exception_category_document_type_rel",
        column1="category_id",
        column2="document_type_id",
        string="Reported On",
        help="The documents on which the handheld scanner offers this category's "
        "reason codes. Empty: those of the parent category, or every document.",
    )

    def _get_document_kinds(self):
        """The document kinds this category applies to (its own, else its
        nearest parent's), or an empty set for every kind."""
        self.ensure_one()
        category = self
        while category:
            if category.document_type_ids:
                return set(category.document_type_ids.mapped("code"))
            category = category.parent_id
        return set()
