# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Marks the confirmation of purchase orders whose expedite control was passed
# (checked, or approved). A Python object, not a value: a context sent over
# RPC (JSON) cannot carry it, so users cannot skip the control with a context
# key.
EXPEDITE_CHECKED = object()
CONTEXT_KEY = "logistics_exception_approval_expedite"


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    logistics_expedite_request_id = fields.Many2one(
        "logistics.approval.request",
        string="Expedite Approval",
        compute="_compute_logistics_expedite_request_id",
        help="The latest expedite approval request of this rush purchase.",
        groups="base.group_user",
    )
    logistics_expedite_waiting = fields.Boolean(
        string="Waiting for Expedite Approval",
        compute="_compute_logistics_expedite_request_id",
        groups="base.group_user",
    )

    def _compute_logistics_expedite_request_id(self):
        requests = self.env["logistics.approval.request"].search(
            [
                ("approval_type", "=", "expedite"),
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
            ],
            order="id desc",
        )
        latest = {}
        for request in requests:
            latest.setdefault(request.res_id, request)
        for order in self:
            request = latest.get(order.id, requests.browse())
            order.logistics_expedite_request_id = request
            order.logistics_expedite_waiting = request.state == "to_approve"

    # actions ----------------------------------------------------------------

    def button_confirm(self):
        """Rush purchases worth more than the company's expedite threshold ask
        for approval instead of being confirmed; the others confirm as usual."""
        if self.env.context.get(CONTEXT_KEY) is EXPEDITE_CHECKED:
            return super().button_confirm()
        to_confirm = self.filtered(lambda o: o.state in ("draft", "sent"))
        rush = to_confirm._logistics_expedite_to_approve()
        if rush:
            # Asking is confirming: only who may change the orders asks (the
            # request is created as superuser).
            rush.check_access_rights("write")
            rush.check_access_rule("write")
        requests = self.env["logistics.approval.request"]
        for order in rush:
            requests |= order._logistics_request_expedite_approval()
        asked = self.browse(requests.mapped("res_id"))
        res = super(
            PurchaseOrder,
            (self - asked).with_context(**{CONTEXT_KEY: EXPEDITE_CHECKED}),
        ).button_confirm()
        if not requests:
            return res
        return self.env["logistics.approval.mixin"]._logistics_waiting_notification(
            _(
                "Not confirmed yet: %(orders)s commit expedite costs above "
                "the approval threshold and wait for approval "
                "(%(requests)s). They are confirmed once approved.",
                orders=", ".join(asked.mapped("name")),
                requests=", ".join(requests.mapped("name")),
            ),
            title=_("Waiting for expedite approval"),
            sticky=True,
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    def button_approve(self, force=False):
        """A quotation is approved only through ``button_confirm`` (which
        checks the expedite control): calling this on a rush quotation
        directly (over RPC) must not skip it."""
        if self.env.context.get(CONTEXT_KEY) is not EXPEDITE_CHECKED:
            quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
            rush = quotations._logistics_expedite_to_approve()
            if rush:
                raise UserError(
                    _(
                        "%(orders)s are rush purchases that need an expedite "
                        "approval: use Confirm Order to ask for it.",
                        orders=", ".join(rush.mapped("name")),
                    )
                )
        return super().button_approve(force=force)

    # business methods -------------------------------------------------------

    def _logistics_expedite_exceptions(self):
        """Open urgent-expedite exceptions whose purchase order is one of
        these, by order. Read as superuser: a buyer need not see the
        exceptions' queue for the control to apply to their order."""
        category = self.env.ref(
            "logistics_exception.category_urgent_expedite", raise_if_not_found=False
        )
        none = self.env["logistics.exception"].sudo()
        result = {order: none for order in self}
        if not category or not self.ids:
            return result
        exceptions = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("purchase_id", "in", self.ids),
                    ("category_id", "=", category.id),
                    ("is_open", "=", True),
                ],
                order="id",
            )
        )
        for exception in exceptions:
            result[exception.purchase_id.with_env(self.env)] |= exception
        return result

    def _logistics_expedite_freights(self, exceptions_by_order):
        """Premium freight of each order's expedite exceptions: their
        expedite cost lines when the dashboards module (its cost lines) is
        installed, else nothing. A soft link: this bridge does not depend on
        that module. Lines from the order's own bills are its amount, not
        freight."""
        freights = dict.fromkeys(self, 0.0)
        if "logistics.exception.cost" not in self.env:
            return freights
        expedite = self.env.ref(
            "logistics_exception_dashboard.cost_type_expedite",
            raise_if_not_found=False,
        )
        exceptions = (
            self.env["logistics.exception"].sudo().union(*exceptions_by_order.values())
        )
        if not expedite or not exceptions:
            return freights
        costs = (
            self.env["logistics.exception.cost"]
            .sudo()
            .search(
                [
                    ("exception_id", "in", exceptions.ids),
                    ("cost_type_id", "=", expedite.id),
                ]
            )
        )
        for order in self:
            freights[order] = sum(
                cost.amount
                for cost in costs
                if cost.exception_id in exceptions_by_order[order]
                and cost.move_id not in order.invoice_ids
            )
        return freights

    def _logistics_expedite_values(self):
        """By rush purchase among these: its open expedite exceptions, the
        value at stake in the company's currency (untaxed amount plus premium
        freight) and the premium freight. Orders that are no rush purchase
        are left out."""
        exceptions_by_order = {
            order: exceptions
            for order, exceptions in self._logistics_expedite_exceptions().items()
            if exceptions
        }
        rush = self.browse().union(*exceptions_by_order)
        freights = rush._logistics_expedite_freights(exceptions_by_order)
        values = {}
        for order in rush:
            company = order.company_id
            amount = order.currency_id._convert(
                order.amount_untaxed,
                company.currency_id,
                company,
                order.date_order or fields.Date.context_today(order),
            )
            values[order] = (
                exceptions_by_order[order],
                company.currency_id.round(amount + freights[order]),
                freights[order],
            )
        return values

    def _logistics_expedite_approved_amounts(self):
        """By order, the highest value an approved expedite request of it
        covers (0 when none)."""
        approved = dict.fromkeys(self.ids, 0.0)
        requests = (
            self.env["logistics.approval.request"]
            .sudo()
            .search(
                [
                    ("approval_type", "=", "expedite"),
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "in", ("approved", "applied")),
                ]
            )
        )
        for request in requests:
            approved[request.res_id] = max(approved[request.res_id], request.amount)
        return approved

    def _logistics_expedite_to_approve(self):
        """The rush purchases among these whose value is above their
        company's expedite threshold and not covered by an earlier approval."""
        values = self._logistics_expedite_values()
        if not values:
            return self.browse()
        approved = self.browse().union(*values)._logistics_expedite_approved_amounts()
        rush = self.browse()
        for order, (_exceptions, value, _freight) in values.items():
            currency = order.company_id.currency_id
            threshold = order.company_id.logistics_expedite_approval_threshold
            if currency.compare_amounts(value, threshold) <= 0:
                continue
            covered = approved[order.id]
            if covered and currency.compare_amounts(value, covered) <= 0:
                continue
            rush |= order
        return rush

    @api.model
    def _logistics_expedite_waiting_request(self, orders):
        return self.env["logistics.approval.request"]._logistics_waiting(
            "expedite", orders
        )

    def _logistics_request_expedite_approval(self):
        """Ask for the approval of this rush purchase; the request, or an
        empty recordset when no tier definition applies (it is confirmed)."""
        self.ensure_one()
        waiting = self._logistics_expedite_waiting_request(self)
        if waiting:
            raise UserError(
                _(
                    "%(order)s already waits for expedite approval "
                    "(%(request)s): it is confirmed when approved.",
                    order=self.name,
                    request=waiting[0].name,
                )
            )
        exceptions, value, freight = self._logistics_expedite_values()[self]
        exception = exceptions[:1]
        currency = self.company_id.currency_id
        return self.env["logistics.approval.request"]._logistics_request(
            "expedite",
            self,
            reason=_(
                "Urgent expedite %(exception)s: %(summary)s",
                exception=exception.name,
                summary=exception.summary or exception.reason_id.name or "",
            ),
            amount=value,
            description=_(
                "Confirm the rush purchase %(order)s of %(vendor)s worth "
                "%(value)s %(currency)s (premium freight included: %(freight)s).",
                order=self.name,
                vendor=self.partner_id.display_name,
                value=currency.round(value),
                currency=currency.name,
                freight=currency.round(freight),
            ),
            partner_id=self.partner_id.commercial_partner_id.id,
            exception_id=exception.id,
            payload={
                "purchase_id": self.id,
                "amount_untaxed": self.amount_untaxed,
                "currency": self.currency_id.name,
                "premium_freight": freight,
                "exception_ids": exceptions.ids,
            },
        )

    def _logistics_confirm_approved(self):
        """Confirm these orders once their expedite request is approved (the
        approval is the access check: the approver may lack purchase rights)."""
        return (
            self.sudo().with_context(**{CONTEXT_KEY: EXPEDITE_CHECKED}).button_confirm()
        )
