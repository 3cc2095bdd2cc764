# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .test_approval_return import ReturnApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalReturnTour(HttpCase, ReturnApprovalCommon):
    def test_stock_user_return_above_threshold_waits(self):
        self.stock_user.password = "lexa_stock_user"
        self.start_tour(
            f"/web#model=stock.picking&id={self.delivery.id}&view_type=form",
            "logistics_exception_approval_return_tour",
            login="lexa_stock_user",
        )
        request = self._return_request()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.requested_by_id, self.stock_user)
        self.assertEqual(request.amount, 600)
        self.assertEqual(request.reason, "Customer refused the lamps")
        self.assertFalse(self._returns())
