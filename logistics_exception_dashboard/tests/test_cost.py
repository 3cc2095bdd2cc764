# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionCommon


class CostCommon(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.type_credit = cls.env.ref(
            "logistics_exception_dashboard.cost_type_credit_note"
        )
        cls.type_penalty = cls.env.ref(
            "logistics_exception_dashboard.cost_type_penalty"
        )
        cls.type_expedite = cls.env.ref(
            "logistics_exception_dashboard.cost_type_expedite"
        )
        cls.type_other = cls.env.ref("logistics_exception_dashboard.cost_type_other")
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "Test VAT 10%",
                "amount": 10.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.purchase_tax = cls.tax.copy(
            {"name": "Test input VAT 10%", "type_tax_use": "purchase"}
        )
        cls.carrier = cls.env["res.partner"].create(
            {"name": "Rapid Freight", "is_company": True}
        )
        # Bill Billing works the Dock Team's exceptions and issues credit notes.
        cls.team.member_ids = [Command.link(cls.billing_user.id)]
        cls.accountant = new_test_user(
            cls.env,
            login="lex_test_accountant",
            name="Alice Accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.exception = cls._create_exception(partner_id=cls.customer.id)

    @contextmanager
    def assertRaisesMessage(self, exception, text):
        """assertRaises (Odoo's: the failed operation is rolled back to a
        savepoint) that also checks the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    def _add_cost(self, amount, cost_type=None, user=None, exception=None):
        return (
            self.env["logistics.exception.cost"]
            .with_user(user or self.manager)
            .create(
                {
                    "exception_id": (exception or self.exception).id,
                    "cost_type_id": (cost_type or self.type_penalty).id,
                    "amount": amount,
                }
            )
        )

    def _credit_note(self, price=100.0, exception=None, user=None):
        """A draft customer credit note made with the exception's button."""
        exception = (exception or self.exception).with_user(user or self.billing_user)
        action = exception.action_create_credit_note()
        form = Form(
            self.env["account.move"]
            .with_user(user or self.billing_user)
            .with_context(**action["context"])
            .browse(action["res_id"]),
            view="account.view_move_form",
        )
        with form.invoice_line_ids.new() as line:
            line.name = "Goodwill credit for 3 missing cartons"
            line.quantity = 1
            line.price_unit = price
            line.tax_ids.clear()
            line.tax_ids.add(self.tax)
        return form.save()

    def _bill(self, price=40.0, exception=None, cost_type=None):
        values = {
            "move_type": "in_invoice",
            "partner_id": self.carrier.id,
            "invoice_date": "2026-11-20",
            "logistics_exception_id": (exception or self.exception).id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Express delivery of the replacement",
                        "quantity": 1,
                        "price_unit": price,
                        "tax_ids": [Command.set(self.purchase_tax.ids)],
                    }
                )
            ],
        }
        if cost_type:
            values["logistics_exception_cost_type_id"] = cost_type.id
        return self.env["account.move"].with_user(self.billing_user).create(values)


