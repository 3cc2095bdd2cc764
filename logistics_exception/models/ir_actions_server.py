from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .logistics_exception_category import SEVERITIES

# Fields of logistics.exception that point at a document of this model.
DOCUMENT_FIELDS = {
    "stock.picking": "picking_id",
    "sale.order": "sale_id",
    "purchase.order": "purchase_id",
    "account.move": "move_id",
    "res.partner": "partner_id",
    "product.product": "product_id",
    "stock.warehouse": "warehouse_id",
    "stock.lot": "lot_id",
}


class IrActionsServer(models.Model):
    """A server action type "Create logistics exception", so that admins
    build their own detection rules in the standard Automation Rules screen."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("logistics_exception", "Create Logistics Exception")],
        ondelete={"logistics_exception": "cascade"},
    )
    logistics_category_id = fields.Many2one(
        "logistics.exception.category", string="Exception Category", ondelete="restrict"
    )
    logistics_reason_id = fields.Many2one(
        "logistics.exception.reason",
        string="Exception Reason",
        ondelete="restrict",
        domain="[('category_id', '=', logistics_category_id)]",
    )
    logistics_severity = fields.Selection(SEVERITIES, string="Exception Severity")
    logistics_team_id = fields.Many2one(
        "logistics.exception.team", string="Exception Team", ondelete="set null"
    )
    logistics_summary_template = fields.Char(
        string="Exception Summary",
        translate=True,
        help="Summary of the exception; {{ object.name }} and other inline "
        "expressions on the record are rendered.",
    )

    @api.constrains("state", "logistics_category_id")
    def _check_logistics_exception_category(self):
        for action in self:
            if (
                action.state == "logistics_exception"
                and not action.logistics_category_id
            ):
                raise ValidationError(
                    _(
                        "Action %(action)s creates logistics exceptions: choose "
                        "their category.",
                        action=action.name,
                    )
                )

    def _run_action_logistics_exception_multi(self, eval_context=None):
        """Raise one exception per record, once: the action and the record
        make the source key, so the action running again changes nothing."""
        records = eval_context.get("records") or eval_context.get("record")
        if not records:
            return False
        summaries = self.env["mail.render.mixin"]._render_template(
            self.logistics_summary_template
            or _("Exception on {{ object.display_name }}"),
            records._name,
            records.ids,
            engine="inline_template",
        )
        vals_list = []
        for record in records:
            company = (
                record.company_id
                if "company_id" in record._fields and record.company_id
                else self.env.company
            )
            vals = {
                "summary": summaries[record.id] or record.display_name,
                "category_id": self.logistics_category_id.id,
                "company_id": company.id,
                "detected_by": "rule",
                "source_ref": f"{record._name},{record.id}",
                "source_key": f"action:{self.id}:{record._name}:{record.id}",
            }
            if self.logistics_reason_id:
                vals["reason_id"] = self.logistics_reason_id.id
            if self.logistics_severity:
                vals["severity"] = self.logistics_severity
            if self.logistics_team_id:
                vals["team_id"] = self.logistics_team_id.id
            field = DOCUMENT_FIELDS.get(record._name)
            if field:
                vals[field] = record.id
            vals_list.append(vals)
        # Once per record, ever: the rule may fire on every write of it.
        self.env["logistics.exception.engine"]._raise(vals_list, once=True)
        return False
