# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# The documents a handheld scans, by kind; see _get_document_kind of the scanner.
DOCUMENT_KINDS = [
    ("receipt", "Receipt"),
    ("delivery", "Delivery"),
    ("internal", "Internal Transfer"),
    ("purchase", "Purchase Order"),
    ("sale", "Sales Order"),
]


class LogisticsExceptionDocumentType(models.Model):
    """A kind of document exceptions are reported on at the dock. Categories
    list theirs, so that the scanner offers only the reasons that fit."""

    _name = "logistics.exception.document.type"
    _description = "Logistics Exception Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(DOCUMENT_KINDS, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_uniq",
            "unique (code)",
            "There is already a document type with this code.",
        ),
    ]
