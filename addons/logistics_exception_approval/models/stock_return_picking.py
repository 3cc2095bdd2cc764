# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

# Marks the creation of a return an approval authorised. A Python object, not
# a value: a context sent over RPC (JSON) cannot carry it, so users cannot
# skip the control by passing a context key.
APPROVED = object()
APPROVED_KEY = "logistics_exception_approval_return"


class StockReturnPicking(models.TransientModel):
    """A customer return worth more than its warehouse's threshold waits for
    approval: the wizard asks for it instead of creating the transfer, and
    the approval creates the transfer from what was asked."""

    _inherit = "stock.return.picking"

    logistics_currency_id = fields.Many2one(related="company_id.currency_id")
    logistics_return_value = fields.Monetary(
        string="Return Value",
        currency_field="logistics_currency_id",
        compute="_compute_logistics_return_value",
        help="Returned quantities x the sale price (the product cost without a "
        "sales order), in the company's currency.",
    )
    logistics_return_threshold = fields.Monetary(
        string="Return Approval Threshold",
        currency_field="logistics_currency_id",
        compute="_compute_logistics_return_value",
    )
    logistics_approval_needed = fields.Boolean(
        string="Needs Approval", compute="_compute_logistics_return_value"
    )
    logistics_return_reason = fields.Char(
        string="Return Reason",
        help="Why the customer returns these goods: the approvers read it.",
    )

    @api.depends(
        "picking_id",
        "product_return_moves.quantity",
        "product_return_moves.move_id",
    )
    def _compute_logistics_return_value(self):
        for wizard in self:
            controlled = wizard._logistics_return_controlled()
            threshold = (
                wizard.picking_id.picking_type_id.warehouse_id.logistics_return_approval_threshold
                if controlled
                else 0.0
            )
            value = wizard._logistics_return_value() if controlled else 0.0
            wizard.logistics_return_value = value
            wizard.logistics_return_threshold = threshold
            wizard.logistics_approval_needed = bool(threshold) and (
                wizard.logistics_currency_id.compare_amounts(value, threshold) > 0
            )

    def _logistics_return_controlled(self):
        """Whether returns of this transfer are under the control: returns of
        deliveries (customer returns). Override me for other transfers."""
        self.ensure_one()
        return self.picking_id.picking_type_id.code == "outgoing"

    def _logistics_return_value(self):
        """The value of the goods returned now, with what was already
        returned of the same delivered lines: a return split in two does not
        pass under the threshold."""
        self.ensure_one()
        value = 0.0
        for line, price in self._logistics_return_unit_prices().items():
            if float_is_zero(
                line.quantity, precision_rounding=line.product_id.uom_id.rounding
            ):
                continue
            returned = sum(
                move.product_qty
                for move in line.move_id.returned_move_ids
                if move.state != "cancel"
            )
            value += (line.quantity + returned) * price
        return value

    def _logistics_return_unit_prices(self):
        """{wizard line: value of one unit of its product (product UoM) in the
        company's currency}: the net sale price when the move comes from a
        sales order, else the product's cost."""
        self.ensure_one()
        company = self.picking_id.company_id or self.env.company
        prices = {}
        for line in self.product_return_moves:
            # sudo: a stock user returning goods may not read sales orders; the
            # price only values the return.
            sale_line = line.move_id.sudo().sale_line_id
            if sale_line:
                price = sale_line.price_unit * (
                    1.0 - (sale_line.discount or 0.0) / 100.0
                )
                price = sale_line.product_uom._compute_price(
                    price, line.product_id.uom_id
                )
                price = sale_line.currency_id._convert(
                    price,
                    company.currency_id,
                    company,
                    sale_line.order_id.date_order or fields.Date.context_today(self),
                )
            else:
                price = line.product_id.sudo().with_company(company).standard_price
            prices[line] = price
        return prices

    # actions ----------------------------------------------------------------

    def create_returns(self):
        if self.env.context.get(APPROVED_KEY) is APPROVED:
            return super().create_returns()
        self._logistics_check_no_waiting_return()
        requests = self.env["logistics.approval.request"]
        direct = self
        for wizard in self.filtered("logistics_approval_needed"):
            request = wizard._logistics_request_return()
            if request:
                requests |= request
                direct -= wizard
        action = super(StockReturnPicking, direct).create_returns() if direct else None
        if not requests:
            return action
        return self.env["logistics.approval.mixin"]._logistics_waiting_notification(
            _(
                "This return is worth more than the warehouse's threshold: "
                "it waits for approval (%(requests)s). The return transfer "
                "is created once it is approved.",
                requests=", ".join(requests.mapped("name")),
            ),
            title=_("Return waiting for approval"),
            next_action=action,
        )

    # business methods -------------------------------------------------------

    def _logistics_check_no_waiting_return(self):
        """A transfer whose return waits for approval is not returned again
        meanwhile (the approved return would come on top of it)."""
        waiting = self.env["logistics.approval.request"]._logistics_waiting(
            "return", self.picking_id
        )[:1]
        if waiting:
            raise UserError(
                _(
                    "A return of %(picking)s already waits for approval "
                    "(%(request)s): wait for its decision before returning it "
                    "again.",
                    picking=waiting.document_name,
                    request=waiting.name,
                )
            )

    def _logistics_return_lines(self):
        """The lines that return something, checked as the core does."""
        self.ensure_one()
        lines = self.product_return_moves.filtered(
            lambda ln: (
                not float_is_zero(ln.quantity, precision_rounding=ln.uom_id.rounding)
            )
        )
        if any(not line.move_id for line in self.product_return_moves):
            raise UserError(
                _(
                    "You have manually created product lines, please delete them "
                    "to proceed."
                )
            )
        if not lines:
            raise UserError(_("Please specify at least one non-zero quantity."))
        return lines

    def _logistics_request_return(self):
        """Ask for approval of this return: the request (submitted), or an
        empty recordset when no tier definition applies."""
        self.ensure_one()
        picking = self.picking_id
        # The request and its exception are made as superuser: check first
        # that the user may return this transfer.
        self.env["stock.picking"].check_access_rights("create")
        picking.check_access_rights("write")
        picking.check_access_rule("write")
        if not (self.logistics_return_reason or "").strip():
            raise UserError(
                _(
                    "This return is worth %(value)s %(currency)s, more than the "
                    "warehouse's threshold: say why the customer returns these "
                    "goods (Return Reason) so that an approver can decide. "
                    "Nothing was created.",
                    value=self.logistics_currency_id.round(self.logistics_return_value),
                    currency=self.logistics_currency_id.name,
                )
            )
        lines = self._logistics_return_lines()
        Request = self.env["logistics.approval.request"]
        amount = self.logistics_return_value
        if not Request._logistics_needs_approval(
            {
                "approval_type": "return",
                "res_model": picking._name,
                "res_id": picking.id,
                "company_id": picking.company_id.id,
                "partner_id": picking.partner_id.id,
                "amount": amount,
            }
        ):
            # No tier applies (all deactivated): the return goes ahead and
            # no exception is raised for it.
            return Request
        exception = self._logistics_return_exception()
        return Request._logistics_request(
            "return",
            picking,
            reason=self.logistics_return_reason,
            amount=amount,
            description=self._logistics_return_description(lines),
            payload=self._logistics_return_payload(lines),
            partner_id=picking.partner_id.id,
            exception_id=exception.id,
        )

    def _logistics_return_description(self, lines):
        self.ensure_one()
        return _(
            "Return of %(picking)s to %(location)s: %(products)s.",
            picking=self.picking_id.name,
            location=self.location_id.display_name,
            products=", ".join(
                f"{line.quantity:g} {line.uom_id.name} {line.product_id.display_name}"
                for line in lines
            ),
        )

    def _logistics_return_payload(self, lines):
        self.ensure_one()
        return {
            "picking_id": self.picking_id.id,
            "location_id": self.location_id.id,
            "lines": [
                {
                    "product_id": line.product_id.id,
                    "quantity": line.quantity,
                    "move_id": line.move_id.id,
                    "to_refund": line.to_refund,
                }
                for line in lines
            ],
        }

    def _logistics_return_exception(self):
        """The open return-authorization exception of the transfer: one open
        already (reported by a person or raised by an earlier request), else
        raised now through the detection engine."""
        self.ensure_one()
        picking = self.picking_id
        category = self.env.ref("logistics_exception.category_return_authorization")
        Exception_ = self.env["logistics.exception"].sudo()
        exception = Exception_.search(
            [
                ("picking_id", "=", picking.id),
                ("category_id", "=", category.id),
                ("is_open", "=", True),
            ],
            order="id desc",
            limit=1,
        )
        if exception:
            return exception
        top = max(
            self._logistics_return_unit_prices().items(),
            key=lambda item: item[0].quantity * item[1],
            default=(self.env["stock.return.picking.line"], 0.0),
        )[0]
        currency = self.logistics_currency_id
        vals = {
            # What the core proposes for an exception on a transfer (sale,
            # customer, warehouse, location), as the engine raises it.
            **picking.sudo()._get_logistics_exception_defaults(),
            "source_key": f"stock.picking.return:{picking.id}",
            "category_id": category.id,
            "detected_by": "rule",
            "summary": _(
                "Return of %(picking)s worth %(amount)s %(currency)s waits for "
                "approval",
                picking=picking.name,
                amount=currency.round(self.logistics_return_value),
                currency=currency.name,
            ),
        }
        if top:
            vals["product_id"] = top.product_id.id
        _raised, found = self.env["logistics.exception.engine"]._raise_found([vals])
        return found[:1]
