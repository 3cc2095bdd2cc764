# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..detectors.helpdesk_ticket import EVENT_TICKET_CATEGORIZED

EXCEPTION_USER = "logistics_exception.logistics_exception_group_user"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id),"
        " ('company_id', '=', company_id)]",
        help="The order the customer writes about: the exception the ticket "
        "raises is linked to it.",
    )
    logistics_exception_ids = fields.Many2many(
        "logistics.exception",
        "logistics_exception_helpdesk_ticket_rel",
        "ticket_id",
        "exception_id",
        string="Logistics Exceptions",
        copy=False,
        groups=EXCEPTION_USER,
    )
    logistics_exception_count = fields.Integer(
        string="Exceptions",
        compute="_compute_logistics_exception_count",
        groups=EXCEPTION_USER,
    )

    @api.depends("logistics_exception_ids")
    def _compute_logistics_exception_count(self):
        readable = self._get_readable_logistics_exceptions()
        for ticket in self:
            ticket.logistics_exception_count = len(
                ticket.sudo().logistics_exception_ids & readable.sudo()
            )

    @api.constrains("sale_order_id", "partner_id", "company_id")
    def _check_sale_order_id(self):
        for ticket in self.sudo().filtered("sale_order_id"):
            order = ticket.sale_order_id
            if order.company_id != ticket.company_id:
                raise ValidationError(
                    _(
                        "Sales order %(order)s belongs to %(company)s, not to the "
                        "ticket's company %(ticket_company)s: pick an order of "
                        "%(ticket_company)s.",
                        order=order.name,
                        company=order.company_id.name,
                        ticket_company=ticket.company_id.name,
                    )
                )
            customer = ticket.partner_id.commercial_partner_id
            if customer and order.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    _(
                        "Sales order %(order)s is an order of %(order_customer)s, "
                        "not of %(customer)s: pick one of the customer's orders.",
                        order=order.name,
                        order_customer=order.partner_id.commercial_partner_id.name,
                        customer=customer.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered("category_id")._report_to_detection()
        return tickets

    def write(self, vals):
        closing = (
            self.filtered(lambda t: not t.closed)
            if "stage_id" in vals
            else self.browse()
        )
        res = super().write(vals)
        if vals.get("category_id"):
            self._report_to_detection()
        if vals.get("sale_order_id"):
            self._propagate_sale_order()
        if closing:
            closing.filtered("closed")._tell_open_exceptions_closed()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_logistics_exceptions(self):
        self.ensure_one()
        self._check_exception_user()
        self.check_access_rights("read")
        self.check_access_rule("read")
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_action"
        )
        exceptions = self._get_readable_logistics_exceptions()
        action["domain"] = [("id", "in", exceptions.ids)]
        action["context"] = self._get_logistics_exception_context()
        if len(exceptions) == 1:
            action.update(
                views=[(False, "form")], view_mode="form", res_id=exceptions.id
            )
        return action

    def action_report_logistics_exception(self):
        """Open a new exception pre-filled from this ticket."""
        self.ensure_one()
        self._check_exception_user()
        self.check_access_rights("read")
        self.check_access_rule("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Report Exception"),
            "res_model": "logistics.exception",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._get_logistics_exception_context(),
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_readable_logistics_exceptions(self):
        """The exceptions of these tickets that the user may read (their
        teams', their own; every one for a manager)."""
        # sudo: the link only; the search below applies the user's rules.
        linked = self.sudo().logistics_exception_ids
        return self.env["logistics.exception"].search([("id", "in", linked.ids)])

    def _check_exception_user(self):
        if not self.env.user.has_group(EXCEPTION_USER):
            raise AccessError(
                _(
                    "Only logistics exception users report and open exceptions: "
                    "ask an exception administrator for access."
                )
            )

    def _get_logistics_exception_defaults(self):
        """Values proposed to an exception reported by hand from this ticket:
        its customer, order, the exception category its helpdesk category is
        mapped to, and what the customer wrote. Override me to add more."""
        self.ensure_one()
        values = {
            "summary": _(
                "%(title)s (ticket %(number)s)", title=self.name, number=self.number
            ),
            "company_id": self.company_id.id,
            "detected_by": "manual",
            "customer_impact": True,
            # The new exception is linked to the ticket it names as source.
            "source_ref": f"{self._name},{self.id}",
        }
        if self.partner_id:
            values["partner_id"] = self.partner_id.id
        if self.sale_order_id:
            values["sale_id"] = self.sale_order_id.id
        rule = self.env["logistics.exception.rule"]._get_helpdesk_rule(self)
        if rule:
            values["category_id"] = rule.category_id.id
            if rule.reason_id:
                values["reason_id"] = rule.reason_id.id
        if self.description:
            values["description"] = self.description
        return values

    def _get_logistics_exception_context(self):
        return {
            f"default_{key}": value
            for key, value in self._get_logistics_exception_defaults().items()
        }

    def _report_to_detection(self):
        """Tell the detection engine that these tickets are (re)categorized:
        a rule mapping their category raises their exception."""
        engine = self.env["logistics.exception.engine"]
        if self and engine._listens(EVENT_TICKET_CATEGORIZED):
            engine._dispatch(EVENT_TICKET_CATEGORIZED, self)

    def _propagate_sale_order(self):
        """An order named on the ticket after its exceptions were raised is
        given to those of them still open without one (by the system: the
        agent may have no exception rights)."""
        for ticket in self.sudo():
            exceptions = ticket.logistics_exception_ids.filtered(
                lambda e: e.is_open and not e.sale_id
            )
            if not exceptions:
                continue
            exceptions.write({"sale_id": ticket.sale_order_id.id})
            body = Markup("<p>%s</p>") % _(
                "Sales order %(order)s named on helpdesk ticket %(ticket)s.",
                order=ticket.sale_order_id.name,
                ticket=ticket.number,
            )
            for exception in exceptions:
                exception.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _tell_open_exceptions_closed(self):
        """Closed tickets whose exceptions are still open say so on them.
        The exceptions may be out of the agent's reach: the note is posted by
        the system, on the exceptions linked to tickets the agent closed."""
        for ticket in self.sudo():
            exceptions = ticket.logistics_exception_ids.filtered("is_open")
            if not exceptions:
                continue
            body = (
                Markup("<p>%s</p>")
                % Markup(
                    _(
                        "Helpdesk ticket %(ticket)s was closed (%(stage)s) while "
                        "this exception is still open: check whether the customer "
                        "still needs it, then resolve or cancel it."
                    )
                )
                % {
                    "ticket": ticket._get_html_link(title=ticket.display_name),
                    "stage": ticket.stage_id.name,
                }
            )
            for exception in exceptions:
                exception.message_post(body=body, subtype_xmlid="mail.mt_note")
