# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsExceptionCost(models.Model):
    """One cost an exception caused: a credit note, a penalty, rework labour...

    The exception's ``financial_impact`` is the stored sum of its lines.
    """

    _name = "logistics.exception.cost"
    _description = "Logistics Exception Cost"
    _order = "date desc, id desc"
    _check_company_auto = True

    exception_id = fields.Many2one(
        "logistics.exception",
        string="Exception",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="exception_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_type_id = fields.Many2one(
        "logistics.exception.cost.type",
        string="Cost Type",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        required=True,
        help="In the company's currency.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    name = fields.Char(string="Description")
    move_id = fields.Many2one(
        "account.move",
        string="Accounting Document",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The credit note or vendor bill this cost comes from.",
    )
