# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportExceptionLabel(models.AbstractModel):
    """The label stuck on the goods of an exception (a damaged pallet, a
    short carton): its reference as a barcode the Exception Scanner opens."""

    _name = "report.logistics_exception_scanner.report_exception_label"
    _description = "Logistics Exception Label"

    @api.model
    def _get_report_values(self, docids, data=None):
        exceptions = self.env["logistics.exception"].browse(docids)
        # Printed under the user's rights: no label of an exception they
        # cannot read (another team's, another company's).
        exceptions.check_access_rights("read")
        exceptions.check_access_rule("read")
        return {
            "doc_ids": exceptions.ids,
            "doc_model": exceptions._name,
            "docs": exceptions,
        }
