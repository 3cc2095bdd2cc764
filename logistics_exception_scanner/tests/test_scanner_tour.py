# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionTourCase,
)

SCANNER_URL = (
    "/web#action=logistics_exception_scanner.logistics_exception_scanner_action"
)


@tagged("post_install", "-at_install")
class TestScannerTour(LogisticsExceptionTourCase):
    """The Exception Scanner on a phone-sized screen, driven by simulated
    wedge scans, the number pad, typing and a photo."""

    browser_size = "360x740"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        env = self.env
        # Routing and playbooks are tested elsewhere; the demo's rules would
        # give reports owners that are not the scanner's concern.
        env["logistics.exception.routing.rule"].search([]).active = False
        self.user = new_test_user(
            env,
            login="lex_scan_user",
            password="lex_scan_user",
            name="Sam Scanner",
            groups=(
                f"base.group_user,{GROUP_USER},stock.group_stock_user,"
                "stock.group_stock_multi_locations,stock.group_production_lot"
            ),
        )
        self.vendor = env["res.partner"].create({"name": "Scanner Vendor Ltd"})
        self.widget = env["product.product"].create(
            {
                "name": "Scanner Widget",
                "type": "product",
                "barcode": "LEXSCAN-WIDGET-001",
                "tracking": "lot",
            }
        )
        self.bolt = env["product.product"].create(
            {"name": "Scanner Bolt", "type": "product", "barcode": "LEXSCAN-BOLT-003"}
        )
        self.gadget = env["product.product"].create(
            {
                "name": "Scanner Gadget",
                "type": "product",
                "barcode": "LEXSCAN-GADGET-002",
            }
        )
        self.lot = env["stock.lot"].create(
            {
                "name": "LOT-SCAN-42",
                "product_id": self.widget.id,
                "company_id": env.company.id,
            }
        )
        stock = env.ref("stock.stock_location_stock")
        self.shelf = env["stock.location"].create(
            {
                "name": "Scanner Shelf S1",
                "location_id": stock.id,
                "barcode": "LEXSCAN-LOC-S1",
            }
        )
        receipt_type = env.ref("stock.picking_type_in")
        self.picking = env["stock.picking"].create(
            {
                "name": "LEXSCAN/IN/0001",
                "partner_id": self.vendor.id,
                "picking_type_id": receipt_type.id,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": stock.id,
                        }
                    )
                    for product, quantity in ((self.widget, 20), (self.bolt, 10))
                ],
            }
        )
        self.picking.action_confirm()
        self.Exception = env["logistics.exception"]
        self.Submission = env["logistics.exception.scanner.submission"]

    def _exceptions(self, text):
        return self.Exception.search([("description", "ilike", text)])

    def test_report_flow_by_scans(self):
        before = self.Exception.search_count([])
        self.start_tour(
            SCANNER_URL,
            "logistics_exception_scanner_report_tour",
            login="lex_scan_user",
        )
        exception = self.Exception.search([], order="id desc", limit=1)
        self.assertEqual(self.Exception.search_count([]), before + 1)
        self.assertEqual(exception.detected_by, "scanner")
        self.assertEqual(
            exception.reason_id,
            self.env.ref("logistics_exception.reason_damaged_in_transit"),
        )
        self.assertEqual(exception.picking_id, self.picking)
        self.assertEqual(exception.product_id, self.widget)
        self.assertEqual(exception.lot_id, self.lot)
        self.assertEqual(exception.location_id, self.shelf)
        self.assertEqual(exception.quantity_expected, 20)
        self.assertEqual(exception.quantity_actual, 8)
        self.assertIn("Two boxes crushed", exception.description)
        images = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "logistics.exception"),
                ("res_id", "=", exception.id),
                ("mimetype", "=like", "image/%"),
            ]
        )
        self.assertEqual(len(images), 1)
        self.assertEqual(images.mimetype, "image/jpeg")
        submission = self.Submission.sudo().search(
            [("exception_id", "=", exception.id)]
        )
        self.assertEqual(len(submission), 1)
        self.assertEqual(submission.user_id, self.user)

    def test_bad_barcodes_show_the_message_and_create_nothing(self):
        env = self.env
        damaged = env.ref("logistics_exception.category_damaged_goods")
        env["logistics.exception.reason"].create(
            [
                {
                    "name": "Scanner archived reason",
                    "code": "SCAN_ARCHIVED",
                    "barcode": "LXR-TEST-ARCHIVED",
                    "category_id": damaged.id,
                    "active": False,
                },
                {
                    "name": "Scanner other company reason",
                    "code": "SCAN_OTHER_CO",
                    "barcode": "LXR-TEST-OTHERCO",
                    "category_id": damaged.id,
                    "company_id": env["res.company"]
                    .create({"name": "Scanner Other Co"})
                    .id,
                },
            ]
        )
        before = self.Exception.search_count([])
        self.start_tour(
            SCANNER_URL,
            "logistics_exception_scanner_bad_barcode_tour",
            login="lex_scan_user",
        )
        self.assertEqual(self.Exception.search_count([]), before)
        self.assertFalse(
            self.Submission.sudo().search([("user_id", "=", self.user.id)])
        )

    def test_offline_outbox(self):
        self.start_tour(
            SCANNER_URL,
            "logistics_exception_scanner_offline_tour",
            login="lex_scan_user",
        )
        submissions = self.Submission.sudo().search([("user_id", "=", self.user.id)])
        # Network dropped: kept on the device, sent once when it came back.
        offline = self._exceptions("Offline report A")
        self.assertEqual(len(offline), 1)
        self.assertEqual(
            len(submissions.filtered(lambda s: s.exception_id == offline)), 1
        )
        # The answer was lost: sent twice, one exception.
        lost = self._exceptions("Lost answer B")
        self.assertEqual(len(lost), 1)
        self.assertEqual(len(submissions.filtered(lambda s: s.exception_id == lost)), 1)
        # Refused when the network came back, fixed on the device and sent.
        fixed = self._exceptions("Refused then fixed C")
        self.assertEqual(len(fixed), 1)
        self.assertEqual(fixed.quantity_expected - fixed.quantity_actual, 5)
        # Refused and discarded: never created.
        self.assertFalse(self._exceptions("Discarded D"))
        self.assertEqual(len(submissions), 3)
        self.assertEqual(
            set(submissions.exception_id.ids), set((offline | lost | fixed).ids)
        )

    def test_queue_actions(self):
        shortage = self.env.ref("logistics_exception.category_stock_shortage")
        first, second = self.Exception.create(
            [
                {
                    "summary": "Scanner queue: pallet leaning",
                    "category_id": shortage.id,
                    "user_id": self.user.id,
                },
                {
                    "summary": "Scanner queue: label scan",
                    "category_id": shortage.id,
                    "user_id": self.user.id,
                },
            ]
        )
        self.start_tour(
            SCANNER_URL, "logistics_exception_scanner_queue_tour", login="lex_scan_user"
        )
        self.assertEqual(first.state, "resolved")
        self.assertEqual(
            first.root_cause_id,
            self.env.ref("logistics_exception.root_cause_rc_inventory_inaccuracy"),
        )
        self.assertIn("Recounted aisle 3", first.resolution_note)
        self.assertTrue(
            first.message_ids.filtered(lambda m: "Checked the pallet" in (m.body or ""))
        )
        self.assertEqual(second.state, "in_progress")
