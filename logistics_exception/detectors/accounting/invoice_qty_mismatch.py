from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import float_compare


class InvoiceQtyMismatchDetector(models.AbstractModel):
    """Posted customer invoices that bill goods beyond what was delivered.
    Cleared by a posted credit note, once nothing on the invoice is billed
    beyond delivery any more."""

    _name = "logistics.exception.detector.invoice_qty_mismatch"
    _inherit = "logistics.exception.detector"
    _description = "Customer invoice bills more than was delivered"
    _area = "accounting"
    _events = ("invoice_posted",)

    @api.model
    def _detect(self, rules, event):
        invoices = event.records.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )

        def detect_one(rule, invoice):
            lines = self._excess_lines(rule, invoice)
            return lines and self._mismatch_values(rule, invoice, lines)

        return self._detect_each(rules, invoices, detect_one)

    @api.model
    def _excess_lines(self, rule, invoice):
        """(sale line, invoice line, delivered, invoiced) of the goods that
        ``invoice`` bills, where the sales order line is invoiced beyond what
        was delivered by more than the tolerance. Quantities in the unit of
        the sales order line."""
        lines = []
        for sale_line in invoice.invoice_line_ids.sale_line_ids:
            if sale_line.product_id.type not in ("product", "consu"):
                continue
            if not rule._applies_to(
                invoice.company_id, sale_line.order_id.warehouse_id
            ):
                continue
            delivered = sale_line.qty_delivered
            invoiced = self._posted_invoiced_qty(sale_line)
            rounding = sale_line.product_uom.rounding
            if float_compare(
                invoiced, delivered, precision_rounding=rounding
            ) > 0 and rule._exceeds_tolerance(delivered, invoiced, rounding):
                invoice_line = invoice.invoice_line_ids.filtered(
                    lambda line, s=sale_line: s in line.sale_line_ids
                )[:1]
                lines.append((sale_line, invoice_line, delivered, invoiced))
        return lines

    @api.model
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

    @api.model
    def _mismatch_values(self, rule, invoice, lines):
        orders = invoice.invoice_line_ids.sale_line_ids.order_id
        return rule._prepare_exception_values(
            invoice,
            invoice.company_id,
            summary=_(
                "Invoice %(invoice)s bills more than was delivered on "
                "%(count)s line(s)",
                invoice=invoice.name,
                count=len(lines),
            ),
            description=self._describe_excess(lines),
            move_id=invoice.id,
            sale_id=orders.id if len(orders) == 1 else False,
            partner_id=invoice.partner_id.id,
            financial_impact=self._excess_value(invoice, lines),
            **self._invoiced_goods_values(lines),
        )

    @api.model
    def _excess_value(self, invoice, lines):
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

    @api.model
    def _describe_excess(self, lines):
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

    @api.model
    def _invoiced_goods_values(self, lines):
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
    def _clear(self, rules, event):
        """A posted credit note of an invoice clears its quantity mismatch
        once nothing on the invoice is billed beyond delivery any more."""
        if event.name != "invoice_posted":
            return []
        refunds = event.records.filtered(
            lambda m: (
                m.move_type == "out_refund"
                and m.state == "posted"
                and m.reversed_entry_id
            )
        )
        if not refunds:
            return []
        exceptions = self._open_exceptions(
            rules, [("move_id", "in", refunds.reversed_entry_id.ids)]
        )
        by_message = defaultdict(lambda: exceptions.browse())
        for exception in exceptions:
            if self._excess_lines(exception.rule_id, exception.move_id):
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
            by_message[message] |= exception
        return [(cleared, message) for message, cleared in by_message.items()]
