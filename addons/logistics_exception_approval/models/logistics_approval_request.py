# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo import _, api, fields, models
from odoo.exceptions import UserError

APPROVAL_TYPES = [
    ("promise_date", "Promise Date Change"),
    ("expedite", "Expedite"),
    ("return", "Return"),
    ("billing_override", "Billing Hold Override"),
    ("credit_release", "Credit Release"),
]


class LogisticsApprovalRequest(models.Model):
    """A change to a business document that waits for approval: a later
    promise date, an expedite's rush purchase, a return, a billing override, a
    credit release. The request keeps what is asked (``payload``, frozen); on
    the last approval ``_logistics_apply_<approval_type>`` carries it out once.

    A control asks with ``_logistics_request``, which returns an empty
    recordset when no tier definition applies (the change goes ahead)."""

    _name = "logistics.approval.request"
    _description = "Approval Request"
    _inherit = ["logistics.approval.mixin"]
    _order = "id desc"

    approval_type = fields.Selection(
        APPROVAL_TYPES, string="Type", required=True, readonly=True, index=True
    )
    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, readonly=True
    )
    document_ref = fields.Reference(
        selection="_selection_document_ref",
        string="Document",
        compute="_compute_document_ref",
    )
    document_name = fields.Char(string="Document Name", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer/Vendor", readonly=True, index="btree_not_null"
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The value at stake, in the company's currency: what the tier "
        "definitions' thresholds compare with.",
    )
    reason = fields.Text(required=True, readonly=True)
    description = fields.Text(
        string="Change Requested",
        readonly=True,
        help="What approval will do, in words.",
    )
    payload = fields.Json(
        readonly=True,
        help="What approval will do, as data for the control that asked.",
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Named Approver",
        readonly=True,
        help="Who the control names as approver (e.g. the account owner's "
        "manager), for tier definitions validated by this field.",
    )

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "The value at stake of an approval request cannot be negative.",
        ),
    ]

    def init(self):
        # One waiting request per document and kind of change, in the database.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS logistics_approval_request_one_waiting
            ON logistics_approval_request (approval_type, res_model, res_id)
            WHERE state IN ('draft', 'to_approve')
            """
        )

    @api.model
    def _selection_document_ref(self):
        return [
            (model.model, model.name)
            for model in self.env["ir.model"].sudo().search([])
        ]

    @api.depends("res_model", "res_id")
    def _compute_document_ref(self):
        for request in self:
            if request.res_model and request.res_id:
                request.document_ref = f"{request.res_model},{request.res_id}"
            else:
                request.document_ref = False

    @api.model
    def _logistics_frozen_fields(self):
        return {
            "approval_type",
            "res_model",
            "res_id",
            "partner_id",
            "amount",
            "reason",
            "description",
            "payload",
            "approver_id",
        }

    def _logistics_document(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()

    def _logistics_documents(self):
        document = self._logistics_document()
        return [document] if document and hasattr(document, "message_post") else []

    def _logistics_activity_summary(self):
        self.ensure_one()
        return _(
            "Approve %(type)s %(request)s (%(document)s)",
            type=dict(self._fields["approval_type"].selection)[self.approval_type],
            request=self.name,
            document=self.document_name or "",
        )

    def _logistics_requested_message(self):
        self.ensure_one()
        return _(
            "%(request)s requested by %(user)s: %(change)s Reason: %(reason)s",
            request=self.name,
            user=self.requested_by_id.name,
            change=self.description or "",
            reason=self.reason,
        )

    # asking ---------------------------------------------------------------

    @api.model
    def _logistics_needs_approval(self, vals):
        """Whether an active tier definition applies to a request of these
        values (evaluated on a draft record, nothing is created)."""
        company = self.env["res.company"].browse(
            vals.get("company_id") or self.env.company.id
        )
        definitions = (
            self.env["tier.definition"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("company_id", "in", [False, company.id]),
                ]
            )
        )
        if not definitions:
            return False
        draft = self.new(dict(vals, state="to_approve"))
        for definition in definitions:
            domain = literal_eval(definition.definition_domain or "[]")
            if not domain or draft.filtered_domain(domain):
                return True
        return False

    @api.model
    def _logistics_waiting(self, approval_type, documents):
        """The requests of this type waiting for approval on ``documents``
        (as superuser: whoever works the document learns that a change
        waits, callers disclose only what they need)."""
        return self.sudo().search(
            [
                ("approval_type", "=", approval_type),
                ("res_model", "=", documents._name),
                ("res_id", "in", documents.ids),
                ("state", "in", ("draft", "to_approve")),
            ]
        )

    @api.model
    def _logistics_request(self, approval_type, document, **values):
        """Ask for approval of a change to ``document``; the request when a
        tier applies (already submitted), else an empty recordset: the caller
        carries the change out itself. Refused when the same change of the
        same document already waits."""
        reason = (values.get("reason") or "").strip()
        if not reason:
            raise UserError(_("Say why: an approval request needs a reason."))
        vals = {
            "approval_type": approval_type,
            "res_model": document._name,
            "res_id": document.id,
            "document_name": document.display_name,
            "company_id": (
                document.company_id.id
                if "company_id" in document._fields and document.company_id
                else self.env.company.id
            ),
            **values,
            "reason": reason,
        }
        if not self._logistics_needs_approval(vals):
            return self.browse()
        waiting = self._logistics_waiting(approval_type, document)[:1]
        if waiting:
            raise UserError(
                _(
                    "%(document)s already has a request waiting for approval "
                    "(%(request)s): wait for its decision.",
                    document=document.display_name,
                    request=waiting.name,
                )
            )
        # The control that asks has checked the asker's right to ask; the
        # request is created and submitted as superuser (reviews, activities,
        # notes on the document), the asker staying its requester (sudo keeps
        # the user).
        request = self.sudo().create(vals)
        request._submit()
        return request.with_env(self.env)

    # doing ------------------------------------------------------------------

    def _logistics_apply(self):
        for request in self:
            if request.state != "approved" or request.applied_date:
                continue
            # Claim the request first: a repeated call finds it applied.
            request.sudo().write(
                {"state": "applied", "applied_date": fields.Datetime.now()}
            )
            getattr(request, f"_logistics_apply_{request.approval_type}")()
            request._logistics_post(
                _(
                    "%(request)s approved and applied: %(change)s",
                    request=request.name,
                    change=request.description or "",
                )
            )
