# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request


class LogisticsExceptionScannerController(http.Controller):
    @http.route("/logistics_exception/scanner", type="http", auth="user")
    def scanner(self, **kwargs):
        """A short address a handheld can bookmark: the Exception Scanner."""
        return request.redirect(
            "/web#action=logistics_exception_scanner.logistics_exception_scanner_action"
        )
