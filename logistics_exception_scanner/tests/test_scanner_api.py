import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PHOTO, ScannerCommon


@tagged("post_install", "-at_install")
class TestScannerScans(ScannerCommon):
    """What each scan answers, and each bad barcode refused in words."""

    def test_document_by_reference_shows_its_lines_and_fitting_reasons(self):
        data = self.Scanner.scan_document(f"  {self.receipt.name.lower()} ")
        self.assertEqual(
            (data["model"], data["id"]), ("stock.picking", self.receipt.id)
        )
        self.assertEqual(data["kind"], "receipt")
        self.assertEqual(data["partner"], self.vendor.display_name)
        self.assertTrue(data["scheduled_date"])
        lines = {line["product_id"]: line for line in data["lines"]}
        self.assertEqual(lines[self.chair.id]["quantity"], 12)
        self.assertEqual(lines[self.serum.id]["tracking"], "lot")
        codes = {reason["code"] for reason in data["reasons"]}
        self.assertIn(self.reason_damaged.code, codes)
        # A credit hold is not found on a receipt.
        credit = self.env.ref("logistics_exception.category_credit_hold")
        self.assertFalse(
            credit.reason_ids.mapped("code")
            and set(credit.reason_ids.mapped("code")) & codes
        )

    def test_orders_are_scanned_too(self):
        purchase = self.Scanner.scan_document(self.purchase.name)
        self.assertEqual(purchase["kind"], "purchase")
        self.assertEqual(purchase["lines"][0]["quantity"], 24)
        sale = self.Scanner.scan_document(self.sale.name)
        self.assertEqual(sale["kind"], "sale")
        self.assertEqual(sale["partner"], self.customer.display_name)

    def test_unknown_cancelled_and_other_company_documents_are_refused(self):
        with self.assertRaisesRegex(UserError, "No transfer, purchase order"):
            self.Scanner.scan_document("WH/IN/99999")
        with self.assertRaisesRegex(UserError, "No transfer, purchase order"):
            self.Scanner.scan_document(self.foreign_receipt.name + "%")
        self.foreign_receipt.name = "NORTH/IN/0001"
        with self.assertRaisesRegex(UserError, "No transfer, purchase order"):
            self.Scanner.scan_document("NORTH/IN/0001")
        self.delivery.action_cancel()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            self.Scanner.scan_document(self.delivery.name)
        with self.assertRaisesRegex(UserError, "Scan or type a document"):
            self.Scanner.scan_document("   ")
        with self.assertRaisesRegex(UserError, "too long"):
            self.Scanner.scan_document("X" * 200)

    def test_documents_the_user_cannot_read_are_not_found(self):
        # A logistics user without rights on inventory, purchase or sales.
        scanner = self.env["logistics.exception.scanner"].with_user(self.colleague)
        for document in (self.receipt, self.purchase, self.sale):
            with self.assertRaisesRegex(UserError, "No transfer, purchase order"):
                scanner.scan_document(document.name)
        scanner = self.env["logistics.exception.scanner"].with_user(self.user)
        self.assertEqual(
            scanner.scan_document(self.receipt.name)["id"], self.receipt.id
        )

    def test_only_logistics_users_use_the_scanner(self):
        scanner = self.env["logistics.exception.scanner"].with_user(
            self.stock_only_user
        )
        with self.assertRaisesRegex(AccessError, "Exception Scanner is for"):
            scanner.scan_document(self.receipt.name)
        with self.assertRaises(AccessError):
            scanner.submit_report(self._report())

    def test_product_by_barcode_packaging_or_internal_reference(self):
        data = self.Scanner.scan_product("stock.picking", self.receipt.id, "LEXT-CHAIR")
        self.assertEqual(data["product_id"], self.chair.id)
        self.assertEqual(data["quantity"], 12)
        self.assertFalse(data["packaging_qty"])
        self.assertTrue(data["needs_location"])
        data = self.Scanner.scan_product(
            "stock.picking", self.receipt.id, "LEXT-CHAIR-CARTON"
        )
        self.assertEqual(
            (data["product_id"], data["packaging_qty"]), (self.chair.id, 6)
        )
        data = self.Scanner.scan_product("stock.picking", self.receipt.id, "LEXT_CHAIR")
        self.assertEqual(data["product_id"], self.chair.id)
        data = self.Scanner.scan_product("stock.picking", self.receipt.id, "LEXT-SERUM")
        self.assertTrue(data["needs_lot"])
        # Without a document: any product; without multi-locations: no bin.
        scanner = self.env["logistics.exception.scanner"].with_user(self.user)
        data = scanner.scan_product(False, False, "LEXT-LAMP")
        self.assertEqual(data["product_id"], self.stranger.id)
        self.assertFalse(data["needs_location"])

    def test_products_off_the_document_unknown_or_archived_are_refused(self):
        with self.assertRaisesRegex(UserError, "Unrelated Lamp is not on"):
            self.Scanner.scan_product("stock.picking", self.receipt.id, "LEXT-LAMP")
        with self.assertRaisesRegex(UserError, "No product has the barcode NOPE"):
            self.Scanner.scan_product("stock.picking", self.receipt.id, "NOPE")
        self.stranger.company_id = self.other_company
        with self.assertRaisesRegex(UserError, "No product has the barcode"):
            self.Scanner.scan_product(False, False, "LEXT-LAMP")
        self.chair.active = False
        with self.assertRaisesRegex(UserError, "is archived"):
            self.Scanner.scan_product("stock.picking", self.receipt.id, "LEXT-CHAIR")
        with self.assertRaisesRegex(UserError, "transfers, purchase orders and sales"):
            self.Scanner.scan_product("res.partner", self.vendor.id, "LEXT-SERUM")

    def test_lot_and_location(self):
        lot = self.Scanner.scan_lot(self.serum.id, "LOT-2026-11")
        self.assertEqual(lot["lot_id"], self.lot.id)
        with self.assertRaisesRegex(UserError, "no lot or serial number LOT-X"):
            self.Scanner.scan_lot(self.serum.id, "LOT-X")
        with self.assertRaisesRegex(UserError, "no lot or serial number"):
            self.Scanner.scan_lot(self.chair.id, "LOT-2026-11")
        location = self.Scanner.scan_location(
            "LEXT-BIN-A01", "stock.picking", self.receipt.id
        )
        self.assertEqual(location["location_id"], self.bin.id)
        by_name = self.Scanner.scan_location(self.bin.complete_name.lower())
        self.assertEqual(by_name["location_id"], self.bin.id)
        with self.assertRaisesRegex(UserError, "not a location of your warehouse"):
            self.Scanner.scan_location(
                self.env.ref("stock.stock_location_customers").complete_name
            )
        self.bin.active = False
        with self.assertRaisesRegex(UserError, "is archived"):
            self.Scanner.scan_location("LEXT-BIN-A01")
        with self.assertRaisesRegex(UserError, "no location NOWHERE"):
            self.Scanner.scan_location("NOWHERE")

    def test_reason_by_barcode_or_code_and_its_refusals(self):
        reason = self.Scanner.scan_reason(
            self.reason_damaged.barcode, "stock.picking", self.receipt.id
        )
        self.assertEqual(reason["id"], self.reason_damaged.id)
        self.assertTrue(reason["requires_evidence"])
        reason = self.Scanner.scan_reason(self.reason_short_pick.code.lower())
        self.assertEqual(reason["id"], self.reason_short_pick.id)
        # A shortage at picking does not happen on a receipt.
        with self.assertRaisesRegex(UserError, "is not used on a receipt"):
            self.Scanner.scan_reason(
                self.reason_short_pick.barcode, "stock.picking", self.receipt.id
            )
        with self.assertRaisesRegex(UserError, "No reason code has the barcode"):
            self.Scanner.scan_reason("LXR-NOTHING")
        self.reason_damaged.company_id = self.other_company
        with self.assertRaisesRegex(UserError, "No reason code has the barcode"):
            self.Scanner.scan_reason(self.reason_damaged.barcode)
        self.reason_damaged.company_id = False
        self.reason_damaged.active = False
        with self.assertRaisesRegex(UserError, "no longer used"):
            self.Scanner.scan_reason(self.reason_damaged.barcode)

    def test_categories_inherit_their_parents_documents(self):
        child = self.env["logistics.exception.category"].create(
            {
                "name": "Crushed cartons",
                "code": "CRUSHED",
                "parent_id": self.category_damage.id,
            }
        )
        self.assertEqual(
            child._get_document_kinds(), self.category_damage._get_document_kinds()
        )
        self.assertNotIn("sale", child._get_document_kinds())
        documentation = self.env.ref("logistics_exception.category_documentation_gap")
        self.assertEqual(documentation._get_document_kinds(), set())


