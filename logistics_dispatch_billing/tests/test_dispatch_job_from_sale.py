# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from .common import DispatchJobCommon


class TestDispatchJobFromSale(DispatchJobCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.goods = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "product"}
        )
        cls.delivery_service = cls.env["product.product"].create(
            {"name": "Same-day delivery", "type": "service", "dispatch_service": True}
        )
        cls.other_service = cls.env["product.product"].create(
            {"name": "Installation", "type": "service"}
        )
        cls.salesman = new_test_user(
            cls.env, login="disp_salesman", groups="sales_team.group_sale_salesman"
        )

    def _order(self, partner, products):
        """An order a salesperson confirms, read back as the admin."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        (0, 0, {"product_id": p.id, "product_uom_qty": 2})
                        for p in products
                    ],
                }
            )
        )
        order.action_confirm()
        return self.env["sale.order"].browse(order.id)

    def test_order_with_a_dispatch_service_creates_a_job_per_delivery(self):
        order = self._order(self.customer, self.goods | self.delivery_service)
        job = self.env["logistics.dispatch.job"].search([("sale_id", "=", order.id)])
        self.assertEqual(len(job), 1)
        self.assertEqual(job.picking_id, order.picking_ids)
        self.assertEqual(job.picking_id.picking_type_code, "outgoing")
        self.assertEqual(job.service_product_id, self.delivery_service)
        self.assertEqual(job.partner_id, self.customer)
        self.assertEqual(job.planned_start, order.picking_ids.scheduled_date)
        self.assertEqual(job.state, "draft")
        self.assertEqual(order.dispatch_job_count, 1)

    def test_customer_setting_creates_jobs_without_a_service(self):
        self.customer.dispatch_auto_job = True
        order = self._order(self.customer, self.goods)
        self.assertEqual(order.dispatch_job_ids.picking_id, order.picking_ids)
        # Running it again does not duplicate the job.
        order._create_dispatch_jobs()
        self.assertEqual(len(order.dispatch_job_ids), 1)

    def test_order_without_service_or_setting_creates_no_job(self):
        order = self._order(self.customer, self.goods | self.other_service)
        self.assertTrue(order.picking_ids)
        self.assertFalse(order.dispatch_job_ids)
