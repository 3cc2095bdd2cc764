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

    def test_manager_scans_the_reason_of_a_count_and_applies_it(self):
        self.counter.password = "lexa_counter"
        quant = (
            self.env["stock.quant"]
            .with_user(self.counter)
            .with_context(inventory_mode=True)
            .search(
                [
                    ("product_id", "=", self.product.id),
                    ("location_id", "=", self.location.id),
                ]
            )
        )
        quant.write({"inventory_quantity": 495, "user_id": self.counter.id})
        self.start_tour(
            "/web#action=stock.action_view_inventory_tree",
            "logistics_exception_approval_count_tour",
            login="lexa_counter",
        )
        self.assertEqual(self._on_hand(), 495)
        self.assertIn(self.reason.display_name, self._inventory_moves().name)
