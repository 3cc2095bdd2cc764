# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero, format_amount

GROUP_USER = "logistics_exception.logistics_exception_group_user"
# Documents that can carry an exception's cost, and their default cost type.
COST_TYPE_BY_MOVE_TYPE = {
    "out_refund": "CREDIT_NOTE",
    "in_invoice": "EXPEDITE",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    logistics_exception_id = fields.Many2one(
        "logistics.exception",
        string="Logistics Exception",
        index="btree_not_null",
        check_company=True,
        copy=False,
        tracking=True,
        groups=GROUP_USER,
        help="The exception this credit note or vendor bill settles: posting "
        "the document adds its untaxed amount to the exception's costs; "
        "reversing it or resetting it to draft removes it.",
    )
    logistics_exception_cost_type_id = fields.Many2one(
        "logistics.exception.cost.type",
        string="Exception Cost Type",
        compute="_compute_logistics_exception_cost_type_id",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        check_company=True,
        groups=GROUP_USER,
        help="How the exception's cost line from this document is classified.",
    )

    @api.depends("logistics_exception_id", "move_type")
    def _compute_logistics_exception_cost_type_id(self):
        CostType = self.env["logistics.exception.cost.type"]
        # sudo: the fields are restricted to exception users; anyone who
        # creates an invoice computes them.
        for move in self.sudo():
            code = COST_TYPE_BY_MOVE_TYPE.get(move.move_type)
            if not move.logistics_exception_id or not code:
                move.logistics_exception_cost_type_id = False
            elif not move.logistics_exception_cost_type_id:
                move.logistics_exception_cost_type_id = CostType._get_by_code(
                    code, move.company_id
                )

    @api.constrains("logistics_exception_id", "move_type")
    def _check_logistics_exception_move_type(self):
        for move in self.sudo():
            if (
                move.logistics_exception_id
                and move.move_type not in COST_TYPE_BY_MOVE_TYPE
            ):
                raise ValidationError(
                    _(
                        "Only customer credit notes and vendor bills carry the "
                        "cost of a logistics exception; %(move)s cannot be "
                        "linked to %(exception)s.",
                        move=move.display_name,
                        exception=move.logistics_exception_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_logistics_exception_readable(
            [vals.get("logistics_exception_id") for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_logistics_exception_readable([vals.get("logistics_exception_id")])
        res = super().write(vals)
        if {"logistics_exception_id", "logistics_exception_cost_type_id"} & vals.keys():
            self._sync_logistics_exception_costs()
        return res

    @api.model
    def _check_logistics_exception_readable(self, exception_ids):
        """Link only exceptions the user may see (raises AccessError)."""
        ids = [exception_id for exception_id in exception_ids if exception_id]
        if ids and not self.env.su:
            exceptions = self.env["logistics.exception"].browse(ids)
            exceptions.check_access_rights("read")
            exceptions.check_access_rule("read")

    # ------------------------------------------------------------------
    # Posting, resetting and reversing
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        (posted | posted.reversed_entry_id)._sync_logistics_exception_costs()
        return posted

    def button_draft(self):
        res = super().button_draft()
        (self | self.reversed_entry_id)._sync_logistics_exception_costs()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        (self | self.reversed_entry_id)._sync_logistics_exception_costs()
        return res

    def _get_logistics_exception_cost_amount(self):
        """Cost of the document in company currency: its untaxed amount (the
        taxes are recovered). Override me to count it otherwise."""
        self.ensure_one()
        return abs(self.amount_untaxed_signed)

    def _is_logistics_exception_cost(self):
        """Whether the document's cost counts now: posted, linked, and not
        cancelled by a posted reversal."""
        self.ensure_one()
        return bool(
            self.state == "posted"
            and self.logistics_exception_id
            and self.logistics_exception_cost_type_id
            and self.move_type in COST_TYPE_BY_MOVE_TYPE
            and not self.reversal_move_id.filtered(lambda m: m.state == "posted")
            and not float_is_zero(
                self._get_logistics_exception_cost_amount(),
                precision_rounding=self.company_currency_id.rounding,
            )
        )

    def _prepare_logistics_exception_cost(self):
        self.ensure_one()
        return {
            "exception_id": self.logistics_exception_id.id,
            "cost_type_id": self.logistics_exception_cost_type_id.id,
            "amount": self._get_logistics_exception_cost_amount(),
            "date": self.invoice_date or self.date,
            "name": f"{self.name} ({self.ref})" if self.ref else self.name,
            "move_id": self.id,
        }

    def _sync_logistics_exception_costs(self):
        """One cost line per posted document linked to an exception, none
        otherwise. Idempotent; one query to read the lines."""
        # sudo: the cost line mirrors the accounting document; whoever may
        # post, reset or reverse it keeps the exception's costs in step,
        # without the right to edit cost lines by hand.
        # Only credit notes and bills carry a link (the journal entries that
        # stock valuation posts by the thousand cost no query).
        moves = self.sudo().filtered(
            lambda m: m.id and m.move_type in COST_TYPE_BY_MOVE_TYPE
        )
        if not moves:
            return
        Cost = self.env["logistics.exception.cost"].sudo()
        lines = Cost.search([("move_id", "in", moves.ids)])
        line_by_move = {line.move_id: line for line in lines}
        to_create, to_unlink = [], Cost
        for move in moves:
            line = line_by_move.get(move, Cost)
            if not move._is_logistics_exception_cost():
                to_unlink |= line
                continue
            values = move._prepare_logistics_exception_cost()
            if not line:
                to_create.append(values)
                continue
            changed = {
                key: value
                for key, value in values.items()
                if line._fields[key].convert_to_write(line[key], line) != value
            }
            if changed:
                line.write(changed)
        for line in to_unlink:
            line.exception_id._message_log(
                body=escape(
                    _(
                        "%(move)s no longer counts (reversed, reset to draft or "
                        "cancelled): its cost of %(amount)s is removed.",
                        move=line.move_id.name,
                        amount=format_amount(self.env, line.amount, line.currency_id),
                    )
                )
            )
        to_unlink.unlink()
        for line in Cost.create(to_create):
            line.exception_id._message_log(
                body=escape(
                    _(
                        "%(move)s is posted: its cost of %(amount)s (%(type)s) is "
                        "added.",
                        move=line.move_id.name,
                        amount=format_amount(self.env, line.amount, line.currency_id),
                        type=line.cost_type_id.name,
                    )
                )
            )