@tagged("post_install", "-at_install")
class TestScannerReport(ScannerCommon):
    """Submitting a report: the exception, its evidence, its validation and
    its idempotency on the device's id."""

    def setUp(self):
        super().setUp()
        self.before = self.env["logistics.exception"].search(
            [("detected_by", "=", "scanner")]
        )

    def _count(self):
        """Exceptions reported from a scanner by this test (not the demo's)."""
        return self.env["logistics.exception"].search_count(
            [("detected_by", "=", "scanner"), ("id", "not in", self.before.ids)]
        )

    def test_report_creates_a_routed_exception_with_its_photo(self):
        result = self.Scanner.submit_report(
            self._report(location_id=self.bin.id, reported_at=False)
        )
        self.assertFalse(result["duplicate"])
        exception = self.env["logistics.exception"].browse(result["id"])
        self.assertEqual(result["name"], exception.name)
        self.assertEqual(exception.detected_by, "scanner")
        self.assertEqual(exception.create_uid, self.dock_user)
        self.assertEqual(exception.reason_id, self.reason_damaged)
        self.assertEqual(exception.category_id, self.category_damage)
        self.assertEqual(exception.picking_id, self.receipt)
        self.assertEqual(exception.product_id, self.chair)
        self.assertEqual(exception.location_id, self.bin)
        self.assertEqual(exception.warehouse_id, self.warehouse)
        self.assertEqual(exception.team_id, self.team)
        self.assertEqual(result["team"], self.team.name)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (12, 10)
        )
        self.assertIn("crushed under a pallet", exception.description)
        self.assertIn("Damaged in Transfer", exception.summary)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", exception._name), ("res_id", "=", exception.id)]
        )
        self.assertEqual(attachments.mapped("mimetype"), ["image/jpeg"])
        self.assertEqual(attachments.raw, base64.b64decode(PHOTO))
        submission = self.env["logistics.exception.scanner.submission"].search(
            [("device_uuid", "=", "dock-0001-aaaa")]
        )
        self.assertEqual(submission.exception_id, exception)
        self.assertEqual(submission.user_id, self.dock_user)

    def test_lot_tracked_report_and_device_time(self):
        reported = fields.Datetime.now() - timedelta(hours=3)
        result = self.Scanner.submit_report(
            self._report(
                device_uuid="dock-0002-bbbb",
                product_id=self.serum.id,
                lot_id=self.lot.id,
                quantity=4,
                reported_at=fields.Datetime.to_string(reported),
            )
        )
        exception = self.env["logistics.exception"].browse(result["id"])
        self.assertEqual(exception.lot_id, self.lot)
        self.assertEqual(exception.date_detected, reported.replace(microsecond=0))
        # A device clock ahead of the server's is not believed.
        result = self.Scanner.submit_report(
            self._report(
                device_uuid="dock-0003-cccc",
                reported_at=fields.Datetime.to_string(
                    fields.Datetime.now() + timedelta(days=2)
                ),
            )
        )
        exception = self.env["logistics.exception"].browse(result["id"])
        self.assertLessEqual(exception.date_detected, fields.Datetime.now())

    def test_a_report_sent_twice_makes_one_exception(self):
        first = self.Scanner.submit_report(self._report())
        again = self.Scanner.submit_report(self._report(quantity=5))
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(again["name"], first["name"])
        self.assertTrue(again["duplicate"])
        self.assertEqual(self._count(), 1)
        # Even when the user may no longer see it (routed elsewhere).
        exception = self.env["logistics.exception"].browse(first["id"])
        exception.write({"team_id": False, "user_id": self.colleague.id})
        exception.sudo().create_uid = self.colleague
        self.assertEqual(self.Scanner.submit_report(self._report())["id"], first["id"])

    def test_another_users_device_id_is_refused(self):
        self.Scanner.submit_report(self._report())
        scanner = self.env["logistics.exception.scanner"].with_user(self.user)
        with self.assertRaisesRegex(UserError, "already sent by another user"):
            scanner.submit_report(self._report())
        self.assertEqual(self._count(), 1)

    def test_bad_reports_are_refused_and_change_nothing(self):
        receipt_line = self.receipt.move_ids.filtered(
            lambda m: m.product_id == self.chair
        )
        cases = [
            ({"device_uuid": "x"}, "no valid device id"),
            ({"device_uuid": "bad id with spaces"}, "no valid device id"),
            ({"reason_id": False}, "Choose the reason"),
            ({"reason_id": 999999999}, "does not exist or is not yours"),
            ({"reason_id": self.reason_short_pick.id}, "is not used on a receipt"),
            ({"product_id": self.stranger.id}, "is not on"),
            ({"lot_id": self.lot.id}, "is not a lot of"),
            ({"quantity": -3}, "more than zero"),
            ({"quantity": "many"}, "must be a number"),
            ({"quantity": receipt_line.product_uom_qty * 11}, "far more than"),
            ({"photos": []}, "needs a photo as evidence"),
            (
                {
                    "photos": [
                        {"name": "a.pdf", "mimetype": "application/pdf", "data": PHOTO}
                    ]
                },
                "is not an image",
            ),
            (
                {
                    "photos": [
                        {"name": "a.jpg", "mimetype": "image/jpeg", "data": "@@@"}
                    ]
                },
                "could not be read",
            ),
            (
                {
                    "photos": [
                        {
                            "name": "huge.jpg",
                            "mimetype": "image/jpeg",
                            "data": "A" * (8 * 1024 * 1024),
                        }
                    ]
                },
                "too large",
            ),
            ({"photos": [{"mimetype": "image/jpeg", "data": PHOTO}] * 7}, "at most 6"),
            ({"note": "x" * 5000}, "too long"),
            ({"model": "res.partner", "res_id": self.vendor.id}, "transfers, purchase"),
            ({"res_id": self.foreign_receipt.id}, "does not exist or is not yours"),
            ({"location_id": 999999999}, "does not exist or is not yours"),
        ]
        for values, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                self.Scanner.submit_report(self._report(**values))
        self.assertEqual(self._count(), 0)
        self.assertFalse(self.env["logistics.exception.scanner.submission"].search([]))

    def test_archived_reason_is_refused_with_its_name(self):
        self.reason_damaged.active = False
        with self.assertRaisesRegex(UserError, r"DAMAGED_IN_TRANSFER.*is archived"):
            self.Scanner.submit_report(self._report())
        self.assertEqual(self._count(), 0)


