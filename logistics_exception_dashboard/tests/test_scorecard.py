# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionCommon


class TestScorecard(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Pallets & Co", "is_company": True, "supplier_rank": 1}
        )
        cls.vendor_contact = cls.env["res.partner"].create(
            {"name": "Dock contact", "parent_id": cls.vendor.id}
        )
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "Scorecard Hub", "code": "SCH", "company_id": cls.company.id}
        )
        cls.other_warehouse = cls.env["stock.warehouse"].create(
            {"name": "North Hub", "code": "NOH", "company_id": cls.other_company.id}
        )
        cls.other_team = cls.env["logistics.exception.team"].create(
            {"name": "North Dock", "company_id": cls.other_company.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Oak pallet 120x80", "type": "consu"}
        )
        cls.cost_type = cls.env.ref("logistics_exception_dashboard.cost_type_penalty")
        cls.purchase = cls.env["purchase.order"].create(
            {"partner_id": cls.vendor_contact.id, "company_id": cls.company.id}
        )

    @classmethod
    def _validate_transfers(cls, warehouse, picking_type, count, partner=None):
        pickings = cls.env["stock.picking"].create(
            [
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": partner.id if partner else False,
                    "location_id": picking_type.default_location_src_id.id
                    or cls.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": picking_type.default_location_dest_id.id
                    or cls.env.ref("stock.stock_location_customers").id,
                    "company_id": warehouse.company_id.id,
                    "move_ids": [
                        fields.Command.create(
                            {
                                "name": cls.product.name,
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "product_uom": cls.product.uom_id.id,
                                "location_id": picking_type.default_location_src_id.id
                                or cls.env.ref("stock.stock_location_suppliers").id,
                                "location_dest_id": (
                                    picking_type.default_location_dest_id.id
                                    or cls.env.ref("stock.stock_location_customers").id
                                ),
                                "company_id": warehouse.company_id.id,
                            }
                        )
                    ],
                }
                for _index in range(count)
            ]
        )
        pickings.action_confirm()
        for move in pickings.move_ids:
            move.quantity = 1
            move.picked = True
        pickings.button_validate()
        assert set(pickings.mapped("state")) == {"done"}, pickings.mapped("state")
        return pickings

    def _set_sla_status(self, exception, status):
        """The verdict of the SLA engine (tested in the core), set as is: the
        scorecard only counts the verdicts."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_exception SET sla_status = %s WHERE id = %s",
            (status, exception.id),
        )
        exception.invalidate_recordset(["sla_status"])

    def _cost(self, exception, amount):
        return self.env["logistics.exception.cost"].create(
            {
                "exception_id": exception.id,
                "cost_type_id": self.cost_type.id,
                "amount": amount,
            }
        )

    def test_vendor_scorecard_counts_rate_sla_and_cost(self):
        self._validate_transfers(
            self.warehouse, self.warehouse.in_type_id, 4, self.vendor_contact
        )
        # A delivery to the vendor is not a receipt.
        self._validate_transfers(
            self.warehouse, self.warehouse.out_type_id, 1, self.vendor_contact
        )
        met = self._create_exception(purchase_id=self.purchase.id)
        missed = self._create_exception(purchase_id=self.purchase.id)
        self._set_sla_status(met, "met")
        self._set_sla_status(missed, "missed")
        self._cost(met, 100.0)
        self._cost(missed, 50.0)
        # Not counted: cancelled, too old, another vendor's.
        cancelled = self._create_exception(purchase_id=self.purchase.id)
        cancelled.action_cancel()
        self._create_exception(
            purchase_id=self.purchase.id,
            date_detected=fields.Datetime.now() - timedelta(days=91),
        )
        self._create_exception(partner_id=self.customer.id)

        vendor = self.vendor.with_user(self.manager)
        self.assertEqual(vendor.logistics_scorecard_exception_count, 2)
        self.assertEqual(vendor.logistics_scorecard_transfer_count, 4)
        self.assertAlmostEqual(vendor.logistics_scorecard_exception_rate, 500.0)
        self.assertEqual(vendor.logistics_scorecard_sla_met, 1)
        self.assertEqual(vendor.logistics_scorecard_sla_missed, 1)
        self.assertAlmostEqual(vendor.logistics_scorecard_sla_compliance, 50.0)
        self.assertAlmostEqual(vendor.logistics_scorecard_cost, 150.0)
        self.assertEqual(
            vendor.logistics_scorecard_currency_id, self.company.currency_id
        )
        # A contact shows its company's scorecard.
        self.assertEqual(
            self.vendor_contact.with_user(self.manager).logistics_scorecard_cost, 150.0
        )
        # The list behind the smart button holds the same exceptions.
        action = vendor.action_open_logistics_exceptions()
        self.assertEqual(
            self.env["logistics.exception"].search(action["domain"]), met | missed
        )

    def test_vendor_of_a_receipt_without_purchase_order(self):
        receipt = self._validate_transfers(
            self.warehouse, self.warehouse.in_type_id, 1, self.vendor_contact
        )
        exception = self._create_exception(picking_id=receipt.id)
        vendor = self.vendor.with_user(self.manager)
        self.assertEqual(vendor.logistics_scorecard_exception_count, 1)
        self.assertAlmostEqual(vendor.logistics_scorecard_exception_rate, 1000.0)
        action = vendor.action_open_logistics_exceptions()
        self.assertEqual(
            self.env["logistics.exception"].search(action["domain"]), exception
        )

    def test_vendor_scorecard_keeps_to_the_current_company(self):
        other_purchase = self.env["purchase.order"].create(
            {"partner_id": self.vendor.id, "company_id": self.other_company.id}
        )
        other = self._create_exception(
            purchase_id=other_purchase.id,
            company_id=self.other_company.id,
            team_id=self.other_team.id,
        )
        self._cost(other, 999.0)
        self._create_exception(purchase_id=self.purchase.id)
        vendor = self.vendor.with_user(self.manager)
        self.assertEqual(vendor.logistics_scorecard_exception_count, 1)
        self.assertEqual(vendor.logistics_scorecard_cost, 0.0)
        in_other = self.vendor.with_company(self.other_company)
        self.assertEqual(in_other.logistics_scorecard_exception_count, 1)
        self.assertEqual(in_other.logistics_scorecard_cost, 999.0)
        self.assertEqual(in_other.logistics_scorecard_company_id, self.other_company)

    def test_warehouse_scorecard(self):
        self._validate_transfers(self.warehouse, self.warehouse.out_type_id, 3)
        self._validate_transfers(
            self.warehouse, self.warehouse.in_type_id, 1, self.vendor
        )
        self._validate_transfers(
            self.other_warehouse, self.other_warehouse.out_type_id, 2
        )
        breached = self._create_exception(warehouse_id=self.warehouse.id)
        self._set_sla_status(breached, "breached")
        self._cost(breached, 80.0)
        self._create_exception(warehouse_id=self.warehouse.id)
        self._create_exception(
            warehouse_id=self.other_warehouse.id,
            company_id=self.other_company.id,
            team_id=self.other_team.id,
        )
        warehouse = self.warehouse.with_user(self.manager)
        self.assertEqual(warehouse.logistics_scorecard_exception_count, 2)
        self.assertEqual(warehouse.logistics_scorecard_transfer_count, 4)
        self.assertAlmostEqual(warehouse.logistics_scorecard_exception_rate, 500.0)
        self.assertEqual(warehouse.logistics_scorecard_sla_missed, 1)
        self.assertAlmostEqual(warehouse.logistics_scorecard_sla_compliance, 0.0)
        self.assertAlmostEqual(warehouse.logistics_scorecard_cost, 80.0)
        other = self.other_warehouse
        self.assertEqual(other.logistics_scorecard_exception_count, 1)
        self.assertEqual(other.logistics_scorecard_transfer_count, 2)
        action = warehouse.action_open_logistics_exceptions()
        self.assertEqual(
            self.env["logistics.exception"].search_count(action["domain"]), 2
        )

    def test_smart_buttons_open_the_scorecard_views(self):
        for record, xmlid in (
            (
                self.vendor,
                "logistics_exception_dashboard.res_partner_view_form_logistics_scorecard",
            ),
            (
                self.warehouse,
                "logistics_exception_dashboard.stock_warehouse_view_form_logistics_scorecard",
            ),
        ):
            action = record.with_user(self.manager).action_open_logistics_scorecard()
            view = self.env.ref(xmlid)
            self.assertEqual(action["views"], [(view.id, "form")])
            self.assertEqual(action["res_id"], record.id)
            arch = record.with_user(self.manager).get_views([(view.id, "form")])[
                "views"
            ]["form"]["arch"]
            self.assertIn("logistics_scorecard_sla_compliance", arch)
            # The form of the record itself shows the smart button to managers.
            arch = record.with_user(self.manager).get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
            self.assertIn("action_open_logistics_scorecard", arch)

    def test_scorecards_are_for_managers_only(self):
        self._create_exception(purchase_id=self.purchase.id)
        with self.assertRaises(AccessError):
            self.vendor.with_user(self.user).read(
                ["logistics_scorecard_exception_count"]
            )
        with self.assertRaises(AccessError):
            self.warehouse.with_user(self.user).read(["logistics_scorecard_cost"])
        arch = self.warehouse.with_user(self.user).get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertNotIn("action_open_logistics_scorecard", arch)
