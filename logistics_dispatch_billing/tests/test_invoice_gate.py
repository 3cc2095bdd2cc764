# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import Form, new_test_user

from .common import DispatchBillingCommon


class InvoiceGateCommon(DispatchBillingCommon):
    @classmethod
    def _charge(cls, job, quantity=45.0):
        """A waiting charge still to approve (as the charge computation
        makes them)."""
        return cls.env["logistics.dispatch.charge"].create(
            {
                "job_id": job.id,
                "accessorial_type_id": cls.wait.id,
                "product_id": cls.wait.product_id.id,
                "name": f"Waiting time {job.name}",
                "quantity": quantity,
                "price_unit": 1.0,
            }
        )

    @classmethod
    def _ship(cls, order):
        """Validate the order's delivery in full: its invoice bills no more
        than was delivered (the core's quantity check stays quiet)."""
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking._action_done()
        return order

    @classmethod
    def _delivered_order(cls, partner=None):
        order = cls._confirmed_order(partner)
        cls._deliver(cls._job_of(order))
        return cls._ship(order)

    def _override(self, invoice, user, reason):
        action = invoice.with_user(user).action_open_logistics_billing_override()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        blockers = wizard.held_exceptions
        record = wizard.save()
        record.with_context(tracking_disable=False, mail_notrack=False).action_confirm()
        return blockers


class TestInvoiceGate(InvoiceGateCommon):
    def test_blocked_invoice_lists_every_blocker_and_changes_nothing(self):
        # A job planned only, a delivered job with a charge to approve, a
        # failed job (not re-planned) whose exception holds billing.
        planned = self._confirmed_order()
        planned_job = self._job_of(planned)
        planned_job.with_user(self.dispatcher).action_plan()
        charged = self._delivered_order()
        charge = self._charge(charged.dispatch_job_ids)
        failed = self._confirmed_order()
        failed_job = self._job_of(failed)
        failed_job.with_user(self.dispatcher).action_plan()
        failed_job._fail(self.reason_not_home, "Nobody answered")
        exception = failed_job.exception_ids
        self.assertTrue(exception.billing_hold)
        invoice = (planned | charged | failed)._create_invoices()
        self.assertEqual(len(invoice), 1)
        with self.assertRaises(RedirectWarning) as caught:
            invoice.with_user(self.billing).action_post()
        message, action, button = caught.exception.args[:3]
        for expected in (
            planned_job.name,
            "not delivered yet (Planned)",
            charge.name,
            "still to approve",
            exception.name,
            failed_job.name,
            "failed and it is not re-planned",
            "Resolve these exceptions first.",
            "Deliver the jobs with their proof (or cancel them).",
            "Approve or reject the charges.",
            "Finance manager",
        ):
            self.assertIn(expected, message)
        # One link to the blocking jobs.
        self.assertEqual(action["res_model"], "logistics.dispatch.job")
        self.assertEqual(
            set(action["domain"][0][2]),
            {planned_job.id, charged.dispatch_job_ids.id, failed_job.id},
        )
        self.assertEqual(button, "Show Blocking Jobs")
        self.assertEqual(invoice.state, "draft")
        jobs = (planned | charged | failed).dispatch_job_ids
        self.assertFalse(jobs.invoice_ids)
        self.assertFalse(any(jobs.mapped("date_invoiced")))
        self.assertEqual(charge.state, "draft")
        self.assertTrue(exception.is_open)

    def test_posting_from_code_is_refused_with_a_user_error(self):
        # The auto-post cron and other code handle UserError, not the
        # button's RedirectWarning.
        order = self._confirmed_order()
        job = self._job_of(order)
        invoice = order._create_invoices()
        with self.assertRaisesRegex(UserError, job.name):
            invoice._post(soft=False)
        self.assertEqual(invoice.state, "draft")

    def test_cancelled_and_replanned_jobs_do_not_block(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        job.with_user(self.dispatcher).action_plan()
        job._fail(self.reason_not_home)
        exception = job.exception_ids
        new_job_id = job.with_user(self.dispatcher).action_replan()["res_id"]
        new_job = self.env["logistics.dispatch.job"].browse(new_job_id)
        new_job.write({"planned_start": job.planned_start})
        self._deliver(new_job)
        # The redelivery is charged at the card's rate, approved by billing.
        self.assertEqual(new_job.charge_ids.accessorial_type_id, self.redelivery)
        new_job.charge_ids.with_user(self.billing).action_approve()
        self._ship(order)
        invoice = order._create_invoices()
        self.assertIn(self.redelivery.product_id, invoice.invoice_line_ids.product_id)
        # The failed delivery's exception still holds billing...
        with self.assertRaisesRegex(RedirectWarning, exception.name) as caught:
            invoice.action_post()
        self.assertNotIn("not re-planned", caught.exception.args[0])
        # ... until it is resolved.
        exception.root_cause_id = self.env["logistics.exception.root.cause"].search(
            [("category_id", "=", exception.category_id.id)], limit=1
        )
        self.env["ir.attachment"].create(
            {
                "name": "call-log.txt",
                "raw": b"Customer called back",
                "res_model": exception._name,
                "res_id": exception.id,
            }
        )
        exception.action_resolve()
        self.assertFalse(exception.is_open)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(new_job.invoice_ids, invoice)

    def test_ready_order_posts_and_the_jobs_record_their_invoice(self):
        order = self._delivered_order()
        job = order.dispatch_job_ids
        self._charge(job).sudo().write({"state": "approved"})
        invoice = order._create_invoices()
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(job.invoice_ids, invoice)
        self.assertTrue(job.date_invoiced)
        first = job.date_invoiced
        # The POD is attached to the invoice.
        pod = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(pod), 1)
        self.assertIn("Proof of Delivery", pod.name)
        self.assertIn(job.name.encode(), pod.raw)
        self.assertIn(b"R. Receiver", pod.raw)
        # A second invoice keeps the date of the first.
        order.order_line[1].product_uom_qty = 2
        second = order._create_invoices()
        second.action_post()
        self.assertEqual(job.invoice_ids, invoice | second)
        self.assertEqual(job.date_invoiced, first)
        # Posted again after a reset to draft: one POD, not two.
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
            ),
            1,
        )

    def test_invoice_without_dispatch_jobs_is_not_gated(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.goods.id})],
            }
        )
        order.action_confirm()
        self.assertFalse(order.dispatch_job_ids)
        invoice = order._create_invoices()
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(order.billing_ready)
        self.assertFalse(order.billing_blocker)


