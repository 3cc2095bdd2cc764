# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.logistics_exception.tests.common import LogisticsExceptionTourCase

from .test_invoice_gate import InvoiceGateCommon


class TestInvoiceGateTour(InvoiceGateCommon, LogisticsExceptionTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gate_customer = cls.env["res.partner"].create(
            {"name": "Gate Tour Customer"}
        )

    def test_billing_invoices_the_ready_jobs_of_a_customer(self):
        ready = self._delivered_order(self.gate_customer)
        ready |= self._delivered_order(self.gate_customer)
        charged = self._delivered_order(self.gate_customer)
        self._charge(charged.dispatch_job_ids)
        self.start_tour(
            "/web#action=logistics_dispatch_billing.logistics_dispatch_invoice_ready_action",
            "logistics_dispatch_invoice_ready_tour",
            login=self.billing.login,
        )
        invoice = ready.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(ready.dispatch_job_ids.invoice_ids, invoice)
        self.assertFalse(charged.invoice_ids)

    def test_refusal_opens_the_blocking_jobs(self):
        order = self._confirmed_order(self.gate_customer)
        job = self._job_of(order)
        invoice = order._create_invoices()
        self.start_tour(
            f"/web#model=account.move&id={invoice.id}&view_type=form",
            "logistics_dispatch_invoice_gate_tour",
            login=self.billing.login,
        )
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(job.invoice_ids)