class TestCostLines(CostCommon):
    def test_financial_impact_is_the_sum_of_the_cost_lines(self):
        self.assertEqual(self.exception.financial_impact, 0.0)
        self._add_cost(300.0)
        rework = self._add_cost(
            120.5, self.env.ref("logistics_exception_dashboard.cost_type_rework")
        )
        self.assertAlmostEqual(self.exception.financial_impact, 420.5)
        rework.with_user(self.manager).amount = 20.5
        self.assertAlmostEqual(self.exception.financial_impact, 320.5)
        rework.with_user(self.manager).unlink()
        self.assertAlmostEqual(self.exception.financial_impact, 300.0)

    def test_written_impact_is_an_estimate_the_actual_lines_replace(self):
        # What the detectors and the core do: write the amount directly.
        exception = self._create_exception(financial_impact=500.0)
        self.assertAlmostEqual(exception.financial_impact, 500.0)
        self.assertAlmostEqual(exception.stated_financial_impact, 500.0)
        stated = exception.cost_ids
        self.assertEqual(len(stated), 1)
        self.assertTrue(stated.stated_impact)
        self.assertEqual(stated.cost_type_id, self.type_other)
        self.assertAlmostEqual(stated.amount, 500.0)
        # An actual cost replaces part of the estimate: the total stays.
        actual = self._add_cost(200.0, exception=exception)
        self.assertAlmostEqual(stated.amount, 300.0)
        self.assertAlmostEqual(exception.financial_impact, 500.0)
        # Beyond the estimate, the actual costs are the total.
        more = self._add_cost(400.0, exception=exception)
        self.assertFalse(stated.exists())
        self.assertAlmostEqual(exception.financial_impact, 600.0)
        # One goes: the estimate explains the rest again.
        more.with_user(self.manager).unlink()
        stated = exception.cost_ids.filtered("stated_impact")
        self.assertAlmostEqual(stated.amount, 300.0)
        self.assertAlmostEqual(exception.financial_impact, 500.0)
        # Writing the total again states a new estimate.
        exception.financial_impact = 1000.0
        self.assertEqual(exception.cost_ids, actual | stated)
        self.assertAlmostEqual(stated.amount, 800.0)
        self.assertAlmostEqual(exception.financial_impact, 1000.0)
        # An estimate the actual lines explain has no line.
        exception.financial_impact = 200.0
        self.assertFalse(stated.exists())
        self.assertEqual(exception.cost_ids, actual)
        self.assertAlmostEqual(exception.financial_impact, 200.0)

    def test_manager_edits_or_withdraws_the_estimate_by_its_line(self):
        exception = self._create_exception(financial_impact=500.0)
        self._add_cost(100.0, exception=exception)
        stated = exception.cost_ids.filtered("stated_impact")
        stated.with_user(self.manager).amount = 150.0
        self.assertAlmostEqual(exception.stated_financial_impact, 250.0)
        self.assertAlmostEqual(exception.financial_impact, 250.0)
        stated.with_user(self.manager).unlink()
        self.assertEqual(exception.stated_financial_impact, 0.0)
        self.assertAlmostEqual(exception.financial_impact, 100.0)

    def test_written_impact_below_the_lines_is_refused(self):
        self._add_cost(300.0)
        with self.assertRaisesMessage(ValidationError, "already add up to"):
            self.exception.financial_impact = 100.0
        self.exception.invalidate_recordset()
        self.assertAlmostEqual(self.exception.financial_impact, 300.0)
        self.assertEqual(len(self.exception.cost_ids), 1)

    def test_context_names_the_type_of_the_written_impact(self):
        exception = (
            self.env["logistics.exception"]
            .with_context(logistics_exception_cost_type_code="PENALTY")
            .create(
                {
                    "summary": "Retailer chargeback for a late delivery",
                    "category_id": self.category_delay.id,
                    "team_id": self.team.id,
                    "financial_impact": 75.0,
                }
            )
        )
        self.assertEqual(exception.cost_ids.cost_type_id, self.type_penalty)

    def test_written_impact_feeds_the_priority(self):
        self.company.logistics_exception_high_value_amount = 10000
        low = self._create_exception(financial_impact=800)
        high = self._create_exception(financial_impact=12000)
        self.assertGreater(int(high.priority), int(low.priority))
        self._add_cost(10500.0, exception=low)
        self.assertAlmostEqual(low.financial_impact, 10500.0)
        self.assertEqual(low.priority, high.priority)

    def test_archived_type_still_records_detected_and_invoiced_costs(self):
        (self.type_other | self.type_credit).active = False
        exception = self._create_exception(
            financial_impact=40.0, partner_id=self.customer.id
        )
        self.assertEqual(exception.cost_ids.cost_type_id, self.type_other)
        self.team.member_ids = [Command.link(self.billing_user.id)]
        credit_note = self._credit_note(price=60.0, exception=exception)
        self.assertEqual(credit_note.logistics_exception_cost_type_id, self.type_credit)
        credit_note.action_post()
        self.assertAlmostEqual(exception.financial_impact, 60.0)

    def test_amount_must_be_positive(self):
        for amount in (0.0, -10.0):
            with self.assertRaisesMessage(ValidationError, "must be a positive amount"):
                self._add_cost(amount)
        self.assertFalse(self.exception.cost_ids)

    def test_users_read_costs_managers_edit_them(self):
        line = self._add_cost(50.0)
        self.assertEqual(self.exception.with_user(self.user).financial_impact, 50.0)
        self.assertEqual(line.with_user(self.user).amount, 50.0)
        with self.assertRaises(AccessError):
            self._add_cost(10.0, user=self.user)
        with self.assertRaises(AccessError):
            line.with_user(self.user).amount = 5.0
        with self.assertRaises(AccessError):
            line.with_user(self.user).unlink()
        # Nor by the exception's total, the public field.
        with self.assertRaises(AccessError):
            self.exception.with_user(self.user).financial_impact = 80.0
        self.assertAlmostEqual(self.exception.financial_impact, 50.0)

    def test_exception_form_shows_costs_read_only_to_users(self):
        self._add_cost(50.0)
        form = Form(self.exception.with_user(self.manager))
        self.assertTrue(form.can_edit_costs)
        with form.cost_ids.new() as line:
            line.cost_type_id = self.type_other
            line.amount = 25.0
        form.save()
        self.assertAlmostEqual(self.exception.financial_impact, 75.0)
        form = Form(self.exception.with_user(self.user))
        self.assertFalse(form.can_edit_costs)

    def test_another_company_costs_are_invisible(self):
        other_team = self.env["logistics.exception.team"].create(
            {"name": "Northern Dock", "company_id": self.other_company.id}
        )
        other = self._create_exception(
            company_id=self.other_company.id, team_id=other_team.id
        )
        self.env["logistics.exception.cost"].create(
            {
                "exception_id": other.id,
                "cost_type_id": self.type_penalty.id,
                "amount": 99.0,
            }
        )
        self._add_cost(10.0)
        Cost = self.env["logistics.exception.cost"].with_user(self.manager)
        domain = [("exception_id", "in", (self.exception | other).ids)]
        self.assertEqual(Cost.search(domain).exception_id, self.exception)
        groups = Cost.read_group(domain, ["amount:sum"], [])
        self.assertAlmostEqual(groups[0]["amount"], 10.0)

    def test_cost_type_of_another_company_is_refused(self):
        foreign_type = self.env["logistics.exception.cost.type"].create(
            {
                "name": "Northern fine",
                "code": "FINE",
                "company_id": self.other_company.id,
            }
        )
        with self.assertRaises(UserError):
            self._add_cost(10.0, cost_type=foreign_type, user=self.env.user)


