# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class LogisticsExceptionMerge(models.TransientModel):
    """Merge a duplicate exception into the one being worked (for example
    the exception a customer's ticket raised): messages, attachments,
    followers and tickets move there; the duplicate is cancelled, not
    deleted."""

    _name = "logistics.exception.merge"
    _description = "Merge a Duplicate Logistics Exception"

    exception_id = fields.Many2one(
        "logistics.exception",
        string="Duplicate",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="exception_id.company_id")
    target_id = fields.Many2one(
        "logistics.exception",
        string="Merge Into",
        required=True,
        ondelete="cascade",
        domain="[('id', '!=', exception_id), ('company_id', '=', company_id),"
        " ('state', '!=', 'cancelled')]",
        compute="_compute_target_id",
        store=True,
        readonly=False,
        help="The exception that stays: it receives the messages, attachments, "
        "followers and tickets of the duplicate.",
    )

    @api.depends("exception_id")
    def _compute_target_id(self):
        """Propose the open exception raised by a ticket of the same customer
        (or on the same order), the most recent first."""
        for wizard in self:
            duplicate = wizard.exception_id
            if wizard.target_id or not duplicate:
                continue
            domain = [
                ("id", "!=", duplicate.id),
                ("company_id", "=", duplicate.company_id.id),
                ("is_open", "=", True),
                ("source_ref", "=like", "helpdesk.ticket,%"),
            ]
            if duplicate.sale_id:
                domain.append(("sale_id", "=", duplicate.sale_id.id))
            elif duplicate.customer_id:
                domain.append(("customer_id", "=", duplicate.customer_id.id))
            else:
                continue
            wizard.target_id = self.env["logistics.exception"].search(
                domain, order="date_detected desc, id desc", limit=1
            )

    def action_merge(self):
        self.ensure_one()
        target = self.exception_id._merge_into(self.target_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": target._name,
            "res_id": target.id,
            "views": [(False, "form")],
            "target": "current",
        }
