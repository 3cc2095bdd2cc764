from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import float_compare, float_is_zero


class BillPriceVarianceDetector(models.AbstractModel):
    """Posted vendor bills whose net unit prices differ from the purchase
    order beyond the tolerance (a share and, when set, an amount per unit)."""

    _name = "logistics.exception.detector.bill_price_variance"
    _inherit = "logistics.exception.detector"
    _description = "Vendor bill price differs from the purchase order"
    _area = "accounting"
    _events = ("invoice_posted",)

    @api.model
    def _detect(self, rules, event):
        bills = event.records.filtered(
            lambda m: m.move_type == "in_invoice" and m.state == "posted"
        )

        def detect_one(rule, bill):
            lines = self._variance_lines(rule, bill)
            return lines and self._variance_values(rule, bill, lines)

        return self._detect_each(rules, bills, detect_one)

    @api.model
    def _exceeds_price_tolerance(self, rule, expected, actual):
        """Whether unit price ``actual`` differs from ``expected`` by more than
        the percentage and (if set) more than the amount per unit."""
        digits = self.env["decimal.precision"].precision_get("Product Price")
        difference = abs(actual - expected)
        if float_is_zero(difference, precision_digits=digits):
            return False
        tolerance = abs(expected) * (rule.threshold_percent or 0.0) / 100.0
        if float_compare(difference, tolerance, precision_digits=digits) <= 0:
            return False
        return not rule.threshold_amount or (
            float_compare(difference, rule.threshold_amount, precision_digits=digits)
            > 0
        )

    @api.model
    def _variance_lines(self, rule, bill):
        """(bill line, ordered price, billed price, quantity) of the lines of
        ``bill`` whose unit price differs from their purchase order line's
        beyond the tolerance. Prices and quantities are in the currency and
        unit of the purchase order line."""
        date = bill.invoice_date or bill.date or fields.Date.context_today(self)
        lines = []
        for line in bill.invoice_line_ids.filtered("purchase_line_id"):
            order_line = line.purchase_line_id
            warehouse = order_line.order_id.picking_type_id.warehouse_id
            if not rule._applies_to(bill.company_id, warehouse):
                continue
            # Net prices: a discount dropped from the bill is an overcharge.
            price = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            ordered = order_line.price_unit * (1 - (order_line.discount or 0.0) / 100.0)
            quantity = line.quantity
            if line.currency_id != order_line.currency_id:
                price = line.currency_id._convert(
                    price, order_line.currency_id, bill.company_id, date, round=False
                )
            uom = line.product_uom_id
            if uom and order_line.product_uom and uom != order_line.product_uom:
                price = uom._compute_price(price, order_line.product_uom)
                quantity = uom._compute_quantity(
                    quantity, order_line.product_uom, round=False
                )
            if self._exceeds_price_tolerance(rule, ordered, price):
                lines.append((line, ordered, price, quantity))
        return lines

    @api.model
    def _variance_values(self, rule, bill, lines):
        orders = bill.invoice_line_ids.purchase_line_id.order_id
        products = bill.invoice_line_ids.browse(
            [line.id for line, *_rest in lines]
        ).product_id
        return rule._prepare_exception_values(
            bill,
            bill.company_id,
            summary=_(
                "Bill %(bill)s from %(vendor)s: prices differ from %(orders)s on "
                "%(count)s line(s)",
                bill=bill.name,
                vendor=bill.partner_id.display_name,
                orders=", ".join(orders.mapped("name")),
                count=len(lines),
            ),
            description=self._describe_variance(lines),
            move_id=bill.id,
            purchase_id=orders.id if len(orders) == 1 else False,
            partner_id=bill.partner_id.id,
            product_id=products.id if len(products) == 1 else False,
            financial_impact=self._variance_value(bill, lines),
        )

    @api.model
    def _variance_value(self, bill, lines):
        """Total price variance of ``lines``, in company currency."""
        company = bill.company_id
        date = bill.invoice_date or bill.date or fields.Date.context_today(self)
        return sum(
            line.purchase_line_id.currency_id._convert(
                abs(billed - ordered) * quantity,
                company.currency_id,
                company,
                date,
            )
            for line, ordered, billed, quantity in lines
        )

    @api.model
    def _describe_variance(self, lines):
        items = Markup("").join(
            Markup("<li>%s</li>")
            % _(
                "%(product)s (%(order)s): ordered at %(ordered)s, billed at "
                "%(billed)s %(currency)s per %(uom)s",
                product=line.product_id.display_name or line.name,
                order=line.purchase_line_id.order_id.name,
                ordered=line.purchase_line_id.currency_id.round(ordered),
                billed=line.purchase_line_id.currency_id.round(billed),
                currency=line.purchase_line_id.currency_id.name,
                uom=line.purchase_line_id.product_uom.name,
            )
            for line, ordered, billed, _quantity in lines
        )
        return Markup("<ul>%s</ul>") % items