class TestCostFromInvoices(CostCommon):
    def test_credit_note_button_prefills_a_linked_credit_note(self):
        action = self.exception.with_user(self.billing_user).action_create_credit_note()
        self.assertEqual(action["res_model"], "account.move")
        draft = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.logistics_exception_id, self.exception)
        # The link is the draft's, never a default that would follow the user.
        self.assertNotIn("default_logistics_exception_id", action["context"])
        credit_note = self._credit_note()
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertEqual(credit_note.logistics_exception_id, self.exception)
        self.assertEqual(credit_note.logistics_exception_cost_type_id, self.type_credit)
        # A draft costs nothing yet.
        self.assertFalse(self.exception.cost_ids)

    def test_exception_form_loads_for_every_role(self):
        for user in (self.user, self.billing_user, self.manager, self.admin):
            views = (
                self.env["logistics.exception"]
                .with_user(user)
                .get_views([(False, "form")])
            )
            arch = views["views"]["form"]["arch"]
            self.assertIn('name="cost_ids"', arch)
            self.assertEqual(
                "action_create_credit_note" in arch,
                user == self.billing_user,
                user.login,
            )

    def test_credit_note_button_needs_a_customer(self):
        exception = self._create_exception()
        self.team.member_ids = [Command.link(self.billing_user.id)]
        with self.assertRaisesMessage(UserError, "has no customer"):
            exception.with_user(self.billing_user).action_create_credit_note()

    def test_credit_note_button_needs_invoicing_rights(self):
        with self.assertRaises(AccessError):
            self.exception.with_user(self.user).action_create_credit_note()

    def test_posting_adds_one_line_at_the_untaxed_amount(self):
        credit_note = self._credit_note(price=100.0)
        credit_note.with_user(self.billing_user).action_post()
        line = self.exception.cost_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.move_id, credit_note)
        self.assertEqual(line.cost_type_id, self.type_credit)
        self.assertAlmostEqual(credit_note.amount_total, 110.0)
        self.assertAlmostEqual(line.amount, 100.0)
        self.assertEqual(line.date, credit_note.invoice_date)
        self.assertAlmostEqual(self.exception.financial_impact, 100.0)
        # Idempotent.
        credit_note._sync_logistics_exception_costs()
        self.assertEqual(len(self.exception.cost_ids), 1)

    def test_one_line_per_document_and_exception_in_the_database(self):
        credit_note = self._credit_note()
        credit_note.action_post()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["logistics.exception.cost"].sudo().create(
                {
                    "exception_id": self.exception.id,
                    "cost_type_id": self.type_credit.id,
                    "amount": 1.0,
                    "move_id": credit_note.id,
                }
            )
            self.env.flush_all()

    def test_reversal_removes_the_line_and_its_reset_restores_it(self):
        credit_note = self._credit_note(price=100.0)
        credit_note.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.billing_user)
            .with_context(active_model="account.move", active_ids=credit_note.ids)
            .create(
                {"journal_id": credit_note.journal_id.id, "reason": "Sent by mistake"}
            )
        )
        wizard.refund_moves()
        reversal = credit_note.reversal_move_id
        self.assertEqual(reversal.move_type, "entry")
        self.assertFalse(reversal.logistics_exception_id)
        # The reversal in draft does not count yet.
        self.assertEqual(len(self.exception.cost_ids), 1)
        reversal.with_user(self.billing_user).action_post()
        self.assertFalse(self.exception.cost_ids)
        self.assertEqual(self.exception.financial_impact, 0.0)
        reversal.with_user(self.billing_user).button_draft()
        self.assertAlmostEqual(self.exception.financial_impact, 100.0)

    def test_credit_note_replaces_the_detected_estimate(self):
        # A detector states the over-invoiced value; the credit note settles it.
        self.exception.sudo().financial_impact = 100.0
        credit_note = self._credit_note(price=100.0)
        credit_note.action_post()
        self.assertEqual(self.exception.cost_ids.move_id, credit_note)
        self.assertAlmostEqual(self.exception.financial_impact, 100.0)
        # Reversed, the estimate stands again.
        credit_note._reverse_moves(cancel=True)
        self.assertTrue(self.exception.cost_ids.stated_impact)
        self.assertAlmostEqual(self.exception.financial_impact, 100.0)

    def test_posting_and_reversing_are_noted_in_the_chatter(self):
        credit_note = self._credit_note(price=100.0)
        credit_note.action_post()
        credit_note._reverse_moves(cancel=True)
        notes = self.exception.message_ids.mapped("body")
        self.assertTrue(
            any("is posted" in note and credit_note.name in note for note in notes)
        )
        self.assertTrue(any("no longer counts" in note for note in notes))

    def test_credit_note_in_a_foreign_currency_counts_in_company_currency(self):
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id)], limit=1)
        )
        currency.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2020-01-01",
                "rate": 2.0,
                "currency_id": currency.id,
                "company_id": self.company.id,
            }
        )
        credit_note = self._credit_note(price=100.0)
        credit_note.currency_id = currency
        credit_note.action_post()
        self.assertAlmostEqual(self.exception.financial_impact, 50.0)

    def test_linked_documents_are_counted_on_the_exception(self):
        self._credit_note()
        self._bill()
        exception = self.exception.with_user(self.billing_user)
        self.assertEqual(exception.accounting_document_count, 2)
        action = exception.action_view_accounting_documents()
        self.assertEqual(
            sorted(
                self.env["account.move"].search(action["domain"]).mapped("move_type")
            ),
            ["in_invoice", "out_refund"],
        )

    def test_reverse_and_cancel_removes_the_line(self):
        credit_note = self._credit_note(price=100.0)
        credit_note.action_post()
        credit_note._reverse_moves(cancel=True)
        self.assertEqual(credit_note.payment_state, "reversed")
        self.assertFalse(self.exception.cost_ids)

    def test_reset_to_draft_and_cancel_remove_the_line(self):
        credit_note = self._credit_note(price=100.0)
        credit_note.action_post()
        credit_note.with_user(self.billing_user).button_draft()
        self.assertFalse(self.exception.cost_ids)
        credit_note.invoice_line_ids.price_unit = 60.0
        credit_note.with_user(self.billing_user).action_post()
        self.assertAlmostEqual(self.exception.financial_impact, 60.0)
        credit_note.with_user(self.billing_user).button_draft()
        credit_note.with_user(self.billing_user).button_cancel()
        self.assertFalse(self.exception.cost_ids)

    def test_vendor_bill_adds_an_expedite_line_or_the_chosen_type(self):
        bill = self._bill(price=40.0)
        self.assertEqual(bill.logistics_exception_cost_type_id, self.type_expedite)
        bill.action_post()
        self.assertEqual(self.exception.cost_ids.cost_type_id, self.type_expedite)
        self.assertAlmostEqual(self.exception.financial_impact, 40.0)
        penalty_bill = self._bill(price=15.0, cost_type=self.type_penalty)
        penalty_bill.action_post()
        self.assertEqual(
            self.exception.cost_ids.cost_type_id, self.type_expedite | self.type_penalty
        )
        self.assertAlmostEqual(self.exception.financial_impact, 55.0)

    def test_bill_linked_by_hand_in_the_form_proposes_its_cost_type(self):
        form = Form(
            self.env["account.move"]
            .with_user(self.billing_user)
            .with_context(default_move_type="in_invoice"),
            view="account.view_move_form",
        )
        form.partner_id = self.carrier
        form.invoice_date = "2026-11-20"
        self.assertFalse(form.logistics_exception_cost_type_id)
        form.logistics_exception_id = self.exception
        self.assertEqual(form.logistics_exception_cost_type_id, self.type_expedite)
        form.logistics_exception_cost_type_id = self.type_penalty
        with form.invoice_line_ids.new() as line:
            line.name = "Late pick-up fee passed on by the carrier"
            line.price_unit = 35.0
            line.tax_ids.clear()
        bill = form.save()
        bill.action_post()
        self.assertEqual(self.exception.cost_ids.cost_type_id, self.type_penalty)
        self.assertAlmostEqual(self.exception.financial_impact, 35.0)

    def test_syncing_costs_is_batched(self):
        def queries(moves):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            moves._sync_logistics_exception_costs()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        bills = self._bill(price=10.0) | self._bill(price=20.0) | self._bill(price=30.0)
        bills.action_post()
        self.assertEqual(len(self.exception.cost_ids), 3)
        self.assertEqual(queries(bills[:1]), queries(bills))

    def test_lines_from_documents_follow_the_documents_only(self):
        self._credit_note().action_post()
        line = self.exception.cost_ids
        with self.assertRaisesMessage(UserError, "follows the accounting document"):
            line.with_user(self.manager).amount = 1.0
        with self.assertRaisesMessage(UserError, "follows the accounting document"):
            line.with_user(self.manager).unlink()
        with self.assertRaisesMessage(
            UserError, "is added when the document is posted"
        ):
            self.env["logistics.exception.cost"].with_user(self.manager).create(
                {
                    "exception_id": self.exception.id,
                    "cost_type_id": self.type_credit.id,
                    "amount": 1.0,
                    "move_id": line.move_id.id,
                }
            )
        line.with_user(self.manager).name = "Goodwill, approved by Sales"

    def test_only_credit_notes_and_vendor_bills_carry_costs(self):
        with self.assertRaisesMessage(ValidationError, "Only customer credit notes"):
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "logistics_exception_id": self.exception.id,
                }
            )

    def test_exception_of_another_company_cannot_be_linked(self):
        other_team = self.env["logistics.exception.team"].create(
            {"name": "Northern Dock", "company_id": self.other_company.id}
        )
        other = self._create_exception(
            company_id=self.other_company.id, team_id=other_team.id
        )
        with self.assertRaises(UserError):
            self._bill(exception=other)

    def test_exception_the_user_cannot_see_cannot_be_linked(self):
        hidden = self._create_exception(team_id=False, partner_id=self.customer.id)
        with self.assertRaises(AccessError):
            self._bill(exception=hidden)

    def test_accountant_without_logistics_rights_posts_as_before(self):
        # The invoice form without the exception's fields, as they see it.
        form = Form(
            self.env["account.move"]
            .with_user(self.accountant)
            .with_context(default_move_type="out_refund"),
            view="account.view_move_form",
        )
        form.partner_id = self.customer
        with form.invoice_line_ids.new() as line:
            line.name = "Discount"
            line.price_unit = 10.0
        credit_note = form.save()
        credit_note.action_post()
        self.assertEqual(credit_note.state, "posted")
        # The link itself stays out of their reach.
        with self.assertRaises(AccessError):
            credit_note.with_user(
                self.accountant
            ).logistics_exception_id = self.exception

    def test_accountant_posting_a_linked_credit_note_adds_its_cost(self):
        credit_note = self._credit_note(price=80.0)
        credit_note.with_user(self.accountant).action_post()
        self.assertAlmostEqual(self.exception.financial_impact, 80.0)
