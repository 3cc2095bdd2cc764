# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"


class LogisticsException(models.Model):
    _name = "logistics.exception"
    _inherit = ["logistics.exception", "logistics.exception.review.mixin"]

    cost_ids = fields.One2many(
        "logistics.exception.cost", "exception_id", string="Cost Lines"
    )
    # The public field keeps its name; it is now the sum of the cost lines.
    # Writing it (detectors, imports, the API) states an estimate that the
    # actual cost lines replace as they come: see _inverse_financial_impact.
    financial_impact = fields.Monetary(
        compute="_compute_financial_impact",
        inverse="_inverse_financial_impact",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="What the exception costs, in the company's currency: the sum of "
        "its cost lines (credit notes, penalties, rework, expedite freight, "
        "write-offs...).",
    )
    stated_financial_impact = fields.Monetary(
        string="Stated Impact",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="The amount last written into Financial Impact (by a detector, an "
        "import or the API): an estimate. Its line, Stated impact, carries "
        "what the actual cost lines do not explain yet, so the total is the "
        "larger of the estimate and the actual costs.",
    )
    can_edit_costs = fields.Boolean(compute="_compute_can_edit_costs")
    accounting_document_count = fields.Integer(
        string="Credit Notes and Bills",
        compute="_compute_accounting_document_count",
        groups="account.group_account_invoice",
    )

    @api.depends("cost_ids.amount")
    def _compute_financial_impact(self):
        for exception in self:
            exception.financial_impact = sum(exception.cost_ids.mapped("amount"))

    def _compute_accounting_document_count(self):
        groups = self.env["account.move"]._read_group(
            [("logistics_exception_id", "in", self.ids)],
            groupby=["logistics_exception_id"],
            aggregates=["__count"],
        )
        counts = {exception.id: count for exception, count in groups}
        for exception in self:
            exception.accounting_document_count = counts.get(exception.id, 0)

    @api.depends_context("uid")
    def _compute_can_edit_costs(self):
        can_edit = self.env.user.has_group(GROUP_MANAGER)
        for exception in self:
            exception.can_edit_costs = can_edit

    def _inverse_financial_impact(self):
        """The written amount becomes the stated impact: an estimate the
        actual lines replace as they come (a credit note settling an
        over-invoicing, the bill of a quoted freight). Writing less than the
        actual lines is refused."""
        for exception in self:
            rounding = exception.currency_id.rounding or 0.01
            actual = sum(
                exception.cost_ids.filtered(lambda c: not c.stated_impact).mapped(
                    "amount"
                )
            )
            stated = exception.financial_impact or 0.0
            if float_compare(stated, actual, precision_rounding=rounding) < 0:
                raise ValidationError(
                    _(
                        "The financial impact of %(exception)s cannot be "
                        "%(amount)s: its cost lines already add up to "
                        "%(lines)s. Edit the cost lines instead.",
                        exception=exception.display_name,
                        amount=stated,
                        lines=actual,
                    )
                )
            if (
                float_compare(
                    stated,
                    exception.stated_financial_impact,
                    precision_rounding=rounding,
                )
                and not self.env.su
            ):
                # Stating an amount is editing the costs.
                self.env["logistics.exception.cost"].check_access_rights("create")
            exception.stated_financial_impact = stated
        self._sync_stated_impact_lines()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_credit_note(self):
        """Create a draft customer credit note for the exception's customer
        and sales order, linked to the exception, and open it: posting it
        adds its cost. The link is a value of the draft, not a default of
        the context, so that it never leaks into what the user does next
        (a reversal, a duplicate)."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        Move = self.env["account.move"].with_company(self.company_id)
        Move.check_access_rights("create")
        credit_note = Move.create(self._prepare_credit_note_values())
        return {
            "type": "ir.actions.act_window",
            "name": _("Credit Note"),
            "res_model": "account.move",
            "res_id": credit_note.id,
            "view_mode": "form",
            "views": [(self.env.ref("account.view_move_form").id, "form")],
            "target": "current",
            "context": {"default_move_type": "out_refund"},
        }

    def action_view_accounting_documents(self):
        """The credit notes and vendor bills linked to the exception."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_journal_line"
        )
        action.update(
            {
                "name": _("Credit Notes and Bills"),
                "domain": [("logistics_exception_id", "=", self.id)],
                "context": {"create": False},
                "views": [
                    (self.env.ref("account.view_invoice_tree").id, "tree"),
                    (self.env.ref("account.view_move_form").id, "form"),
                ],
            }
        )
        return action

    def _prepare_credit_note_values(self):
        """Values of the credit note the button creates. Override me to add
        lines (e.g. the goods short-shipped)."""
        self.ensure_one()
        # sudo: the customer and the order only fill in the credit note.
        exception = self.sudo()
        order = exception.sale_id
        partner = order.partner_invoice_id or exception.customer_id
        if not partner:
            raise UserError(
                _(
                    "Exception %(exception)s has no customer: set its sales "
                    "order or its partner before creating a credit note.",
                    exception=self.display_name,
                )
            )
        values = {
            "move_type": "out_refund",
            "partner_id": partner.id,
            "logistics_exception_id": self.id,
            "ref": self.display_name,
        }
        if order:
            values["invoice_origin"] = order.name
            values["currency_id"] = order.currency_id.id
        return values

    # ------------------------------------------------------------------
    # Stated impact
    # ------------------------------------------------------------------
    def _sync_stated_impact_lines(self):
        """The "stated impact" line of each exception carries what its actual
        lines do not explain of its stated impact; none when they explain it
        all."""
        # sudo: the line is derived from the stated impact and the actual
        # lines, which their authors had the right to set.
        Cost = (
            self.env["logistics.exception.cost"]
            .sudo()
            .with_context(logistics_exception_cost_stated_sync=True)
        )
        to_create, to_unlink = [], Cost
        cost_types = {}
        for exception in self.sudo().exists():
            rounding = exception.currency_id.rounding or 0.01
            lines = exception.cost_ids.with_env(Cost.env)
            stated = lines.filtered("stated_impact")
            actual = sum((lines - stated).mapped("amount"))
            rest = exception.stated_financial_impact - actual
            if float_compare(rest, 0.0, precision_rounding=rounding) <= 0:
                to_unlink |= stated
                continue
            if stated:
                if float_compare(stated[0].amount, rest, precision_rounding=rounding):
                    stated[0].amount = rest
                to_unlink |= stated[1:]
                continue
            company = exception.company_id
            if company not in cost_types:
                cost_types[company] = exception._get_stated_impact_cost_type()
            to_create.append(
                {
                    "exception_id": exception.id,
                    "cost_type_id": cost_types[company].id,
                    "amount": rest,
                    "name": _("Stated impact"),
                    "stated_impact": True,
                }
            )
        to_unlink.unlink()
        Cost.create(to_create)

    def _get_stated_impact_cost_type(self):
        """Cost type of the amount written into ``financial_impact``.
        Override me, or pass ``logistics_exception_cost_type_code`` in the
        context (e.g. CREDIT_NOTE, PENALTY)."""
        self.ensure_one()
        code = self.env.context.get("logistics_exception_cost_type_code") or "OTHER"
        cost_type = self.env["logistics.exception.cost.type"]._get_by_code(
            code, self.company_id
        )
        if not cost_type:
            raise UserError(
                _(
                    "No cost type with code %(code)s: create it in "
                    "Logistics Exceptions ‣ Configuration ‣ Cost Types.",
                    code=code,
                )
            )
        return cost_type

    @api.model
    def _backfill_stated_impact(self):
        """Amounts typed before this module was installed become stated
        impacts, with their line, so that the sum of the lines keeps them.
        Idempotent: run at each update of the module."""
        exceptions = (
            self.sudo()
            .with_context(active_test=False)
            .search([("financial_impact", ">", 0), ("cost_ids", "=", False)])
        )
        for exception in exceptions:
            exception.stated_financial_impact = exception.financial_impact
        exceptions._sync_stated_impact_lines()
