# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LogisticsDispatchCharge(models.Model):
    """A charge billed for a dispatch job on top of its transport service:
    waiting time, a redelivery, after-hours delivery, special handling.
    Computed from the job's events, approved by billing, then billed once
    through a line of the job's sales order."""

    _name = "logistics.dispatch.charge"
    _description = "Dispatch Charge"
    _inherit = ["mail.thread"]
    _order = "job_id desc, id"
    _check_company_auto = True

    job_id = fields.Many2one(
        "logistics.dispatch.job",
        string="Job",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        related="job_id.partner_id", store=True, index=True, precompute=True
    )
    sale_id = fields.Many2one(
        related="job_id.sale_id", store=True, index="btree_not_null", precompute=True
    )
    accessorial_type_id = fields.Many2one(
        "logistics.accessorial.type",
        string="Type",
        required=True,
        index=True,
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Service Product",
        required=True,
        check_company=True,
        help="The service the charge is invoiced with.",
    )
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(digits="Product Unit of Measure", tracking=True)
    price_unit = fields.Monetary(string="Unit Price", tracking=True)
    amount = fields.Monetary(compute="_compute_amount", store=True)
    state = fields.Selection(
        [
            ("draft", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("invoiced", "Invoiced"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    rate_card_id = fields.Many2one(
        "logistics.rate.card", string="Rate Card", readonly=True, check_company=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sales Order Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    _sql_constraints = [
        (
            "sale_line_uniq",
            "unique(sale_line_id)",
            "A sales order line bills one dispatch charge only.",
        ),
    ]

    @api.depends("quantity", "price_unit", "currency_id")
    def _compute_amount(self):
        for charge in self:
            charge.amount = charge.currency_id.round(
                charge.quantity * charge.price_unit
            )
