# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsExceptionScannerSubmission(models.Model):
    """A report sent from a handheld, by the id the device gave it: the same
    report sent twice (a lost answer, two tabs, a retry) makes one exception."""

    _name = "logistics.exception.scanner.submission"
    _description = "Logistics Exception Scanner Submission"
    _order = "id desc"
    _rec_name = "device_uuid"

    device_uuid = fields.Char(string="Device Report ID", required=True, readonly=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    exception_id = fields.Many2one(
        "logistics.exception",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "device_uuid_uniq",
            "unique (device_uuid)",
            "This report was already sent from a handheld.",
        ),
    ]


class LogisticsException(models.Model):
    _inherit = "logistics.exception"

    scanner_submission_ids = fields.One2many(
        "logistics.exception.scanner.submission",
        "exception_id",
        string="Handheld Reports",
        groups="logistics_exception.logistics_exception_group_admin",
    )
