from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .common import GROUP_USER
from .test_detection_inventory import DetectionCommon

# Queries the gate and the detectors may add to posting invoices: the rules'
# companies and warehouses (2 per rule), the deliveries of the orders and the
# holding exceptions (measured: 6).
QUERY_BUDGET = 7


class AccountingDetectionCommon(DetectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.rule_mismatch = cls.env.ref("logistics_exception.rule_invoice_qty_mismatch")
        cls.rule_price = cls.env.ref("logistics_exception.rule_bill_price_variance")
        cls.category_billing = cls.env.ref(
            "logistics_exception.category_billing_discrepancy"
        )
        cls.category_pricing = cls.env.ref(
            "logistics_exception.category_pricing_variance"
        )
        cls.reason_qty = cls.env.ref("logistics_exception.reason_invoiced_qty_mismatch")
        cls.reason_price = cls.env.ref("logistics_exception.reason_bill_price_variance")
        cls.products.write(
            {"invoice_policy": "order", "list_price": 25.0, "standard_price": 10.0}
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="lex_test_account_manager",
            name="Fiona Finance",
            groups=f"base.group_user,{GROUP_USER},account.group_account_manager",
            company_id=cls.company.id,
        )
        cls.logistics_manager = cls.manager
        cls.today = fields.Date.context_today(cls.env.user)

    def _invoice(self, order, quantity=None):
        """Invoice ``order`` as the salesperson does, optionally invoicing
        ``quantity`` on its line instead of what Odoo proposes."""
        invoice = order._create_invoices()
        if quantity is not None:
            invoice.invoice_line_ids.filtered("sale_line_ids").quantity = quantity
        return invoice

    def _bill(self, order, price=None):
        """Receive ``order`` in full and bill it, at ``price`` if given."""
        self._validate(order.picking_ids)
        order.action_create_invoice()
        bill = order.invoice_ids
        bill.invoice_date = self.today
        if price is not None:
            bill.invoice_line_ids.price_unit = price
        return bill

    def _mismatches_of_invoice(self, delivered, ordered=10):
        """Deliver ``delivered`` of a sales order of ``ordered`` (no backorder),
        invoice the order and post the invoice; the quantity mismatches
        raised on it."""
        order = self._sale(ordered)
        self._validate(order.picking_ids, {self.product: delivered}, backorder=False)
        invoice = self._invoice(order)
        invoice.action_post()
        return self._exceptions(self.rule_mismatch, ("move_id", "=", invoice.id))

    def _post_bill(
        self, price=10.0, ordered=10, order_discount=0.0, uom=None, **line_values
    ):
        """Bill a purchase order of ``ordered`` at ``price`` less
        ``order_discount`` %, with the bill line in ``uom`` and ``line_values``
        written on it, and post the bill."""
        order = self._purchase(ordered, price=price)
        if order_discount:
            order.order_line.discount = order_discount
        bill = self._bill(order)
        if uom:
            bill.invoice_line_ids.product_uom_id = uom
        bill.invoice_line_ids.write(line_values)
        bill.action_post()
        return bill

    def _invoices_to_post(self, *modes):
        """A draft invoice of a delivered order per mode; the "off" one in the
        context that skips detection."""
        invoices = {}
        for mode in modes:
            order = self._sale(10)
            self._validate(order.picking_ids)
            invoices[mode] = self._invoice(order).with_context(
                logistics_exception_skip_detection=(mode == "off")
            )
        return invoices

    def _posting_cost(self, invoice):
        """Queries to post ``invoice``, from an empty record cache."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        invoice.action_post()
        self.env.flush_all()
        return self.cr.sql_log_count - before


class TestInvoiceQtyMismatch(AccountingDetectionCommon):
    def test_invoice_beyond_delivery_raises_billing_discrepancy(self):
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids.quantity, 10)
        invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "posted")
        exception = self._exceptions(self.rule_mismatch)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(
            exception.source_key,
            f"rule:{self.rule_mismatch.id}:account.move:{invoice.id}",
        )
        self.assertEqual(exception.source_ref, invoice)
        self.assertEqual(exception.move_id, invoice)
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(exception.product_id, self.product)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (8, 10)
        )
        self.assertEqual(exception.category_id, self.category_billing)
        self.assertEqual(exception.reason_id, self.reason_qty)
        self.assertEqual(exception.severity, "high")
        self.assertTrue(exception.billing_hold)
        self.assertEqual(exception.currency_id, self.company.currency_id)
        self.assertAlmostEqual(exception.financial_impact, 2 * 25.0)
        self.assertIn(invoice.name, exception.summary)
        self.assertIn("delivered 8.0", exception.description)
        self.assertIn("invoiced 10.0", exception.description)
        self.assertEqual(invoice.logistics_exception_count, 1)

    def test_quantity_raised_by_hand_on_delivered_policy_is_detected(self):
        self.product.invoice_policy = "delivery"
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8})
        invoice = self._invoice(order, quantity=10)
        invoice.action_post()
        exception = self._exceptions(self.rule_mismatch)
        self.assertEqual(len(exception), 1)
        self.assertAlmostEqual(exception.financial_impact, 50.0)

    def test_excess_is_valued_at_the_net_invoiced_price(self):
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 6}, backorder=False)
        invoice = self._invoice(order)
        invoice.invoice_line_ids.write({"price_unit": 30.0, "discount": 10.0})
        invoice.action_post()
        exception = self._exceptions(self.rule_mismatch)
        self.assertAlmostEqual(exception.financial_impact, 4 * 27.0)

    def test_invoice_matching_delivery_raises_nothing(self):
        order = self._sale(10)
        self._validate(order.picking_ids)
        invoice = self._invoice(order)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._exceptions(self.rule_mismatch))
        self.assertFalse(self._exceptions(self.rule_price))
        # Delivered one unit short, the same invoice bills beyond delivery.
        self.assertEqual(len(self._mismatches_of_invoice(9)), 1)

    def test_draft_invoices_do_not_count_as_invoiced(self):
        order = self._sale(10)
        self._validate(order.picking_ids)
        stray = self._invoice(order)
        self.assertEqual(stray.state, "draft")
        line = order.order_line
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": order.partner_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "quantity": 10,
                            "price_unit": line.price_unit,
                            "sale_line_ids": [Command.set(line.ids)],
                        }
                    )
                ],
            }
        )
        self.assertEqual(line.qty_invoiced, 20)  # drafts included
        invoice.action_post()
        self.assertFalse(self._exceptions(self.rule_mismatch))
        # Posted, the first invoice bills 10 more than were delivered.
        stray.action_post()
        exception = self._exceptions(self.rule_mismatch)
        self.assertEqual(exception.move_id, stray)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 20)
        )

    def test_difference_within_tolerance_is_ignored(self):
        self.rule_mismatch.threshold_percent = 25
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        self._invoice(order).action_post()
        self.assertFalse(self._exceptions(self.rule_mismatch))
        # 3 of 10 invoiced beyond delivery are beyond the 25% tolerance.
        self.assertEqual(len(self._mismatches_of_invoice(7)), 1)

    def test_several_products_list_every_line_without_one_product(self):
        products = self.products[:2]
        order = self._sale(10, products)
        self._validate(
            order.picking_ids, {products[0]: 7, products[1]: 9}, backorder=False
        )
        self._invoice(order).action_post()
        exception = self._exceptions(self.rule_mismatch)
        self.assertEqual(len(exception), 1)
        self.assertFalse(exception.product_id)
        self.assertIn(products[0].display_name, exception.description)
        self.assertIn(products[1].display_name, exception.description)
        self.assertAlmostEqual(exception.financial_impact, (3 + 1) * 25.0)

    def test_running_the_detector_twice_never_duplicates(self):
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        invoice = self._invoice(order)
        invoice.action_post()
        Engine = self.env["logistics.exception.engine"]
        Engine._dispatch("invoice_posted", invoice)
        Engine._dispatch("invoice_posted", invoice)
        self.assertEqual(len(self._exceptions(self.rule_mismatch)), 1)

    def test_inactive_rule_raises_nothing(self):
        self.rule_mismatch.active = False
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        self._invoice(order).action_post()
        self.assertFalse(self._exceptions(self.rule_mismatch))
        # The rule active again, the same invoice is a mismatch.
        self.rule_mismatch.active = True
        self.assertEqual(len(self._mismatches_of_invoice(8)), 1)

    def test_skip_detection_context_raises_nothing(self):
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        invoice = self._invoice(order)
        invoice.with_context(logistics_exception_skip_detection=True).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._exceptions(self.rule_mismatch))
        # Posted without the context key, the same invoice is a mismatch.
        self.assertEqual(len(self._mismatches_of_invoice(8)), 1)

    def test_credit_note_reversing_the_invoice_clears_the_mismatch(self):
        self.category_billing.write(
            {"requires_root_cause": False, "requires_evidence": False}
        )
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        invoice = self._invoice(order)
        invoice.action_post()
        exception = self._exceptions(self.rule_mismatch)
        credit_note = invoice._reverse_moves()
        credit_note.action_post()
        self.assertEqual(exception.state, "resolved")
        self.assertIn(credit_note.name, exception.message_ids[0].body)

    def test_credit_note_asks_owner_to_confirm_when_evidence_is_needed(self):
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        invoice = self._invoice(order)
        invoice.action_post()
        exception = self._exceptions(self.rule_mismatch)
        exception.user_id = self.user
        credit_note = invoice._reverse_moves()
        credit_note.action_post()
        self.assertTrue(exception.is_open)
        self.assertIn(credit_note.name, exception.message_ids[0].body)
        self.assertEqual(exception.activity_ids.user_id, self.user)
        self.assertEqual(exception.activity_ids.summary, "Confirm the resolution")

    def test_partial_credit_note_keeps_the_mismatch_open(self):
        self.category_billing.write(
            {"requires_root_cause": False, "requires_evidence": False}
        )
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 7}, backorder=False)
        invoice = self._invoice(order)
        invoice.action_post()
        exception = self._exceptions(self.rule_mismatch)
        credit_note = invoice._reverse_moves()
        credit_note.invoice_line_ids.quantity = 1
        credit_note.action_post()
        self.assertTrue(exception.is_open)
        # A second credit note of the 2 still billed beyond delivery clears it.
        rest = invoice._reverse_moves()
        rest.invoice_line_ids.quantity = 2
        rest.action_post()
        self.assertEqual(exception.state, "resolved")

    def test_posting_without_active_rules_costs_no_query(self):
        rules = self.rule_mismatch | self.rule_price
        rules.active = False
        self.company.logistics_billing_hold = False
        # Posted by a billing clerk: the context key skips the detection only
        # (the gates of other modules run both times).
        invoices = {
            mode: invoice.with_user(self.billing_user)
            for mode, invoice in self._invoices_to_post("warmup", "off", "on").items()
        }
        invoices["warmup"].action_post()
        baseline = self._posting_cost(invoices["off"])
        self.env.invalidate_all()
        with self.assertQueryCount(baseline):
            invoices["on"].action_post()
            self.env.flush_all()
        self.assertEqual(invoices["on"].state, "posted")
        # The rules active again, measured the same way: the gate and the
        # detectors do cost queries.
        rules.active = True
        self.company.logistics_billing_hold = True
        invoices = self._invoices_to_post("warmup", "off", "on")
        invoices["warmup"].action_post()
        baseline = self._posting_cost(invoices["off"])
        self.assertGreater(self._posting_cost(invoices["on"]), baseline)
        self.assertEqual(invoices["on"].state, "posted")

    def test_posting_cost_with_rules_is_bounded_and_flat(self):
        """The gate and the detectors cost a few queries per posting, whatever
        the number of invoices posted together."""
        Rule = self.env["logistics.exception.rule"]
        Rule._get_event_rule_ids("invoice_posted")  # warm the rule cache
        # Warm the journal sequence up too: its first number costs more.
        order = self._sale(10)
        self._validate(order.picking_ids)
        self._invoice(order).action_post()
        for size in (1, 3):
            with self.subTest(invoices=size):
                invoices = {}
                for mode in ("off", "on"):
                    moves = self.env["account.move"]
                    for _index in range(size):
                        order = self._sale(10)
                        self._validate(order.picking_ids)
                        moves |= self._invoice(order)
                    invoices[mode] = moves.with_context(
                        logistics_exception_skip_detection=(mode == "off")
                    )
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.cr.sql_log_count
                invoices["off"].action_post()
                self.env.flush_all()
                baseline = self.cr.sql_log_count - before
                self.env.invalidate_all()
                with self.assertQueryCount(baseline + QUERY_BUDGET):
                    invoices["on"].action_post()
                    self.env.flush_all()
                self.assertEqual(set(invoices["on"].mapped("state")), {"posted"})


class TestBillPriceVariance(AccountingDetectionCommon):
    def test_bill_priced_above_the_order_raises_pricing_variance(self):
        order = self._purchase(10, price=10.0)
        bill = self._bill(order, price=11.0)
        bill.with_user(self.billing_user).action_post()
        exception = self._exceptions(self.rule_price)
        self.assertEqual(len(exception), 1)
        self.assertEqual(
            exception.source_key,
            f"rule:{self.rule_price.id}:account.move:{bill.id}",
        )
        self.assertEqual(exception.move_id, bill)
        self.assertEqual(exception.purchase_id, order)
        self.assertEqual(exception.partner_id, self.vendor)
        self.assertFalse(exception.customer_id)
        self.assertEqual(exception.product_id, self.product)
        self.assertEqual(exception.category_id, self.category_pricing)
        self.assertEqual(exception.reason_id, self.reason_price)
        self.assertEqual(exception.severity, "medium")
        self.assertAlmostEqual(exception.financial_impact, 10 * 1.0)
        self.assertIn(order.name, exception.summary)
        self.assertIn("billed at 11.0", exception.description)

    def test_discount_dropped_from_the_bill_is_an_overcharge(self):
        order = self._purchase(10, price=100.0)
        order.order_line.discount = 10
        bill = self._bill(order)
        bill.invoice_line_ids.discount = 0
        bill.action_post()
        exception = self._exceptions(self.rule_price)
        self.assertEqual(len(exception), 1)
        self.assertAlmostEqual(exception.financial_impact, 10 * 10.0)

    def test_net_price_matching_the_discounted_order_raises_nothing(self):
        self._post_bill(100.0, order_discount=10, discount=0, price_unit=90.0)
        self.assertFalse(self._exceptions(self.rule_price))
        # 95 net is beyond the 2% tolerance of 90.
        bill = self._post_bill(100.0, order_discount=10, discount=0, price_unit=95.0)
        self.assertEqual(self._exceptions(self.rule_price).move_id, bill)

    def test_bill_priced_below_the_order_is_a_variance_too(self):
        bill = self._bill(self._purchase(10, price=10.0), price=9.0)
        bill.action_post()
        exception = self._exceptions(self.rule_price)
        self.assertAlmostEqual(exception.financial_impact, 10.0)

    def test_price_within_percent_tolerance_is_ignored(self):
        self._post_bill(price_unit=10.15)
        self.assertFalse(self._exceptions(self.rule_price))
        # 2.5% is beyond the 2% tolerance.
        bill = self._post_bill(price_unit=10.25)
        self.assertEqual(self._exceptions(self.rule_price).move_id, bill)

    def test_price_within_amount_tolerance_is_ignored(self):
        self.rule_price.threshold_amount = 2.0
        self._post_bill(price_unit=11.0)
        self.assertFalse(self._exceptions(self.rule_price))
        # 2.5 per unit is beyond the amount too.
        bill = self._post_bill(price_unit=12.5)
        self.assertEqual(self._exceptions(self.rule_price).move_id, bill)

    def test_bill_matching_the_order_raises_nothing(self):
        bill = self._post_bill()
        self.assertEqual(bill.state, "posted")
        self.assertFalse(self._exceptions(self.rule_price))
        # One more per unit is a variance.
        bill = self._post_bill(price_unit=11.0)
        self.assertEqual(self._exceptions(self.rule_price).move_id, bill)

    def test_price_in_another_unit_is_compared_per_order_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        self._post_bill(ordered=24, uom=dozen, quantity=2, price_unit=120.0)
        self.assertFalse(self._exceptions(self.rule_price))
        # 132 a dozen is 11 a unit: a variance.
        bill = self._post_bill(ordered=24, uom=dozen, quantity=2, price_unit=132.0)
        self.assertEqual(self._exceptions(self.rule_price).move_id, bill)

    def test_price_variance_in_another_unit_is_valued_per_order_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        bill = self._bill(self._purchase(24, price=10.0))
        line = bill.invoice_line_ids
        line.product_uom_id = dozen
        line.write({"quantity": 2, "price_unit": 132.0})
        bill.action_post()
        exception = self._exceptions(self.rule_price)
        self.assertAlmostEqual(exception.financial_impact, 24 * 1.0)

    def test_bill_in_another_currency_is_converted(self):
        currency = self.env["res.currency"].create(
            {"name": "LXC", "symbol": "L", "rounding": 0.01}
        )
        self.env["res.currency.rate"].create(
            {
                "name": self.today,
                "rate": 2.0,
                "currency_id": currency.id,
                "company_id": self.company.id,
            }
        )
        bill = self._bill(self._purchase(10, price=10.0))
        bill.currency_id = currency
        bill.invoice_line_ids.price_unit = 20.0
        bill.action_post()
        self.assertFalse(self._exceptions(self.rule_price))
        bill.button_draft()
        bill.invoice_line_ids.price_unit = 24.0
        bill.action_post()
        exception = self._exceptions(self.rule_price)
        self.assertAlmostEqual(exception.financial_impact, 10 * 2.0)

    def test_running_the_detector_twice_never_duplicates(self):
        bill = self._bill(self._purchase(10, price=10.0), price=12.0)
        bill.action_post()
        self.env["logistics.exception.engine"]._dispatch("invoice_posted", bill)
        self.assertEqual(len(self._exceptions(self.rule_price)), 1)


class TestBillingHold(AccountingDetectionCommon):
    def _held_order(self):
        """An order delivered short whose shortage holds billing."""
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8})
        shortage = self._exceptions(self.rule_shortage)
        shortage.billing_hold = True
        return order, shortage

    def _override(self, invoice, user, reason="Customer agreed to pay in full"):
        action = invoice.with_user(user).action_open_logistics_billing_override()
        self.assertEqual(action["res_model"], "logistics.exception.billing.override")
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard_form.reason = reason
        wizard = wizard_form.save()
        wizard.with_context(tracking_disable=False, mail_notrack=False).action_confirm()
        return wizard

    def test_open_hold_on_the_order_refuses_posting(self):
        order, shortage = self._held_order()
        invoice = self._invoice(order)
        with self.assertRaises(UserError) as caught:
            invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        message = str(caught.exception)
        self.assertIn(shortage.name, message)
        self.assertIn("Resolve these exceptions", message)
        self.assertIn("Finance manager", message)
        self.assertTrue(invoice.with_user(self.account_manager).logistics_billing_held)

    def test_hold_on_a_delivery_of_the_order_refuses_posting(self):
        order = self._sale(10)
        picking = order.picking_ids
        self._validate(picking)
        hold = self._create_exception(picking_id=picking.id, billing_hold=True)
        self.assertFalse(hold.sale_id)
        invoice = self._invoice(order)
        with self.assertRaisesRegex(UserError, hold.name):
            invoice.action_post()

    def test_hold_on_the_invoice_itself_refuses_reposting(self):
        order = self._sale(10)
        self._validate(order.picking_ids, {self.product: 8}, backorder=False)
        invoice = self._invoice(order)
        invoice.action_post()
        mismatch = self._exceptions(self.rule_mismatch)
        self.assertTrue(mismatch.billing_hold)
        invoice.button_draft()
        with self.assertRaisesRegex(UserError, mismatch.name):
            invoice.action_post()

    def test_hold_on_another_order_does_not_block(self):
        held_order, shortage = self._held_order()
        order = self._sale(5)
        self._validate(order.picking_ids)
        invoice = self._invoice(order)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        # The invoice of the held order itself is blocked.
        held_invoice = self._invoice(held_order)
        with self.assertRaisesRegex(UserError, shortage.name):
            held_invoice.action_post()
        self.assertEqual(held_invoice.state, "draft")

    def test_billing_user_cannot_override(self):
        order, _shortage = self._held_order()
        invoice = self._invoice(order)
        with self.assertRaises(AccessError):
            invoice.with_user(
                self.billing_user
            ).action_open_logistics_billing_override()
        with self.assertRaises(AccessError):
            self.env["logistics.exception.billing.override"].with_user(
                self.billing_user
            ).create({"move_id": invoice.id, "reason": "Please"})
        wizard = self.env["logistics.exception.billing.override"].create(
            {"move_id": invoice.id, "reason": "Please"}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.billing_user).action_confirm()
        with self.assertRaises(AccessError):
            invoice.with_user(self.billing_user).write(
                {
                    "logistics_billing_hold_override_uid": self.billing_user.id,
                    "logistics_billing_hold_override_reason": "Please",
                }
            )
        self.assertFalse(invoice.logistics_billing_hold_override_uid)
        with self.assertRaises(UserError):
            invoice.with_user(self.billing_user).action_post()

    def test_account_manager_overrides_with_a_reason_then_the_invoice_posts(self):
        order, shortage = self._held_order()
        invoice = self._invoice(order)
        # The override comes in a later transaction than the invoice: a record
        # is not tracked in the transaction that creates it.
        self.env.flush_all()
        self.cr.flush()
        self._override(invoice, self.account_manager, "Customer agreed to pay in full")
        self.env.flush_all()
        self.cr.flush()
        self.assertEqual(
            invoice.logistics_billing_hold_override_uid, self.account_manager
        )
        self.assertEqual(
            invoice.logistics_billing_hold_override_reason,
            "Customer agreed to pay in full",
        )
        self.assertFalse(invoice.with_user(self.account_manager).logistics_billing_held)
        tracked = invoice.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("logistics_billing_hold_override_reason", tracked)
        self.assertIn("logistics_billing_hold_override_uid", tracked)
        note = shortage.message_ids[0]
        self.assertIn(invoice.display_name, note.body)
        self.assertIn(self.account_manager.name, note.body)
        self.assertIn("Customer agreed to pay in full", note.body)
        invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(shortage.is_open)

    def test_reset_to_draft_drops_the_override(self):
        order, _shortage = self._held_order()
        invoice = self._invoice(order)
        self._override(invoice, self.account_manager, "Agreed with the customer")
        invoice.action_post()
        invoice.button_draft()
        self.assertFalse(invoice.logistics_billing_hold_override_uid)
        with self.assertRaises(UserError):
            invoice.with_user(self.billing_user).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_override_is_not_copied_with_the_invoice(self):
        order, _shortage = self._held_order()
        invoice = self._invoice(order)
        self._override(invoice, self.account_manager)
        self.assertEqual(
            invoice.logistics_billing_hold_override_uid, self.account_manager
        )
        copy = invoice.copy()
        self.assertFalse(copy.logistics_billing_hold_override_uid)
        self.assertFalse(copy.logistics_billing_hold_override_reason)

    def test_override_of_an_invoice_that_is_not_held_is_refused(self):
        order = self._sale(10)
        self._validate(order.picking_ids)
        invoice = self._invoice(order)
        wizard = (
            self.env["logistics.exception.billing.override"]
            .with_user(self.account_manager)
            .create({"move_id": invoice.id, "reason": "Just in case"})
        )
        with self.assertRaisesRegex(UserError, "not held"):
            wizard.action_confirm()

    def test_resolved_hold_lets_the_invoice_post(self):
        order, shortage = self._held_order()
        invoice = self._invoice(order)
        # While the hold is open, the invoice is blocked.
        with self.assertRaisesRegex(UserError, shortage.name):
            invoice.action_post()
        shortage.root_cause_id = self.root_cause_shortage
        shortage.with_user(self.logistics_manager).action_start()
        shortage.with_user(self.logistics_manager).action_resolve()
        self.assertFalse(invoice.with_user(self.account_manager).logistics_billing_held)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_inactive_gate_lets_the_invoice_post(self):
        order, shortage = self._held_order()
        invoice = self._invoice(order)
        # While the gate is active, the invoice is blocked.
        with self.assertRaisesRegex(UserError, shortage.name):
            invoice.action_post()
        self.company.logistics_billing_hold = False
        self.assertFalse(invoice.with_user(self.account_manager).logistics_billing_held)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_skip_detection_context_skips_the_gate_for_code_only(self):
        order, shortage = self._held_order()
        invoice = self._invoice(order)
        # Without the context key, the invoice is blocked.
        with self.assertRaisesRegex(UserError, shortage.name):
            invoice.action_post()
        # Sent by a client, the key does not lift the gate: only code
        # running as superuser skips it.
        with self.assertRaisesRegex(UserError, shortage.name):
            invoice.with_user(self.billing_user).with_context(
                logistics_exception_skip_detection=True
            ).action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.with_context(logistics_exception_skip_detection=True).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_override_button_is_shown_to_finance_managers_only(self):
        for user, shown in ((self.account_manager, True), (self.billing_user, False)):
            arch = (
                self.env["account.move"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual(
                "action_open_logistics_billing_override" in arch, shown, user.name
            )

    def test_gate_checks_several_invoices_in_one_query(self):
        orders = self.env["sale.order"]
        for _index in range(3):
            order = self._sale(5)
            self._validate(order.picking_ids)
            orders |= order
        invoices = self.env["account.move"]
        for order in orders:
            invoices |= self._invoice(order)
        self.env.flush_all()
        self.assertFalse(invoices._get_logistics_billing_holds())  # warm the caches
        # However many invoices: one search, nothing read per invoice.
        with self.assertQueryCount(1):
            self.assertFalse(invoices._get_logistics_billing_holds())
        # A hold on one of the orders: the same search finds it.
        hold = self._create_exception(sale_id=orders[1].id, billing_hold=True)
        self.env.flush_all()
        with self.assertQueryCount(1):
            holds = invoices._get_logistics_billing_holds()
        self.assertEqual(holds, {invoices[1]: hold})
