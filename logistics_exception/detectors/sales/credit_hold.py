from markupsafe import Markup

from odoo import _, api, models


class CreditHoldDetector(models.AbstractModel):
    """Confirmed orders that take the customer over their credit limit. The
    sales order flow holds their deliveries while the exception is open;
    cleared when Finance releases the hold."""

    _name = "logistics.exception.detector.credit_hold"
    _inherit = "logistics.exception.detector"
    _description = "Sales order confirmed over the credit limit"
    _area = "sales"
    _events = ("order_confirmed", "credit_released")

    @api.model
    def _detect(self, rules, event):
        if event.name != "order_confirmed":
            return []
        orders = event.records
        # The open balance and orders to invoice are computed, not stored: drop
        # what an earlier confirmation in this transaction left in the cache.
        orders.partner_id.commercial_partner_id.invalidate_recordset(
            ["credit", "credit_to_invoice"]
        )
        vals_list = []
        for order in orders:
            company = order.company_id
            if not company.account_use_credit_limit:
                continue
            # sudo: the salesperson confirming may not read accounting figures.
            partner = order.partner_id.commercial_partner_id.sudo().with_company(
                company
            )
            if not partner.credit_limit:
                continue
            exposure = partner.credit + partner.credit_to_invoice
            if exposure <= partner.credit_limit:
                continue
            # One hold per order: the first rule that covers it.
            rule = next(
                (r for r in rules if r._applies_to(company, order.warehouse_id)), None
            )
            if rule:
                vals_list.append(self._hold_values(rule, order, partner, exposure))
        return vals_list

    @api.model
    def _hold_values(self, rule, order, partner, exposure):
        return rule._prepare_exception_values(
            order,
            order.company_id,
            summary=_(
                "%(order)s confirmed over the credit limit of %(partner)s",
                order=order.name,
                partner=partner.display_name,
            ),
            description=Markup("<p>%s</p>")
            % _(
                "Credit limit %(limit)s, open balance and orders to invoice "
                "%(exposure)s. Deliveries of the order are held until "
                "Finance releases it.",
                limit=partner.credit_limit,
                exposure=exposure,
            ),
            sale_id=order.id,
            partner_id=order.partner_id.id,
            warehouse_id=order.warehouse_id.id,
            customer_impact=True,
            financial_impact=exposure - partner.credit_limit,
        )

    @api.model
    def _clear(self, rules, event):
        if event.name != "credit_released":
            return []
        return [
            (
                self._open_exceptions(rules, [("sale_id", "in", event.records.ids)]),
                _(
                    "Finance released the credit hold: %(reason)s",
                    reason=event.payload.get("reason", ""),
                ),
            )
        ]