class TestInvoiceGateOverride(InvoiceGateCommon):
    def test_billing_clerk_cannot_override(self):
        order = self._confirmed_order()
        invoice = order._create_invoices()
        with self.assertRaises(AccessError):
            invoice.with_user(self.billing).action_open_logistics_billing_override()
        with self.assertRaises(RedirectWarning):
            invoice.with_user(self.billing).action_post()

    def test_manager_overrides_with_a_reason_tracked_on_invoice_and_jobs(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        job.with_user(self.dispatcher).action_plan()
        delivered = self._delivered_order()
        charge = self._charge(delivered.dispatch_job_ids)
        invoice = (order | delivered)._create_invoices()
        self.assertTrue(invoice.with_user(self.billing_manager).logistics_billing_held)
        # The override comes in a later transaction than the invoice: a
        # record is not tracked in the transaction that creates it.
        self.env.flush_all()
        self.cr.flush()
        blockers = self._override(
            invoice, self.billing_manager, "Customer pays on order, agreed"
        )
        self.assertIn(job.name, blockers)
        self.assertIn(charge.name, blockers)
        self.assertIn(f"model=logistics.dispatch.job&amp;id={job.id}", blockers)
        self.env.flush_all()
        self.cr.flush()
        self.assertEqual(
            invoice.logistics_billing_hold_override_uid, self.billing_manager
        )
        tracked = invoice.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("logistics_billing_hold_override_reason", tracked)
        for blocked_job in job | delivered.dispatch_job_ids:
            note = blocked_job.message_ids[0]
            self.assertIn(invoice.display_name, note.body)
            self.assertIn("Customer pays on order, agreed", note.body)
            self.assertIn(self.billing_manager.name, note.body)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(job.invoice_ids, invoice)
        # Only the delivered job has a POD to attach.
        pod = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertIn(delivered.dispatch_job_ids.name.encode(), pod.raw)
        self.assertNotIn(job.name.encode(), pod.raw)

    def test_override_of_a_ready_invoice_is_refused(self):
        invoice = self._delivered_order()._create_invoices()
        wizard = (
            self.env["logistics.exception.billing.override"]
            .with_user(self.billing_manager)
            .create({"move_id": invoice.id, "reason": "Just in case"})
        )
        with self.assertRaisesRegex(UserError, "not held"):
            wizard.action_confirm()


class TestBillingReadiness(InvoiceGateCommon):
    def test_job_and_order_readiness_say_why(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        self.assertFalse(job.billing_ready)
        self.assertIn("not delivered yet (Draft)", job.billing_blocker)
        self.assertFalse(order.billing_ready)
        self.assertIn(job.name, order.billing_blocker)
        self._deliver(job)
        self._ship(order)
        job.invalidate_recordset(["billing_ready", "billing_blocker"])
        order.invalidate_recordset(["billing_ready", "billing_blocker"])
        self.assertTrue(job.with_user(self.billing).billing_ready)
        self.assertTrue(order.with_user(self.billing).billing_ready)
        charge = self._charge(job)
        job.invalidate_recordset(["billing_ready", "billing_blocker"])
        order.invalidate_recordset(["billing_ready", "billing_blocker"])
        self.assertFalse(job.billing_ready)
        self.assertIn(charge.name, job.billing_blocker)
        self.assertIn(charge.name, order.billing_blocker)
        Job = self.env["logistics.dispatch.job"].with_user(self.billing)
        Order = self.env["sale.order"].with_user(self.billing)
        self.assertNotIn(job, Job.search([("billing_ready", "=", True)]))
        self.assertIn(job, Job.search([("billing_ready", "=", False)]))
        self.assertNotIn(order, Order.search([("billing_ready", "=", True)]))
        charge.sudo().write({"state": "approved"})
        # Salespeople filter their orders by readiness without reading jobs.
        order.user_id = self.salesman
        as_salesman = self.env["sale.order"].with_user(self.salesman)
        self.assertIn(order, as_salesman.search([("billing_ready", "=", True)]))
        order.invalidate_recordset(["billing_ready", "billing_blocker"])
        self.assertTrue(order.with_user(self.salesman).billing_ready)
        self.assertIn(job, Job.search([("billing_ready", "=", True)]))
        self.assertIn(order, Order.search([("billing_ready", "=", True)]))
        # Invoiced: nothing left to invoice.
        order._create_invoices().action_post()
        job.invalidate_recordset(["billing_ready", "billing_blocker"])
        order.invalidate_recordset(["billing_ready", "billing_blocker"])
        self.assertFalse(job.billing_ready)
        self.assertIn("Invoiced already", job.billing_blocker)
        self.assertFalse(order.billing_ready)
        self.assertNotIn(job, Job.search([("billing_ready", "=", True)]))

    def test_job_without_sales_order_is_not_ready(self):
        job = self._create_job()
        self._deliver(job)
        self.assertFalse(job.billing_ready)
        self.assertIn("No sales order", job.billing_blocker)
        Job = self.env["logistics.dispatch.job"]
        self.assertNotIn(job, Job.search([("billing_ready", "=", True)]))

    def test_driver_sees_readiness_without_reading_charges(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        self._deliver(job)
        self._charge(job)
        job_as_driver = job.with_user(self.driver)
        self.assertFalse(job_as_driver.billing_ready)
        with self.assertRaises(AccessError):
            job_as_driver.charge_ids.read(["name"])

    def test_readiness_is_shown_on_job_and_order_forms(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        job_form = Form(job.with_user(self.billing))
        self.assertFalse(job_form.billing_ready)
        self.assertIn(job.name, job_form.billing_blocker)
        arch = (
            self.env["sale.order"]
            .with_user(self.billing)
            .get_views([(False, "form"), (False, "search")])["views"]
        )
        self.assertIn('name="billing_blocker"', arch["form"]["arch"])
        self.assertIn('name="billing_ready"', arch["search"]["arch"])


class TestInvoiceReadyJobs(InvoiceGateCommon):
    def test_billing_invoices_all_ready_jobs_of_a_customer_at_once(self):
        ready_1 = self._delivered_order()
        ready_2 = self._delivered_order()
        charged = self._delivered_order()
        charge = self._charge(charged.dispatch_job_ids)
        pending = self._confirmed_order()
        self._job_of(pending)
        other = self.env["res.partner"].create({"name": "Other Customer"})
        elsewhere = self._delivered_order(other)
        wizard = Form(
            self.env["logistics.dispatch.invoice.ready"].with_user(self.billing)
        )
        wizard.partner_id = self.customer
        self.assertEqual(wizard.ready_count, 2)
        record = wizard.save()
        self.assertEqual(record.order_ids, ready_1 | ready_2)
        self.assertIn(charge.name, record.skipped)
        action = record.action_create_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.line_ids.sale_line_ids.order_id, ready_1 | ready_2)
        invoice.with_user(self.billing).action_post()
        self.assertEqual((ready_1 | ready_2).dispatch_job_ids.invoice_ids, invoice)
        self.assertFalse(charged.invoice_ids)
        self.assertFalse(pending.invoice_ids)
        self.assertFalse(elsewhere.invoice_ids)
        # Nothing left: the action says so.
        again = (
            self.env["logistics.dispatch.invoice.ready"]
            .with_user(self.billing)
            .create({"partner_id": self.customer.id})
        )
        with self.assertRaisesRegex(UserError, "No job is ready to invoice"):
            again.action_create_invoice()

    def test_selected_jobs_invoice_their_orders_only(self):
        ready_1 = self._delivered_order()
        ready_2 = self._delivered_order()
        wizard = (
            self.env["logistics.dispatch.invoice.ready"]
            .with_user(self.billing)
            .with_context(
                active_model="logistics.dispatch.job",
                active_ids=ready_1.dispatch_job_ids.ids,
            )
            .create({})
        )
        self.assertEqual(wizard.order_ids, ready_1)
        wizard.action_create_invoice()
        self.assertTrue(ready_1.invoice_ids)
        self.assertFalse(ready_2.invoice_ids)

    def test_billing_of_another_company_sees_no_ready_job(self):
        ready = self._delivered_order()
        billing_b = new_test_user(
            self.env,
            login="gate_billing_b",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        Wizard = self.env["logistics.dispatch.invoice.ready"].with_user(billing_b)
        wizard = Wizard.create({"partner_id": self.customer.id})
        self.assertEqual(wizard.company_id, self.company_b)
        self.assertEqual(wizard.ready_count, 0)
        with self.assertRaisesRegex(UserError, "No job is ready"):
            wizard.action_create_invoice()
        with self.assertRaises(AccessError):
            Wizard.create(
                {"job_ids": [Command.set(ready.dispatch_job_ids.ids)]}
            ).action_create_invoice()
        self.assertFalse(ready.invoice_ids)


class TestInvoiceGateEdges(InvoiceGateCommon):
    def test_a_down_payment_bills_no_service_and_is_not_held(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        job.with_user(self.dispatcher).action_plan()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "fixed", "fixed_amount": 10.0})
        )
        wizard.create_invoices()
        down_payment = order.invoice_ids
        down_payment.with_user(self.billing).action_post()
        self.assertEqual(down_payment.state, "posted")
        self.assertFalse(job.invoice_ids)
        self.assertFalse(job.date_invoiced)

    def test_an_invoice_reset_or_cancelled_no_longer_bills_its_jobs(self):
        order = self._delivered_order()
        job = order.dispatch_job_ids
        invoice = order._create_invoices()
        invoice.with_user(self.billing).action_post()
        self.assertEqual(job.invoice_ids, invoice)
        self.assertTrue(job.date_invoiced)
        invoice.with_user(self.billing).button_draft()
        self.assertFalse(job.invoice_ids)
        self.assertFalse(job.date_invoiced)
        self.assertTrue(job.billing_ready)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(job.invoice_ids, invoice)
        invoice.with_user(self.billing).button_draft()
        invoice.with_user(self.billing).button_cancel()
        self.assertFalse(job.date_invoiced)

    def test_a_failed_job_whose_replan_is_cancelled_blocks_again(self):
        order = self._confirmed_order()
        job = self._job_of(order)
        job.with_user(self.dispatcher).action_plan()
        job._fail(self.reason_not_home)
        job.exception_ids.billing_hold = False
        new_job = self.env["logistics.dispatch.job"].browse(
            job.with_user(self.dispatcher).action_replan()["res_id"]
        )
        self.assertNotIn("not re-planned", job.billing_blocker or "")
        new_job.with_user(self.dispatcher).action_cancel()
        self.assertIn("not re-planned", job.billing_blocker)
        invoice = order._create_invoices()
        with self.assertRaisesRegex(UserError, "not re-planned"):
            invoice._post()

    def test_an_exception_on_the_transfer_keeps_the_job_not_ready(self):
        order = self._delivered_order()
        job = order.dispatch_job_ids
        self.assertTrue(job.billing_ready)
        self.env["logistics.exception"].create(
            {
                "summary": "Two pallets short at loading",
                "category_id": self.env.ref(
                    "logistics_exception.category_stock_shortage"
                ).id,
                "picking_id": order.picking_ids.id,
                "billing_hold": True,
            }
        )
        job.invalidate_recordset(["billing_ready", "billing_blocker"])
        self.assertFalse(job.billing_ready)
        self.assertIn("holds billing", job.billing_blocker)
