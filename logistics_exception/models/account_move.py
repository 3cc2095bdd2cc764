from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

OVERRIDE_FIELDS = {
    "logistics_billing_hold_override_reason",
    "logistics_billing_hold_override_uid",
}
GROUP_ACCOUNT_MANAGER = "account.group_account_manager"


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "logistics.exception.source.mixin"]
    _logistics_exception_field = "move_id"

    logistics_billing_held = fields.Boolean(
        string="Billing Held",
        compute="_compute_logistics_billing_held",
        groups="account.group_account_manager",
        help="Something holds the billing of this invoice (open logistics "
        "exceptions, or what other modules add, such as undelivered dispatch "
        "jobs): it cannot be posted until that is settled or the hold is "
        "overridden.",
    )
    logistics_billing_hold_override_reason = fields.Text(
        string="Billing Hold Override Reason",
        tracking=True,
        copy=False,
        readonly=True,
    )
    logistics_billing_hold_override_uid = fields.Many2one(
        "res.users",
        string="Billing Hold Overridden By",
        tracking=True,
        copy=False,
        readonly=True,
    )

    @api.depends(
        "state",
        "move_type",
        "line_ids.sale_line_ids",
        "logistics_billing_hold_override_uid",
    )
    def _compute_logistics_billing_held(self):
        blockers = self._get_logistics_billing_blockers()
        for move in self:
            move.logistics_billing_held = bool(blockers.get(move))

    # ------------------------------------------------------------------
    # The billing gate: a check on posting customer invoices, switched on
    # per company (Settings > Logistics Exceptions > Billing).
    # ------------------------------------------------------------------
    def _get_logistics_billing_holds(self):
        """Open exceptions that hold the billing of each customer invoice of
        these moves, as {invoice: exceptions}: those raised on the invoice, on
        its sales orders or on their transfers
        (``logistics.exception._get_billing_holds``). Invoices whose hold was
        overridden, or of a company without the gate, are not held. One
        query."""
        candidates = {}
        for invoice in self:
            if (
                invoice.move_type != "out_invoice"
                or invoice.state != "draft"
                or invoice.logistics_billing_hold_override_uid
                or not invoice.company_id.logistics_billing_hold
            ):
                continue
            candidates[invoice] = invoice.line_ids.sale_line_ids.order_id
        if not candidates:
            return {}
        orders = self.env["sale.order"].union(*candidates.values())
        saved = self.browse([i._origin.id for i in candidates if i._origin])
        holding = self.env["logistics.exception"]._get_billing_holds([saved, orders])
        none = self.env["logistics.exception"].sudo().browse()
        holds = {}
        for invoice, inv_orders in candidates.items():
            held = holding.get(invoice._origin, none) if invoice._origin else none
            for order in inv_orders:
                held |= holding.get(order, none)
            if held:
                holds[invoice] = held
        return holds

    def _get_logistics_billing_blockers(self):
        """Every reason not to post each customer invoice of these moves, as
        {invoice: [blocker]}; a blocker is a dict with ``kind`` (e.g.
        ``exception``), ``record`` (what blocks, for a link), ``label`` (the
        blocker in words) and ``threads`` (the records whose chatter hears
        of an override). Modules add their reasons by extending this method; the
        open exceptions that hold billing are the core's. Bounded queries,
        whatever the number of invoices."""
        blockers = {}
        for invoice, exceptions in self._get_logistics_billing_holds().items():
            blockers[invoice] = [
                {
                    "kind": "exception",
                    "record": exception,
                    "label": _(
                        "Exception %(exception)s holds billing.",
                        exception=exception.display_name,
                    ),
                    "threads": [exception],
                }
                for exception in exceptions
            ]
        return blockers

    def _get_logistics_billing_error(self, blockers):
        """The error that refuses to post the invoices of ``blockers``: one
        message listing every blocker of every invoice."""
        lines = []
        for invoice, items in blockers.items():
            if len(blockers) > 1:
                lines.append(_("%(invoice)s:", invoice=invoice.display_name))
            lines.extend(f"- {item['label']}" for item in items)
        kinds = {item["kind"] for items in blockers.values() for item in items}
        advice = "".join(self._get_logistics_billing_advice(kinds))
        return UserError(
            _(
                "%(invoices)s cannot be posted yet:\n%(blockers)s\n\n"
                "%(advice)sA Finance manager may override the billing hold on "
                "the invoice (Override Billing Hold) with a reason.",
                invoices=", ".join(i.display_name for i in blockers),
                blockers="\n".join(lines),
                advice=advice,
            )
        )

    @api.model
    def _get_logistics_billing_advice(self, kinds):
        """What to do about blockers of these ``kinds``, sentence by
        sentence. Modules that add blockers add their advice."""
        if "exception" in kinds:
            return [_("Resolve these exceptions first. ")]
        return []

    def _check_logistics_billing_hold(self):
        """Refuse to post customer invoices that something blocks, naming
        every blocker at once."""
        blockers = self._get_logistics_billing_blockers()
        if blockers:
            raise self._get_logistics_billing_error(blockers)

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        sale_orders = self.line_ids.sale_line_ids.order_id
        if len(sale_orders) == 1:
            values["sale_id"] = sale_orders.id
        purchase_orders = self.line_ids.purchase_line_id.order_id
        if len(purchase_orders) == 1:
            values["purchase_id"] = purchase_orders.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_logistics_billing_override_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_logistics_billing_override_access(vals)
        return super().write(vals)

    @api.model
    def _check_logistics_billing_override_access(self, vals):
        """Only a Finance manager overrides a billing hold, whatever the way."""
        if OVERRIDE_FIELDS & vals.keys() and not self.env.su:
            self._check_logistics_billing_override_rights()

    @api.model
    def _check_logistics_billing_override_rights(self):
        if not self.env.user.has_group(GROUP_ACCOUNT_MANAGER):
            raise AccessError(
                _(
                    "Only a Finance manager (Billing Administrator) can override "
                    "the billing hold of an invoice. Ask one to do it, or resolve "
                    "the exceptions that hold it."
                )
            )

    def _logistics_override_billing_hold(self, reason, blockers=None, user=None):
        """Let this invoice be posted although ``blockers`` hold it (by
        default its current blockers): record why and who (``user``, by
        default the current user; tracked) and note it on each blocker's
        record. The caller has checked the right to override."""
        self.ensure_one()
        user = user or self.env.user
        if blockers is None:
            blockers = self._get_logistics_billing_blockers().get(self, [])
        self.write(
            {
                "logistics_billing_hold_override_reason": reason,
                "logistics_billing_hold_override_uid": user.id,
            }
        )
        body = Markup("<p>%s</p>") % escape(
            _(
                "Billing hold overridden on invoice %(invoice)s by %(user)s: "
                "%(reason)s",
                invoice=self.display_name,
                user=user.name,
                reason=reason,
            )
        )
        # The blockers' records (exceptions, jobs) are superuser records (the
        # Finance manager may not work in the logistics queues): the note
        # records the override the manager was entitled to make.
        threads = []
        for item in blockers:
            threads.extend(t for t in item.get("threads", []) if t not in threads)
        for thread in threads:
            thread.message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )

    def action_open_logistics_billing_override(self):
        """Open the wizard where a Finance manager overrides the billing hold."""
        self.ensure_one()
        self._check_logistics_billing_override_rights()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "logistics_exception.logistics_exception_billing_override_action"
        )
        action["context"] = {"default_move_id": self.id}
        return action

    def button_draft(self):
        res = super().button_draft()
        # An override covers the invoice as it was posted: once back in draft
        # it may bill other goods, so the gate applies again.
        overridden = self.filtered("logistics_billing_hold_override_uid")
        if overridden:
            overridden.sudo().write(dict.fromkeys(OVERRIDE_FIELDS, False))
        return res

    def _logistics_billing_gate_skipped(self):
        """The billing gate is a control: a context key a client sends does
        not lift it. Only code running as superuser (an import, a data fix)
        may skip it, with ``logistics_exception_skip_detection``."""
        return self.env.su and self.env.context.get(
            "logistics_exception_skip_detection"
        )

    def _post(self, soft=True):
        detect = not self.env.context.get("logistics_exception_skip_detection")
        if not self._logistics_billing_gate_skipped():
            self._check_logistics_billing_hold()
        posted = super()._post(soft=soft)
        Engine = self.env["logistics.exception.engine"]
        if detect and Engine._listens("invoice_posted"):
            Engine._dispatch("invoice_posted", posted)
        return posted
