# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_datetime

from odoo.addons.logistics_exception.detectors.engine import DetectionEvent

from .stock_quant import APPROVED

# The service tiers whose later promise dates need approval. Override
# ``_logistics_promise_controlled`` to change who is controlled.
CONTROLLED_TIERS = ("priority", "strategic")
APPLYING_KEY = "logistics_exception_approval_applying"
ORDER_CHANGE_DETECTOR = "logistics.exception.detector.order_change"


class SaleOrder(models.Model):
    """Control 2 of the approvals: a confirmed order's commitment date moved
    later for a priority or strategic customer waits for the approval of the
    account owner's manager (``logistics.approval.request`` of type
    ``promise_date``). The change is asked with the *Change Promise Date*
    wizard; a direct write of such a change is refused."""

    _inherit = "sale.order"

    logistics_promise_request_id = fields.Many2one(
        "logistics.approval.request",
        string="Promise Date Request",
        compute="_compute_logistics_promise_request",
        help="The promise-date change of this order waiting for approval.",
        groups="base.group_user",
    )
    logistics_promise_request_info = fields.Char(
        string="Promise Date Request Waiting",
        compute="_compute_logistics_promise_request",
        groups="base.group_user",
    )

    def _compute_logistics_promise_request(self):
        # sudo: the people of the order (its salespeople, dispatch) see that a
        # change waits even when the request is not theirs to read; only its
        # name, date and approver are shown.
        requests = self.env["logistics.approval.request"]._logistics_waiting(
            "promise_date", self
        )
        by_order = {request.res_id: request for request in requests}
        for order in self:
            request = by_order.get(order._origin.id)
            order.logistics_promise_request_id = request.id if request else False
            order.logistics_promise_request_info = (
                _(
                    "%(request)s: %(change)s, asked by %(user)s, waits for "
                    "approval by %(approvers)s.",
                    request=request.name,
                    change=request.description,
                    user=request.requested_by_id.name,
                    approvers=", ".join(request.reviewer_ids.mapped("name"))
                    or _("nobody"),
                )
                if request
                else False
            )

    def write(self, vals):
        approved = self.env.context.get(APPLYING_KEY) is APPROVED
        if "commitment_date" in vals and not approved:
            self._logistics_check_promise_write(vals["commitment_date"])
        # Without a commitment date the promise is the expected date: a
        # change of lines that moves it later needs the same approval.
        watched = (
            self.filtered(
                lambda o: (
                    o.state == "sale"
                    and not o.commitment_date
                    and o._logistics_service_tier() in CONTROLLED_TIERS
                )
            )
            if "order_line" in vals and "commitment_date" not in vals and not approved
            else self.browse()
        )
        before = {order.id: order.expected_date for order in watched}
        res = super().write(vals)
        for order in watched:
            old, new = before[order.id], order.expected_date
            if (
                old
                and new
                and new > old
                and order._logistics_promise_needs_approval(
                    order._logistics_promise_request_values(new, "-")
                )
            ):
                raise UserError(
                    _(
                        "This change moves the promise of %(order)s later "
                        "(%(old)s → %(new)s): %(customer)s is a priority or "
                        "strategic customer. Use *Change Promise Date* first and "
                        "give a reason. Nothing was changed.",
                        order=order.name,
                        old=format_datetime(self.env, old),
                        new=format_datetime(self.env, new),
                        customer=order.partner_id.commercial_partner_id.name,
                    )
                )
        return res

    def _logistics_check_promise_write(self, new_date):
        """Refuse writing a later commitment date that needs approval."""
        new_date = fields.Datetime.to_datetime(new_date)
        waiting = self.filtered("logistics_promise_request_id")[:1]
        if waiting:
            raise UserError(
                _(
                    "A change of the promise date of %(order)s waits for "
                    "approval (%(request)s): wait for its decision before "
                    "changing the date again. Nothing was changed.",
                    order=waiting.name,
                    request=waiting.logistics_promise_request_id.sudo().name,
                )
            )
        controlled = self.filtered(lambda o: o._logistics_promise_controlled(new_date))
        if not controlled:
            return
        for order in controlled:
            if order._logistics_promise_needs_approval(
                order._logistics_promise_request_values(new_date, "-")
            ):
                raise UserError(
                    _(
                        "Moving the commitment date of %(order)s later needs "
                        "approval: %(customer)s is a %(tier)s customer. Use "
                        "*Change Promise Date* on the order and give a reason. "
                        "Nothing was changed.",
                        order=order.name,
                        customer=order.partner_id.commercial_partner_id.name,
                        tier=dict(
                            order.partner_id._fields[
                                "logistics_service_tier"
                            ]._description_selection(self.env)
                        ).get(order._logistics_service_tier(), ""),
                    )
                )

    # promise-date business methods ------------------------------------------

    def _logistics_service_tier(self):
        self.ensure_one()
        return self.partner_id.commercial_partner_id.logistics_service_tier

    def _logistics_promised_date(self):
        """What the customer was promised: the commitment date, else the
        expected date of the order."""
        self.ensure_one()
        return self.commitment_date or self.expected_date

    def _logistics_promise_controlled(self, new_date):
        """Whether moving the promise to ``new_date`` needs approval: a
        confirmed order of a priority or strategic customer, moved later.
        Override me."""
        self.ensure_one()
        if self.state != "sale" or self._logistics_service_tier() not in (
            CONTROLLED_TIERS
        ):
            return False
        old_date = self._logistics_promised_date()
        new_date = new_date or self.expected_date
        return bool(new_date and old_date and new_date > old_date)

    def _logistics_account_owner(self):
        """The customer's salesperson, else the order's."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id.user_id or self.user_id

    def _logistics_promise_approver(self):
        """The account owner's manager: the leader of the owner's sales team,
        else of the order's team. None when nobody can be named (no leader,
        the leader is who asks, or works outside the order's company): the
        sales administrators then review."""
        self.ensure_one()
        owner = self._logistics_account_owner()
        manager = owner.sale_team_id.user_id or self.team_id.user_id
        if (
            not manager
            or manager == self.env.user
            or not manager.active
            or self.company_id not in manager.company_ids
        ):
            return self.env["res.users"]
        return manager

    def _logistics_promise_request_values(self, new_date, reason):
        self.ensure_one()
        company = self.company_id
        amount = self.currency_id._convert(
            self.amount_untaxed,
            company.currency_id,
            company,
            self.date_order or fields.Date.context_today(self),
        )
        old_date = self._logistics_promised_date()
        new_date = new_date or self.expected_date
        return {
            "company_id": company.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "amount": abs(amount),
            "reason": reason,
            "description": _(
                "Commitment date %(old)s → %(new)s",
                old=format_datetime(self.env, old_date) if old_date else _("none"),
                new=format_datetime(self.env, new_date),
            ),
            "payload": {"commitment_date": fields.Datetime.to_string(new_date)},
            "approver_id": self._logistics_promise_approver().id,
        }

    def _logistics_promise_needs_approval(self, vals):
        """Whether a shipped (or configured) tier applies to the request of
        these values: without one, the change goes ahead as before."""
        self.ensure_one()
        return self.env["logistics.approval.request"]._logistics_needs_approval(
            dict(
                vals,
                approval_type="promise_date",
                res_model=self._name,
                res_id=self.id,
            )
        )

    def _logistics_request_promise_date(self, new_date, reason):
        """Ask for approval of moving the promise to ``new_date``; the
        request, or an empty recordset when no tier applies."""
        self.ensure_one()
        vals = self._logistics_promise_request_values(new_date, reason)
        Request = self.env["logistics.approval.request"]
        if not self._logistics_promise_needs_approval(vals):
            return Request
        if not vals["approver_id"]:
            self._logistics_check_promise_fallback()
        exception = self._logistics_promise_exception(vals["description"])
        vals["exception_id"] = exception.id
        return Request._logistics_request("promise_date", self, **vals)

    def _logistics_check_promise_fallback(self):
        """Without a named manager the sales administrators review: refuse
        when none of them (but who asks) works in the order's company."""
        group = self.env.ref("sales_team.group_sale_manager")
        reviewers = group.sudo().users.filtered(
            lambda u: self.company_id in u.company_ids and u != self.env.user
        )
        if not reviewers:
            raise UserError(
                _(
                    "Nobody can approve moving the commitment date of "
                    "%(order)s: no sales team leader can be named for the "
                    "account owner (there is none, or it is you) and no other "
                    "Sales Administrator works in %(company)s. Ask your "
                    "administrator to name a team leader. Nothing was changed.",
                    order=self.name,
                    company=self.company_id.name,
                )
            )

    @api.model
    def _logistics_promise_detection(self, orders):
        """The detectors and rules that raise customer change exceptions."""
        return [
            (detector, rules)
            for detector, rules in self.env[
                "logistics.exception.rule"
            ]._get_detector_rules("order_changed")
            if detector._name == ORDER_CHANGE_DETECTOR
        ]

    def _logistics_promise_exception(self, change):
        """The open customer change exception of the order, raised through
        the detection engine when there is none (the request is noted in it
        when it is open already). Empty when no rule detects changes."""
        self.ensure_one()
        vals_list = []
        for detector, rules in self._logistics_promise_detection(self):
            event = DetectionEvent(
                "order_changed", self, {"changed_fields": {"commitment_date"}}
            )
            for vals in detector._detect(rules, event):
                vals["summary"] = _(
                    "%(order)s: the customer asks to move the promise "
                    "(%(change)s), waiting for approval",
                    order=self.name,
                    change=change,
                )
                vals_list.append(vals)
        _raised, found = self.env["logistics.exception.engine"]._raise_found(vals_list)
        return found[:1]

    def action_logistics_change_promise_date(self):
        """Open the *Change Promise Date* wizard."""
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        if self.state != "sale":
            raise UserError(
                _(
                    "Only a confirmed order's promise date is changed with "
                    "approval: edit the date of %(order)s directly.",
                    order=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Promise Date"),
            "res_model": "logistics.promise.date.change",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_logistics_view_promise_request(self):
        self.ensure_one()
        request = self.logistics_promise_request_id.with_env(self.env)
        if not request:
            raise UserError(
                _("No promise-date change of %(order)s waits.", order=self.name)
            )
        try:
            request.check_access_rights("read")
            request.check_access_rule("read")
        except AccessError as error:
            raise AccessError(
                _(
                    "Only the requester of %(request)s, its approvers and the "
                    "exception managers open it.",
                    request=request.name,
                )
            ) from error
        return {
            "type": "ir.actions.act_window",
            "res_model": request._name,
            "res_id": request.id,
            "view_mode": "form",
        }

    # Billing-hold overrides and credit releases ------------------------

    @api.model
    def _check_logistics_credit_access(self, vals):
        """Lifting a credit hold by hand (RPC, import) does not skip the
        approval a release of that amount needs: only the approved request
        (or the release wizard under the threshold) lifts it, as superuser."""
        super()._check_logistics_credit_access(vals)
        if vals.get("logistics_credit_hold", True) or self.env.su:
            return
        Request = self.env["logistics.approval.request"]
        for order in self.filtered("logistics_credit_hold"):
            if Request._logistics_needs_approval(
                {
                    "approval_type": "credit_release",
                    "company_id": order.company_id.id,
                    "amount": order._logistics_approval_amount(),
                }
            ):
                raise AccessError(
                    _(
                        "Releasing the credit hold of %(order)s needs an approval: "
                        "use Release Credit Hold, which asks for it.",
                        order=order.name,
                    )
                )

    def _logistics_approval_amount(self):
        """What a credit release puts at stake, in the company's currency:
        the order's total (at the rate of its date)."""
        self.ensure_one()
        company = self.company_id
        return self.currency_id._convert(
            self.amount_total,
            company.currency_id,
            company,
            self.date_order or fields.Date.context_today(self),
        )
