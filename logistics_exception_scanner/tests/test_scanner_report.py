# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

from lxml import html as lxml_html
from PIL import Image

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tools.pdf import PdfFileReader

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionCommon

SHEET = "logistics_exception_scanner.report_reason_sheet"
LABEL = "logistics_exception_scanner.report_exception_label"


class TestScannerReport(LogisticsExceptionCommon):
    """The printed reason-code sheet and exception labels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["logistics.exception.category"]
        Reason = cls.env["logistics.exception.reason"]
        cls.cat_dock = Category.create(
            {"name": "Dock Checks", "code": "LXS_DOCK", "sequence": 1}
        )
        cls.cat_yard = Category.create(
            {"name": "Yard Checks", "code": "LXS_YARD", "sequence": 2}
        )
        cls.cat_old = Category.create(
            {"name": "Old Checks", "code": "LXS_OLD", "sequence": 0}
        )
        # Created in reverse of the order the sheet prints them.
        cls.reason_yard = Reason.create(
            {
                "name": "Trailer seal broken",
                "code": "LXS_SEAL",
                "barcode": "LXS-SEAL-BROKEN",
                "category_id": cls.cat_yard.id,
                "severity": "critical",
            }
        )
        cls.reason_dock_b = Reason.create(
            {
                "name": "Pallet wrap torn",
                "code": "LXS_WRAP",
                "category_id": cls.cat_dock.id,
                "sequence": 2,
            }
        )
        cls.reason_dock_a = Reason.create(
            {
                "name": "Forklift damage",
                "code": "LXS_FORK",
                "barcode": "LXS-FORKLIFT",
                "category_id": cls.cat_dock.id,
                "sequence": 1,
            }
        )
        cls.reason_archived = Reason.create(
            {
                "name": "Old damage",
                "code": "LXS_GONE",
                "barcode": "LXS-GONE",
                "category_id": cls.cat_dock.id,
                "active": False,
            }
        )
        cls.reason_old_category = Reason.create(
            {
                "name": "Old category reason",
                "code": "LXS_OLDCAT",
                "category_id": cls.cat_old.id,
            }
        )
        cls.cat_old.active = False
        cls.sheet_reasons = (
            cls.reason_yard
            | cls.reason_dock_b
            | cls.reason_dock_a
            | cls.reason_archived
            | cls.reason_old_category
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Oak Drawer", "default_code": "LXS-DRAWER"}
        )
        cls.exception = cls._create_exception(
            summary="Pallet dropped at dock 3",
            category_id=cls.category_damage.id,
            product_id=cls.product.id,
            quantity_expected=12,
            quantity_actual=9,
        )

    def _render_html(self, report, records, user=None):
        env = self.env(user=user) if user else self.env
        html = env["ir.actions.report"]._render_qweb_html(report, records.ids)[0]
        return lxml_html.fromstring(html)

    def _bars(self, png):
        """The middle scan line of a barcode image, dark or light per pixel."""
        image = Image.open(io.BytesIO(png)).convert("L")
        width, height = image.size
        return [image.getpixel((x, height // 2)) < 128 for x in range(width)]

    def _assert_barcode(self, img, value, width, height):
        """``img`` shows ``value`` as Code128: the same bars as Odoo draws
        for it (reportlab's anti-aliasing varies by a grey level or so from
        one drawing to the next, so the PNG bytes cannot be compared)."""
        self.assertEqual(img.get("alt"), f"Barcode {value}")
        prefix = "data:image/png;base64,"
        self.assertTrue(img.get("src").startswith(prefix))
        printed = self._bars(base64.b64decode(img.get("src")[len(prefix) :]))
        expected = self._bars(
            self.env["ir.actions.report"].barcode(
                "Code128", value, width=width, height=height
            )
        )
        self.assertEqual(len(printed), len(expected))
        mismatches = sum(a != b for a, b in zip(printed, expected, strict=True))
        # One character more or less changes 3 % or more of the line.
        self.assertLessEqual(mismatches, len(expected) * 0.005)

    def _assert_pdf(self, report, records, pages):
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is needed to print reports: run scripts/setup.sh",
        )
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), pages)

    # ------------------------------------------------------------------
    # Reason-code sheet
    # ------------------------------------------------------------------
    def test_sheet_groups_active_reasons_by_category_in_order(self):
        root = self._render_html(SHEET, self.sheet_reasons, user=self.manager)
        headings = [
            " ".join(h.text_content().split())
            for h in root.xpath("//div[hasclass('o_logistics_reason_category')]")
        ]
        self.assertEqual(headings, ["Dock Checks", "Yard Checks"])
        codes = root.xpath(
            "//div[hasclass('o_logistics_reason_card')]/@data-reason-code"
        )
        # Archived reasons and reasons of an archived category are left out.
        self.assertEqual(codes, ["LXS_FORK", "LXS_WRAP", "LXS_SEAL"])
        text = root.text_content()
        self.assertIn(self.company.name, text)
        self.assertIn("Trailer seal broken", text)
        self.assertIn("Critical", text)
        self.assertNotIn("LXS-GONE", text)
        self.assertNotIn("Old category reason", text)
        self.assertIn("Exception Scanner", text, "The footer says how to use it.")

    def test_sheet_barcode_is_the_reason_barcode_else_its_code(self):
        root = self._render_html(SHEET, self.sheet_reasons, user=self.manager)
        cards = root.xpath("//div[hasclass('o_logistics_reason_card')]")
        values = ["LXS-FORKLIFT", "LXS_WRAP", "LXS-SEAL-BROKEN"]
        self.assertEqual(len(cards), len(values))
        # LXS_WRAP has no barcode: its code, which the scanner accepts too.
        for card, value in zip(cards, values, strict=True):
            img = card.xpath(".//div[hasclass('o_logistics_reason_barcode')]//img")
            self.assertEqual(len(img), 1)
            self._assert_barcode(img[0], value, 800, 200)
            self.assertEqual(
                card.xpath(".//td[hasclass('o_logistics_reason_value')]")[0].text,
                value,
            )

    def test_sheet_one_per_company_with_the_shared_reasons(self):
        reason_north = self.env["logistics.exception.reason"].create(
            {
                "name": "Northern ramp blocked",
                "code": "LXS_RAMP",
                "category_id": self.cat_yard.id,
                "company_id": self.other_company.id,
            }
        )
        self.reason_dock_a.company_id = self.company
        self.admin.company_ids = [Command.link(self.other_company.id)]
        admin_env = self.env(
            user=self.admin,
            context={"allowed_company_ids": (self.company | self.other_company).ids},
        )
        html = admin_env["ir.actions.report"]._render_qweb_html(
            SHEET, (self.sheet_reasons | reason_north).ids
        )[0]
        root = lxml_html.fromstring(html)
        cards = {}
        for page in root.xpath("//div[hasclass('o_logistics_reason_page')]"):
            cards.setdefault(int(page.get("data-company-id")), []).extend(
                page.xpath(
                    ".//div[hasclass('o_logistics_reason_card')]/@data-reason-code"
                )
            )
        self.assertEqual(
            cards,
            {
                self.company.id: ["LXS_FORK", "LXS_WRAP", "LXS_SEAL"],
                self.other_company.id: ["LXS_WRAP", "LXS_RAMP", "LXS_SEAL"],
            },
        )

    def test_sheet_of_many_reasons_repeats_header_and_heading_on_each_page(self):
        Reason = self.env["logistics.exception.reason"]
        many = Reason.create(
            [
                {
                    "name": f"Dock reason {index}",
                    "code": f"LXS_MANY_{index:02d}",
                    "category_id": self.cat_dock.id,
                }
                for index in range(20)
            ]
        )
        root = self._render_html(SHEET, many, user=self.manager)
        pages = root.xpath("//div[hasclass('o_logistics_reason_page')]")
        self.assertGreater(len(pages), 1)
        for number, page in enumerate(pages, start=1):
            text = " ".join(page.text_content().split())
            self.assertIn(self.company.name, text)
            self.assertIn(f"Page {number} / {len(pages)}", text)
            self.assertIn("How to use", text)
            self.assertIn("Dock Checks", text)
        self.assertIn("(continued)", pages[1].text_content())
        cards = root.xpath("//div[hasclass('o_logistics_reason_card')]")
        self.assertEqual(
            len(cards), 20, "Every reason once, none lost at a page break."
        )

    def test_sheet_prints_as_a_pdf_of_the_pages_it_plans(self):
        many = self.env["logistics.exception.reason"].create(
            [
                {
                    "name": f"Yard reason {index}",
                    "code": f"LXS_PDF_{index:02d}",
                    "category_id": self.cat_yard.id if index % 3 else self.cat_dock.id,
                }
                for index in range(19)
            ]
        )
        root = self._render_html(SHEET, many, user=self.manager)
        planned = len(root.xpath("//div[hasclass('o_logistics_reason_page')]"))
        self.assertGreater(planned, 1)
        # As many paper pages as planned: no page overflows onto the next.
        self._assert_pdf(SHEET, many, planned)

    def test_sheet_refused_to_a_user_who_is_not_a_manager(self):
        with self.assertRaises(AccessError):
            self._render_html(SHEET, self.sheet_reasons, user=self.user)
        action = self.env.ref(
            "logistics_exception_scanner.logistics_exception_reason_action_print_sheet"
        )
        with self.assertRaises(AccessError):
            action.with_user(self.user).run()

    def test_print_sheet_action_prints_every_active_reason_of_the_list(self):
        action = self.env.ref(
            "logistics_exception_scanner.logistics_exception_reason_action_print_sheet"
        )
        result = (
            action.with_user(self.manager)
            .with_context(
                active_model="logistics.exception.reason",
                active_domain=[("code", "=like", "LXS%")],
            )
            .run()
        )
        self.assertEqual(result["type"], "ir.actions.report")
        self.assertEqual(result["report_name"], SHEET)
        reasons = self.env["logistics.exception.reason"].browse(
            result["context"]["active_ids"]
        )
        self.assertEqual(
            set(reasons.mapped("code")),
            {"LXS_FORK", "LXS_WRAP", "LXS_SEAL", "LXS_OLDCAT"},
        )

    # ------------------------------------------------------------------
    # Exception label
    # ------------------------------------------------------------------
    def test_label_shows_the_reference_as_barcode_and_the_facts(self):
        root = self._render_html(LABEL, self.exception, user=self.user)
        labels = root.xpath("//div[hasclass('o_logistics_exception_label')]")
        self.assertEqual(len(labels), 1)
        name = self.exception.name
        self.assertNotEqual(name, "New")
        self.assertEqual(
            labels[0].xpath(".//td[hasclass('o_logistics_label_reference')]")[0].text,
            name,
        )
        img = labels[0].xpath(".//div[hasclass('o_logistics_label_barcode')]//img")[0]
        self._assert_barcode(img, name, 800, 160)
        text = " ".join(labels[0].text_content().split())
        for fact in (
            "Damaged Goods",
            "[LXS-DRAWER] Oak Drawer",
            "Dock Team",
            "12.00",
            "9.00",
        ):
            self.assertIn(fact, text)

    def test_labels_print_as_one_pdf_page_each(self):
        other = self._create_exception(summary="Second pallet dropped")
        self._assert_pdf(LABEL, self.exception | other, 2)

    def test_label_refused_for_an_exception_the_user_cannot_read(self):
        # The outsider is in no team of the exception and does not own it.
        with self.assertRaises(AccessError):
            self._render_html(LABEL, self.exception, user=self.outsider)
        # Nor for a user outside logistics exceptions.
        with self.assertRaises(AccessError):
            self._render_html(LABEL, self.exception, user=self.stock_only_user)
