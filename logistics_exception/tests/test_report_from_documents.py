from odoo.exceptions import AccessError
from odoo.tests import Form

from .common import LogisticsExceptionCommon


class TestReportFromDocuments(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Carton of glassware", "type": "product"}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Glassworks Ltd"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    def _form_from(self, document, user=None):
        action = document.with_user(
            user or self.user
        ).action_report_logistics_exception()
        self.assertEqual(action["res_model"], "logistics.exception")
        return Form(
            self.env["logistics.exception"]
            .with_user(user or self.user)
            .with_context(**action["context"])
        )

    def test_report_from_a_delivery_prefills_the_form(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 12})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        form = self._form_from(picking)
        form.summary = "Two cartons crushed at loading"
        form.category_id = self.category_shortage
        exception = form.save()
        self.assertEqual(exception.picking_id, picking)
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(exception.warehouse_id, self.warehouse)
        self.assertEqual(exception.product_id, self.product)
        self.assertEqual(exception.source_ref, picking)
        self.assertEqual(exception.detected_by, "manual")
        self.assertEqual(picking.logistics_exception_count, 1)
        self.assertEqual(picking.logistics_exception_open_count, 1)
        self.assertEqual(order.logistics_exception_count, 1)
        action = picking.action_view_logistics_exceptions()
        self.assertEqual(
            self.env["logistics.exception"].search(action["domain"]), exception
        )

    def test_report_from_a_purchase_order(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_qty": 5})
                ],
            }
        )
        form = self._form_from(order)
        form.summary = "Vendor has not confirmed"
        form.category_id = self.category_delay
        exception = form.save()
        self.assertEqual(exception.purchase_id, order)
        self.assertEqual(exception.partner_id, self.vendor)
        self.assertEqual(exception.source_ref, order)

    def test_report_from_an_invoice(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {"product_id": self.product.id, "quantity": 3, "price_unit": 9},
                    )
                ],
            }
        )
        billing = self.env.ref("logistics_exception.category_billing_discrepancy")
        form = self._form_from(invoice, user=self.billing_user)
        form.summary = "Invoiced 3, delivered 2"
        form.category_id = billing
        exception = form.save()
        self.assertEqual(exception.move_id, invoice)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertTrue(exception.billing_hold)
        self.assertEqual(invoice.logistics_exception_count, 1)

    def test_user_without_invoice_access_cannot_report_on_an_invoice(self):
        invoice = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        with self.assertRaises(AccessError):
            invoice.with_user(self.user).action_report_logistics_exception()

    def test_category_change_in_form_drops_foreign_reason(self):
        with Form(self.env["logistics.exception"].with_user(self.user)) as form:
            form.summary = "Short pick"
            form.category_id = self.category_shortage
            form.reason_id = self.reason_short_pick
            self.assertEqual(form.severity, self.reason_short_pick.severity or "high")
            form.category_id = self.category_delay
            self.assertFalse(form.reason_id)
