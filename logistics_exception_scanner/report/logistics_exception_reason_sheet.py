# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.base.models.report_paperformat import PAPER_SIZES

GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
REPORT = "logistics_exception_scanner.logistics_exception_reason_sheet_report"
# Reasons side by side on a sheet.
SHEET_COLUMNS = 2
# The sheet is cut into pages here, each with its own header (company, print
# date, page) and footer (how to use), because Debian's wkhtmltopdf (built
# without patched Qt) prints neither header nor footer and repeats no table
# header. Heights of the blocks in CSS millimetres, as the template sets them.
SHEET_MARGIN_TOP = 10
HEADER_HEIGHT = 22
FOOTER_HEIGHT = 22
CATEGORY_HEIGHT = 13
ROW_HEIGHT = 60
# wkhtmltopdf lays a CSS millimetre out on 0.77 mm of paper (its smart
# shrinking; measured with 0.12.6); keep 3 % spare.
PAPER_MM_PER_CSS_MM = 0.77
SAFETY = 0.97


class ReportReasonSheet(models.AbstractModel):
    """The reason-code sheet laminated at each dock: one sheet per company,
    its reasons grouped by category, each with the barcode the handheld
    Exception Scanner reads."""

    _name = "report.logistics_exception_scanner.report_reason_sheet"
    _description = "Logistics Exception Reason-Code Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        self._check_can_print()
        Reason = self.env["logistics.exception.reason"]
        reasons = Reason.browse(docids) if docids else Reason.search([])
        # Read under the user's rights: a reason of another company is refused.
        reasons.check_access_rights("read")
        reasons.check_access_rule("read")
        reasons = reasons.filtered(lambda r: r.active and r.category_id.active)
        return {
            "doc_ids": reasons.ids,
            "doc_model": Reason._name,
            "docs": reasons,
            "sheets": self._get_sheets(reasons),
            "print_date": fields.Datetime.now(),
            "columns": SHEET_COLUMNS,
            "margin_top": SHEET_MARGIN_TOP,
            "reason_barcode": self._get_reason_barcode,
            "reason_severity": self._get_reason_severity,
        }

    @api.model
    def _check_can_print(self):
        if not (self.env.su or self.env.user.has_group(GROUP_MANAGER)):
            raise AccessError(
                _(
                    "Only logistics exception managers can print the reason-code "
                    "sheet: ask one to print it for your dock."
                )
            )

    @api.model
    def _get_sheets(self, reasons):
        """One sheet per company: its own reasons and the shared ones (a dock
        scans both), by category in the categories' order, cut into pages.
        Shared reasons alone make a sheet of the current company."""
        reasons = reasons.sorted()
        categories = reasons.category_id.with_context(active_test=False).sorted()
        companies = reasons.company_id or self.env.company
        page_height = self._get_page_height()
        sheets = []
        for company in companies.sorted(lambda c: (c.sequence, c.name)):
            sheet_reasons = reasons.filtered(
                lambda r, c=company: not r.company_id or r.company_id == c
            )
            groups = self._get_category_groups(categories, sheet_reasons)
            sheets.append(
                {
                    "company": company,
                    "categories": groups,
                    "pages": self._get_pages(groups, page_height),
                }
            )
        return sheets

    @api.model
    def _get_category_groups(self, categories, reasons):
        """The reasons by category, in rows of SHEET_COLUMNS reasons."""
        groups = []
        for category in categories:
            category_reasons = reasons.filtered(
                lambda r, c=category: r.category_id == c
            )
            if not category_reasons:
                continue
            groups.append(
                {
                    "category": category,
                    "rows": [
                        category_reasons[i : i + SHEET_COLUMNS]
                        for i in range(0, len(category_reasons), SHEET_COLUMNS)
                    ],
                }
            )
        return groups

    @api.model
    def _get_pages(self, groups, page_height):
        """The blocks of each page: ``("category", category, continued)`` and
        ``("row", reasons)``. A heading never ends a page; a category going on
        on the next page gets its heading again."""
        budget = page_height - HEADER_HEIGHT - FOOTER_HEIGHT
        pages = [[]]
        used = 0
        for group in groups:
            for index, row in enumerate(group["rows"]):
                needed = ROW_HEIGHT + (CATEGORY_HEIGHT if index == 0 else 0)
                if pages[-1] and used + needed > budget:
                    pages.append([])
                    used = 0
                if not pages[-1] or index == 0:
                    pages[-1].append(("category", group["category"], index > 0))
                    used += CATEGORY_HEIGHT
                pages[-1].append(("row", row))
                used += ROW_HEIGHT
        return pages

    @api.model
    def _get_page_height(self):
        """The height a page of the sheet offers, in CSS millimetres, on the
        paper of the report (the company's: A4, Letter...)."""
        paperformat = self.env.ref(REPORT).sudo().get_paperformat()
        size = next((ps for ps in PAPER_SIZES if ps["key"] == paperformat.format), None)
        if size and paperformat.format != "custom":
            height, width = size["height"], size["width"]
        else:
            height = paperformat.page_height or 297
            width = paperformat.page_width or 210
        if paperformat.orientation == "Landscape":
            height = min(height, width)
        paper = height - SHEET_MARGIN_TOP - (paperformat.margin_bottom or 0)
        return paper / PAPER_MM_PER_CSS_MM * SAFETY

    @api.model
    def _get_reason_barcode(self, reason):
        """What the scanner reads for ``reason``: its barcode, else its code
        (scan_reason accepts both)."""
        return (reason.barcode or reason.code or "").strip()

    @api.model
    def _get_reason_severity(self, reason):
        severity = reason.severity or reason.category_id.default_severity
        labels = dict(reason._fields["severity"]._description_selection(self.env))
        return labels.get(severity, "")
