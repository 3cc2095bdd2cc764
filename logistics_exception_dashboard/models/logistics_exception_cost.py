# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

# What a cost line linked to an accounting document takes from it.
MOVE_SYNCED_FIELDS = {"exception_id", "amount", "move_id", "cost_type_id"}


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
        readonly=True,
        help="The credit note or vendor bill this cost comes from. Posting the "
        "document adds the line; reversing it or resetting it to draft removes "
        "it.",
    )
    stated_impact = fields.Boolean(
        readonly=True,
        help="The amount written into the exception's Financial Impact (by a "
        "detector, an import or the API) that the other lines do not explain.",
    )

    _sql_constraints = [
        (
            "move_exception_uniq",
            "UNIQUE (move_id, exception_id)",
            "An accounting document adds one cost line per exception.",
        ),
    ]

    @api.constrains("amount")
    def _check_amount(self):
        for cost in self:
            rounding = cost.currency_id.rounding or 0.01
            if float_compare(cost.amount, 0.0, precision_rounding=rounding) <= 0:
                raise ValidationError(
                    _(
                        "The cost %(cost)s of exception %(exception)s must be a "
                        "positive amount, not %(amount)s.",
                        cost=cost.name or cost.cost_type_id.name,
                        exception=cost.exception_id.display_name,
                        amount=cost.amount,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("move_id") for vals in vals_list):
            raise UserError(
                _(
                    "A cost line from a credit note or a vendor bill is added "
                    "when the document is posted: link the document to the "
                    "exception instead."
                )
            )
        costs = super().create(vals_list)
        if not self.env.context.get("logistics_exception_cost_stated_sync"):
            costs.filtered(
                lambda c: not c.stated_impact
            ).exception_id._sync_stated_impact_lines()
        return costs

    def write(self, vals):
        if not self.env.su and MOVE_SYNCED_FIELDS & vals.keys():
            self._check_not_from_move()
        if self.env.context.get("logistics_exception_cost_stated_sync") or not (
            {"amount", "exception_id"} & vals.keys()
        ):
            return super().write(vals)
        exceptions = self.exception_id
        res = super().write(vals)
        # A stated impact edited by hand is a new estimate.
        stated = self.filtered("stated_impact")
        for exception in stated.exception_id.sudo():
            exception.stated_financial_impact = sum(exception.cost_ids.mapped("amount"))
        (exceptions | self.exception_id)._sync_stated_impact_lines()
        return res

    def unlink(self):
        if not self.env.su:
            self._check_not_from_move()
        if self.env.context.get("logistics_exception_cost_stated_sync"):
            return super().unlink()
        exceptions = self.exception_id
        # A stated impact removed by hand withdraws the estimate.
        self.filtered("stated_impact").exception_id.sudo().stated_financial_impact = 0.0
        res = super().unlink()
        exceptions._sync_stated_impact_lines()
        return res

    def _check_not_from_move(self):
        from_move = self.filtered("move_id")
        if from_move:
            raise UserError(
                _(
                    "The cost line of %(move)s follows the accounting document: "
                    "reverse it or reset it to draft to remove the cost.",
                    # sudo: the line shows the document's name already.
                    move=from_move[0].move_id.sudo().display_name,
                )
            )
