# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import InventoryApprovalCommon


@tagged("post_install", "-at_install")
class TestInventoryApprovalTour(HttpCase, InventoryApprovalCommon):
    def test_manager_approves_a_pending_adjustment(self):
        self.approver.password = "lexa_approver"
        self._count(480)
        request = self._request()
        self.start_tour(
            "/web", "logistics_exception_approval_tour", login="lexa_approver"
        )
        self.assertEqual(request.state, "applied")
        self.assertEqual(self._on_hand(), 480)