@tagged("post_install", "-at_install")
class TestScannerQueue(ScannerCommon):
    """My queue and the work on one exception."""

    def setUp(self):
        super().setUp()
        self.category_damage.requires_root_cause = True
        self.root_cause = self.env["logistics.exception.root.cause"].create(
            {
                "name": "Forklift impact",
                "code": "FORKLIFT",
                "category_id": self.category_damage.id,
            }
        )

    @freeze_time("2026-11-18 09:00:00")
    def test_queue_most_urgent_first_and_only_mine(self):
        exceptions = self.env["logistics.exception"].create(
            [
                {
                    "summary": summary,
                    "category_id": self.category_damage.id,
                    "team_id": team.id,
                    "company_id": self.company.id,
                }
                for summary, team in (
                    ("on track", self.team),
                    ("breached", self.team),
                    (
                        "someone else's",
                        self.env["logistics.exception.team"].create(
                            {"name": "Yard", "company_id": self.company.id}
                        ),
                    ),
                )
            ]
        )
        exceptions[0].sudo().write({"sla_status": "on_track"})
        exceptions[1].sudo().write({"sla_status": "breached"})
        queue = self.Scanner.get_my_queue()
        self.assertEqual([item["summary"] for item in queue], ["breached", "on track"])
        self.assertEqual(queue[0]["sla_status"], "breached")
        self.assertEqual(
            self.Scanner.load_session()["queue_count"], 2, "the session shows the count"
        )

    def test_work_an_exception_from_its_label(self):
        result = self.Scanner.submit_report(self._report())
        detail = self.Scanner.open_exception(result["name"].lower())
        self.assertEqual(detail["id"], result["id"])
        self.assertEqual(detail["photo_count"], 1)
        self.assertEqual(detail["quantity"], 2)
        self.assertIn("start", detail["actions"])
        self.assertIn(self.root_cause.id, [c["id"] for c in detail["root_causes"]])
        detail = self.Scanner.exception_action(result["id"], "start")
        self.assertEqual(detail["state"], "in_progress")
        detail = self.Scanner.exception_action(result["id"], "wait")
        self.assertEqual(detail["state"], "waiting")
        detail = self.Scanner.exception_action(
            result["id"],
            "note",
            {
                "note": "Carrier called back",
                "photos": [{"name": "b.jpg", "mimetype": "image/jpeg", "data": PHOTO}],
            },
        )
        self.assertEqual(detail["photo_count"], 2)
        with self.assertRaisesRegex(UserError, "root cause"):
            self.Scanner.exception_action(result["id"], "resolve", {})
        exception = self.env["logistics.exception"].browse(result["id"])
        self.assertEqual(exception.state, "waiting")
        detail = self.Scanner.exception_action(
            result["id"],
            "resolve",
            {"root_cause_id": self.root_cause.id, "note": "Re-stacked"},
        )
        self.assertEqual(detail["state"], "resolved")
        self.assertEqual(exception.root_cause_id, self.root_cause)
        self.assertIn("Re-stacked", exception.resolution_note)
        self.assertNotIn("resolve", detail["actions"])

    def test_refusals_of_the_work_flow(self):
        result = self.Scanner.submit_report(self._report())
        with self.assertRaisesRegex(UserError, "No exception you can see"):
            self.Scanner.open_exception("LEX/1999/99999")
        outsider = self.env["logistics.exception.scanner"].with_user(self.outsider)
        with self.assertRaisesRegex(UserError, "No exception you can see"):
            outsider.open_exception(result["name"])
        with self.assertRaisesRegex(UserError, "not in your queues"):
            outsider.open_exception(result["id"])
        with self.assertRaisesRegex(UserError, "does not know this action"):
            self.Scanner.exception_action(result["id"], "delete")
        with self.assertRaisesRegex(UserError, "Write a note or take a photo"):
            self.Scanner.exception_action(result["id"], "note", {"note": "  "})
        other_cause = self.env["logistics.exception.root.cause"].create(
            {
                "name": "Late truck",
                "code": "LATE",
                "category_id": self.category_delay.id,
            }
        )
        self.Scanner.exception_action(result["id"], "start")
        with self.assertRaisesRegex(UserError, "is not one of"):
            self.Scanner.exception_action(
                result["id"], "resolve", {"root_cause_id": other_cause.id}
            )
