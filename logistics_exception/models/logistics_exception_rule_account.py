# The detectors are split by application (stock in logistics_exception_rule.py,
# sales and purchase in logistics_exception_rule_sale.py, accounting in
# logistics_exception_rule_account.py) so that each file stays readable.
# pylint: disable=consider-merging-classes-inherited
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

# The accounting detectors. The first two react to an invoice or a bill being
# posted; ``billing_hold`` is a gate: it refuses to post a customer invoice
# while the goods it bills have open exceptions that hold billing.
ACCOUNT_DETECTORS = [
    ("invoice_qty_mismatch", "Customer invoice bills more than was delivered"),
    ("bill_price_variance", "Vendor bill price differs from the purchase order"),
    ("billing_hold", "Hold invoicing while the goods have open exceptions"),
]
INVOICE_EVENT_DETECTORS = ("invoice_qty_mismatch", "bill_price_variance")


class LogisticsExceptionRule(models.Model):
    _inherit = "logistics.exception.rule"

    detector = fields.Selection(
        selection_add=ACCOUNT_DETECTORS,
        ondelete={key: "cascade" for key, _label in ACCOUNT_DETECTORS},
    )

    # ------------------------------------------------------------------
    # Event detectors: accounting
    # ------------------------------------------------------------------
    @api.model
    def _has_invoice_detectors(self):
        """Whether a detector watches posted invoices (no query once cached)."""
        return any(self._get_rule_ids(detector) for detector in INVOICE_EVENT_DETECTORS)

    @api.model
    def _detect_invoice_events(self, moves):
        """Run the detectors of posted ``moves`` (invoices, bills, credit
        notes), then clear what the credit notes among them made good."""
        vals_list = []
        for detector in INVOICE_EVENT_DETECTORS:
            for rule in self._get_rules(detector):
                vals_list += getattr(rule, f"_detect_{detector}")(moves)
        self._raise_exceptions(vals_list)
        self._clear_reversed_invoice_mismatches(moves)

    # Invoiced quantity mismatch ----------------------------------------
    def _invoice_excess_lines(self, invoice):
        """(sale line, invoice line, delivered, invoiced) of the goods that
        ``invoice`` bills, where the sales order line is invoiced beyond what
        was delivered by more than the tolerance. Quantities in the unit of
        the sales order line."""
        self.ensure_one()
        lines = []
        for sale_line in invoice.invoice_line_ids.sale_line_ids:
            if sale_line.product_id.type not in ("product", "consu"):
                continue
            if not self._applies_to(
                invoice.company_id, sale_line.order_id.warehouse_id
            ):
                continue
            delivered = sale_line.qty_delivered
            invoiced = self._posted_invoiced_qty(sale_line)
            rounding = sale_line.product_uom.rounding
            if float_compare(
                invoiced, delivered, precision_rounding=rounding
            ) > 0 and self._exceeds_tolerance(delivered, invoiced, rounding):
                invoice_line = invoice.invoice_line_ids.filtered(
                    lambda line, s=sale_line: s in line.sale_line_ids
                )[:1]
                lines.append((sale_line, invoice_line, delivered, invoiced))
        return lines

    def _posted_invoiced_qty(self, sale_line):
        """Quantity of ``sale_line`` on posted invoices less posted credit
        notes (``qty_invoiced`` also counts drafts), in its unit."""
        quantity = 0.0
        for line in sale_line.invoice_lines:
            move = line.move_id
            if move.state != "posted" or move.move_type not in (
                "out_invoice",
                "out_refund",
            ):
                continue
            qty = line.product_uom_id._compute_quantity(
                line.quantity, sale_line.product_uom
            )
            quantity += qty if move.move_type == "out_invoice" else -qty
        return quantity

    def _invoice_excess_value(self, invoice, lines):
        """Value of what ``lines`` invoice beyond delivery, in company currency,
        at the net unit price of the invoice."""
        company = invoice.company_id
        date = invoice.invoice_date or invoice.date or fields.Date.context_today(self)
        total = 0.0
        for sale_line, invoice_line, delivered, invoiced in lines:
            price = invoice_line.price_unit * (
                1.0 - (invoice_line.discount or 0.0) / 100.0
            )
            if invoice_line.product_uom_id and invoice_line.product_uom_id != (
                sale_line.product_uom
            ):
                price = invoice_line.product_uom_id._compute_price(
                    price, sale_line.product_uom
                )
            total += price * (invoiced - delivered)
        return invoice.currency_id._convert(
            total, company.currency_id, company, date, round=True
        )

    def _describe_invoice_excess(self, lines):
        items = Markup("").join(
            Markup("<li>%s</li>")
            % _(
                "%(product)s (%(order)s): ordered %(ordered)s, delivered "
                "%(delivered)s, invoiced %(invoiced)s %(uom)s",
                product=sale_line.product_id.display_name,
                order=sale_line.order_id.name,
                ordered=sale_line.product_uom_qty,
                delivered=delivered,
                invoiced=invoiced,
                uom=sale_line.product_uom.name,
            )
            for sale_line, _invoice_line, delivered, invoiced in lines
        )
        return Markup("<ul>%s</ul>") % items

    def _detect_invoice_qty_mismatch(self, moves):
        """Posted customer invoices that bill goods beyond what was delivered."""
        self.ensure_one()
        vals_list = []
        for invoice in moves:
            if invoice.move_type != "out_invoice" or invoice.state != "posted":
                continue
            lines = self._invoice_excess_lines(invoice)
            if not lines:
                continue
            orders = invoice.invoice_line_ids.sale_line_ids.order_id
            vals_list.append(
                self._prepare_exception_values(
                    invoice,
                    invoice.company_id,
                    summary=_(
                        "Invoice %(invoice)s bills more than was delivered on "
                        "%(count)s line(s)",
                        invoice=invoice.name,
                        count=len(lines),
                    ),
                    description=self._describe_invoice_excess(lines),
                    move_id=invoice.id,
                    sale_id=orders.id if len(orders) == 1 else False,
                    partner_id=invoice.partner_id.id,
                    financial_impact=self._invoice_excess_value(invoice, lines),
                    **self._invoice_goods_values(lines),
                )
            )
        return vals_list

    def _invoice_goods_values(self, lines):
        """Product and quantities (delivered, invoiced) in the product's unit
        when the exception is about one product."""
        products = {sale_line.product_id for sale_line, *_rest in lines}
        if len(products) != 1:
            return {}
        product = products.pop()
        delivered = invoiced = 0.0
        for sale_line, _invoice_line, line_delivered, line_invoiced in lines:
            uom = sale_line.product_uom
            delivered += uom._compute_quantity(line_delivered, product.uom_id)
            invoiced += uom._compute_quantity(line_invoiced, product.uom_id)
        return {
            "product_id": product.id,
            "quantity_expected": delivered,
            "quantity_actual": invoiced,
        }

    @api.model
    def _clear_reversed_invoice_mismatches(self, moves):
        """A posted credit note of an invoice clears its quantity mismatch
        once nothing on the invoice is billed beyond delivery any more."""
        rules = self._get_rules("invoice_qty_mismatch")
        refunds = moves.filtered(
            lambda m: (
                m.move_type == "out_refund"
                and m.state == "posted"
                and m.reversed_entry_id
            )
        )
        if not rules or not refunds:
            return
        exceptions = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("rule_id", "in", rules.ids),
                    ("move_id", "in", refunds.reversed_entry_id.ids),
                    ("is_open", "=", True),
                ]
            )
        )
        by_message = {}
        for exception in exceptions:
            if exception.rule_id._invoice_excess_lines(exception.move_id):
                continue
            credit_notes = refunds.filtered(
                lambda r, e=exception: r.reversed_entry_id == e.move_id
            )
            message = _(
                "Credit note %(credit_note)s reversed invoice %(invoice)s: "
                "nothing is billed beyond delivery any more.",
                credit_note=", ".join(credit_notes.mapped("name")),
                invoice=exception.move_id.name,
            )
            by_message.setdefault(message, []).append(exception.id)
        for message, exception_ids in by_message.items():
            self._clear_exceptions([("id", "in", exception_ids)], message)

    # Bill price variance -----------------------------------------------
    def _exceeds_price_tolerance(self, expected, actual):
        """Whether unit price ``actual`` differs from ``expected`` by more than
        the percentage and (if set) more than the amount per unit."""
        self.ensure_one()
        digits = self.env["decimal.precision"].precision_get("Product Price")
        difference = abs(actual - expected)
        if float_is_zero(difference, precision_digits=digits):
            return False
        tolerance = abs(expected) * (self.threshold_percent or 0.0) / 100.0
        if float_compare(difference, tolerance, precision_digits=digits) <= 0:
            return False
        return not self.threshold_amount or (
            float_compare(difference, self.threshold_amount, precision_digits=digits)
            > 0
        )

    def _bill_variance_lines(self, bill):
        """(bill line, ordered price, billed price, quantity) of the lines of
        ``bill`` whose unit price differs from their purchase order line's
        beyond the tolerance. Prices and quantities are in the currency and
        unit of the purchase order line."""
        self.ensure_one()
        date = bill.invoice_date or bill.date or fields.Date.context_today(self)
        lines = []
        for line in bill.invoice_line_ids.filtered("purchase_line_id"):
            order_line = line.purchase_line_id
            warehouse = order_line.order_id.picking_type_id.warehouse_id
            if not self._applies_to(bill.company_id, warehouse):
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
            if self._exceeds_price_tolerance(ordered, price):
                lines.append((line, ordered, price, quantity))
        return lines

    def _bill_variance_value(self, bill, lines):
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

    def _describe_bill_variance(self, lines):
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

    def _detect_bill_price_variance(self, moves):
        """Posted vendor bills whose prices differ from the purchase order."""
        self.ensure_one()
        vals_list = []
        for bill in moves:
            if bill.move_type != "in_invoice" or bill.state != "posted":
                continue
            lines = self._bill_variance_lines(bill)
            if not lines:
                continue
            orders = bill.invoice_line_ids.purchase_line_id.order_id
            products = bill.invoice_line_ids.browse(
                [line.id for line, *_rest in lines]
            ).product_id
            vals_list.append(
                self._prepare_exception_values(
                    bill,
                    bill.company_id,
                    summary=_(
                        "Bill %(bill)s from %(vendor)s: prices differ from "
                        "%(orders)s on %(count)s line(s)",
                        bill=bill.name,
                        vendor=bill.partner_id.display_name,
                        orders=", ".join(orders.mapped("name")),
                        count=len(lines),
                    ),
                    description=self._describe_bill_variance(lines),
                    move_id=bill.id,
                    purchase_id=orders.id if len(orders) == 1 else False,
                    partner_id=bill.partner_id.id,
                    product_id=products.id if len(products) == 1 else False,
                    financial_impact=self._bill_variance_value(bill, lines),
                )
            )
        return vals_list

    # ------------------------------------------------------------------
    # Gate: billing hold
    # ------------------------------------------------------------------
    @api.model
    def _get_billing_holds(self, invoices):
        """Open exceptions that hold the billing of each customer invoice of
        ``invoices``, as {invoice: exceptions}: those raised on the invoice, on
        its sales orders or on their transfers. Invoices whose hold was
        overridden, or that no active rule covers, are not held. One query."""
        rules = self._get_rules("billing_hold")
        if not rules:
            return {}
        no_warehouse = self.env["stock.warehouse"]
        candidates = {}
        for invoice in invoices:
            if (
                invoice.move_type != "out_invoice"
                or invoice.state != "draft"
                or invoice.logistics_billing_hold_override_uid
            ):
                continue
            orders = invoice.line_ids.sale_line_ids.order_id
            warehouses = list(orders.warehouse_id) or [no_warehouse]
            if any(
                rule._applies_to(invoice.company_id, warehouse)
                for rule in rules
                for warehouse in warehouses
            ):
                candidates[invoice] = (orders, orders.picking_ids)
        if not candidates:
            return {}
        orders = self.env["sale.order"].union(*(o for o, _p in candidates.values()))
        pickings = self.env["stock.picking"].union(
            *(p for _o, p in candidates.values())
        )
        # sudo: whoever posts the invoice may not see the logistics queues;
        # only the references of the holding exceptions are disclosed.
        exceptions = (
            self.env["logistics.exception"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("billing_hold", "=", True),
                    ("is_open", "=", True),
                    ("company_id", "in", [i.company_id.id for i in candidates]),
                    "|",
                    "|",
                    ("move_id", "in", [i._origin.id for i in candidates if i._origin]),
                    ("sale_id", "in", orders.ids),
                    ("picking_id", "in", pickings.ids),
                ]
            )
        )
        holds = {}
        for invoice, (inv_orders, inv_pickings) in candidates.items():
            held = exceptions.filtered(
                lambda e, i=invoice, o=inv_orders, p=inv_pickings: (
                    e.company_id == i.company_id
                    and (
                        (i._origin and e.move_id == i._origin)
                        or (e.sale_id and e.sale_id in o)
                        or (e.picking_id and e.picking_id in p)
                    )
                )
            )
            if held:
                holds[invoice] = held
        return holds

    @api.model
    def _check_billing_hold(self, moves):
        """Refuse to post customer invoices whose goods are held."""
        holds = self._get_billing_holds(moves)
        if not holds:
            return
        invoice, exceptions = next(iter(holds.items()))
        raise UserError(
            _(
                "Invoice %(invoice)s cannot be posted: open logistics exceptions "
                "hold the billing of these goods:\n%(exceptions)s\n\nResolve "
                "these exceptions first, or ask a Finance manager to override the "
                "billing hold on the invoice (Override Billing Hold) with a reason.",
                invoice=invoice.display_name,
                exceptions="\n".join(
                    f"- {name}" for name in exceptions.mapped("display_name")
                ),
            )
        )
