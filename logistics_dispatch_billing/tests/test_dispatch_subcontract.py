# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import DispatchBillingCommon


def other_currency(company, rate):
    """A second currency, active, worth ``rate`` units of ``company``'s
    currency's unit since 2020 in ``company``."""
    env = company.env
    name = "USD" if company.currency_id.name == "EUR" else "EUR"
    currency = (
        env["res.currency"]
        .with_context(active_test=False)
        .search([("name", "=", name)])
    )
    currency.active = True
    env["res.currency.rate"].create(
        {
            "currency_id": currency.id,
            "company_id": company.id,
            "name": "2020-01-01",
            "rate": rate,
        }
    )
    return currency


class DispatchSubcontractCommon(DispatchBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier = cls.env["res.partner"].create(
            {"name": "Fast Wheels Carriers", "company_id": False}
        )
        cls.carrier_card = cls.env["logistics.rate.card"].create(
            {
                "name": "Fast Wheels buy rates",
                "usage": "purchase",
                "partner_id": cls.carrier.id,
                "company_id": cls.company.id,
                "fuel_surcharge_percent": 10.0,
                "tz": "UTC",
                "line_ids": [
                    Command.create({"rate_basis": "job", "price_unit": 50.0}),
                ],
            }
        )

    @classmethod
    def _subcontracted_job(cls):
        job = cls._job_of(cls._confirmed_order())
        job.subcontractor_id = cls.carrier
        return job


class TestDispatchSubcontract(DispatchSubcontractCommon):
    def test_dispatcher_without_purchase_rights_plans_a_subcontracted_job(self):
        self.assertFalse(self.dispatcher.has_group("purchase.group_purchase_user"))
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        line = job.purchase_line_id
        self.assertEqual(line.order_id.partner_id, self.carrier)
        self.assertEqual(line.order_id.state, "draft")
        self.assertTrue(line.order_id.dispatch_subcontract)
        self.assertEqual(line.product_id, self.transport)
        self.assertEqual(line.product_qty, 1.0)
        # The carrier's card: 50 and 10 % fuel, not the customers' 80.
        self.assertAlmostEqual(line.price_unit, 55.0)
        as_dispatcher = job.with_user(self.dispatcher)
        self.assertEqual(as_dispatcher.subcontract_purchase_ref, line.order_id.name)
        with self.assertRaises(AccessError):
            line.order_id.with_user(self.dispatcher).check_access_rights("read")

    def test_second_job_of_the_carrier_adds_to_its_draft_order(self):
        first, second = self._subcontracted_job(), self._subcontracted_job()
        first.with_user(self.dispatcher).action_plan()
        second.with_user(self.dispatcher).action_plan()
        order = first.purchase_line_id.order_id
        self.assertEqual(second.purchase_line_id.order_id, order)
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(order.dispatch_job_ids, first | second)
        # A confirmed order takes no more jobs: the next goes on a new one.
        order.button_confirm()
        third = self._subcontracted_job()
        third.with_user(self.dispatcher).action_plan()
        self.assertNotEqual(third.purchase_line_id.order_id, order)

    def test_job_without_subcontractor_buys_nothing(self):
        job = self._job_of(self._confirmed_order())
        job.with_user(self.dispatcher).action_plan()
        self.assertFalse(job.purchase_line_id)
        self.assertFalse(job.subcontract_purchase_ref)

    def test_without_a_carrier_card_the_vendor_price_applies(self):
        self.carrier_card.active = False
        self.env["product.supplierinfo"].create(
            {
                "partner_id": self.carrier.id,
                "product_tmpl_id": self.transport.product_tmpl_id.id,
                "price": 47.0,
            }
        )
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        self.assertAlmostEqual(job.purchase_line_id.price_unit, 47.0)

    def test_cancelled_job_leaves_the_draft_order(self):
        first, second = self._subcontracted_job(), self._subcontracted_job()
        (first | second).with_user(self.dispatcher).action_plan()
        order = first.purchase_line_id.order_id
        first.with_user(self.dispatcher).action_cancel()
        self.assertFalse(first.purchase_line_id)
        self.assertEqual(order.order_line, second.purchase_line_id)
        second.with_user(self.dispatcher).action_cancel()
        self.assertFalse(order.order_line)
        self.assertEqual(order.state, "cancel")

    def test_cancelled_job_keeps_a_confirmed_order_line(self):
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        line = job.purchase_line_id
        line.order_id.button_confirm()
        job.with_user(self.dispatcher).action_cancel()
        self.assertEqual(job.purchase_line_id, line)
        self.assertEqual(line.order_id.state, "purchase")

    def test_new_subcontractor_of_a_planned_job_moves_its_line(self):
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        first_order = job.purchase_line_id.order_id
        other = self.env["res.partner"].create({"name": "Slow Wheels"})
        job.with_user(self.dispatcher).subcontractor_id = other
        self.assertEqual(job.purchase_line_id.order_id.partner_id, other)
        self.assertEqual(first_order.state, "cancel")
        job.with_user(self.dispatcher).subcontractor_id = False
        self.assertFalse(job.purchase_line_id)

    def test_subcontractor_of_a_job_bought_on_a_confirmed_order_stays(self):
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        job.purchase_line_id.order_id.button_confirm()
        other = self.env["res.partner"].create({"name": "Slow Wheels"})
        with self.assertRaisesRegex(UserError, "confirmed purchase order"):
            job.with_user(self.dispatcher).subcontractor_id = other
        self.assertEqual(job.subcontractor_id, self.carrier)

    def test_subcontractor_of_a_job_under_way_stays(self):
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        job.with_user(self.driver).action_start()
        other = self.env["res.partner"].create({"name": "Slow Wheels"})
        for value in (other, self.env["res.partner"]):
            with self.assertRaisesRegex(UserError, "under way or done"):
                job.with_user(self.dispatcher).subcontractor_id = value
        self.assertEqual(job.subcontractor_id, self.carrier)
        self.assertEqual(job.purchase_line_id.order_id.partner_id, self.carrier)

    def test_a_purchase_line_buys_one_job(self):
        first, second = self._subcontracted_job(), self._subcontracted_job()
        first.with_user(self.dispatcher).action_plan()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            second.write({"purchase_line_id": first.purchase_line_id.id})
            second.flush_recordset()

    def test_customer_pricing_ignores_subcontractor_cards(self):
        self.env["logistics.rate.card"].create(
            {"name": "Any carrier", "usage": "purchase", "tz": "UTC"}
        )
        Card = self.env["logistics.rate.card"]
        today = fields.Date.today()
        self.assertEqual(
            Card._find_rate_card(self.customer, today, self.company), self.card
        )
        self.assertEqual(
            Card._find_rate_card(self.carrier, today, self.company), self.card
        )
        self.assertEqual(
            Card._find_rate_card(self.carrier, today, self.company, usage="purchase"),
            self.carrier_card,
        )

    def test_card_price_is_converted_to_the_vendor_currency(self):
        currency = other_currency(self.company, 2.0)
        self.carrier.with_company(self.company).property_purchase_currency_id = currency
        job = self._subcontracted_job()
        job.with_user(self.dispatcher).action_plan()
        line = job.purchase_line_id
        self.assertEqual(line.order_id.currency_id, currency)
        # 55 in the company's currency, 2 of the vendor's each.
        self.assertAlmostEqual(line.price_unit, 110.0)

    def test_card_searches_do_not_grow_with_the_jobs_of_a_carrier(self):
        Card = type(self.env["logistics.rate.card"])
        searches = []
        find_rate_card = Card._find_rate_card

        def counting_find_rate_card(card_self, *args, **kwargs):
            searches.append(args)
            return find_rate_card(card_self, *args, **kwargs)

        def plan(count):
            jobs = self.env["logistics.dispatch.job"]
            for _index in range(count):
                jobs |= self._subcontracted_job()
            jobs.write({"planned_start": fields.Datetime.now()})
            searches.clear()
            with patch.object(Card, "_find_rate_card", counting_find_rate_card):
                jobs.with_user(self.dispatcher).action_plan()
            self.assertTrue(
                all(job.purchase_line_id.price_unit == 55.0 for job in jobs)
            )
            return len(searches)

        self.assertEqual(plan(2), plan(6))
        self.assertEqual(plan(3), 1)
