# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import STOCK_MANAGER, InventoryApprovalCommon


class TestInventoryApproval(InventoryApprovalCommon):
    def test_small_variance_applies_directly_with_its_reason(self):
        # 2 units x 10 = 20, under the threshold of 100.
        quant = self._count(498)
        self.assertEqual(self._on_hand(), 498)
        moves = self._inventory_moves()
        self.assertEqual(len(moves), 1)
        self.assertIn(self.reason.name, moves.name)
        self.assertFalse(quant.logistics_reason_id)
        self.assertFalse(self._request())

    def test_missing_reason_is_refused_and_nothing_moves(self):
        with self.assertRaisesRegex(UserError, "Counted Widget") as caught:
            self._count(490, reason=False)
        self.assertIn("adjustment reason", str(caught.exception))
        self.assertEqual(self._on_hand(), 500)
        self.assertFalse(self._inventory_moves())
        self.assertFalse(self._request())

    def test_reasons_of_inventory_categories_only(self):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.location.id),
            ]
        )
        domain = quant._fields["logistics_reason_id"].domain
        reasons = self.env["logistics.exception.reason"].search(
            [("category_id.inventory_adjustment", "=", True)]
        )
        self.assertIn(self.reason, reasons)
        self.assertIn("inventory_adjustment", domain)
        self.assertNotIn(
            self.env.ref("logistics_exception.category_supplier_delay"),
            reasons.category_id,
        )

    def test_high_value_variance_waits_for_one_approval(self):
        # 20 units x 10 = 200: above 100, under the dual threshold of 1000.
        self._count(480)
        request = self._request()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.dual_approval)
        self.assertEqual(request.amount_total, 200)
        self.assertEqual(self._on_hand(), 500, "stock must not move before approval")
        self.assertFalse(self._inventory_moves())
        # The approvers (not the requester) got a to-do.
        todo_users = request.activity_ids.user_id
        self.assertIn(self.approver, todo_users)
        self.assertNotIn(self.counter, todo_users)
        # It is in the approver's "To approve" list, not in the requester's.
        Approval = self.env["logistics.inventory.approval"]
        self.assertIn(
            request,
            Approval.with_user(self.approver).search([("can_review", "=", True)]),
        )
        self.assertNotIn(
            request,
            Approval.with_user(self.counter).search([("can_review", "=", True)]),
        )

        self._review(request, self.approver, "Recounted, confirmed")
        self.assertEqual(request.state, "applied")
        self.assertEqual(self._on_hand(), 480)
        self.assertEqual(len(self._inventory_moves()), 1)
        self.assertEqual(request.move_ids, self._inventory_moves())
        self.assertFalse(request.activity_ids)
        # Applying again does nothing.
        request._apply_counts()
        self.assertEqual(len(self._inventory_moves()), 1)
        self.assertEqual(self._on_hand(), 480)

    def test_dual_approval_needs_a_second_person_then_moves_once(self):
        # 200 units x 10 = 2000: above the dual threshold of 1000.
        self._count(300)
        request = self._request()
        self.assertTrue(request.dual_approval)
        self.assertEqual(len(request.review_ids), 2)

        self._review(request, self.approver, "First look: fine")
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(self._on_hand(), 500)
        self.assertFalse(self._inventory_moves())
        # The first approver cannot give the second approval too.
        with self.assertRaisesRegex(UserError, "another approver"):
            request.with_user(self.approver).validate_tier()
        self.assertIn(self.second_approver, request.activity_ids.user_id)
        self.assertNotIn(self.approver, request.activity_ids.user_id)

        self._review(request, self.second_approver, "Second look: fine")
        self.assertEqual(request.state, "applied")
        self.assertEqual(self._on_hand(), 300)
        self.assertEqual(len(self._inventory_moves()), 1)
        self.assertEqual(
            set(request.review_ids.mapped("done_by")),
            {self.approver, self.second_approver},
        )
        request._apply_counts()
        request.invalidate_recordset()
        self.assertEqual(len(self._inventory_moves()), 1)
        self.assertEqual(self._on_hand(), 300)

    def test_self_approval_is_refused(self):
        self._count(480)
        request = self._request()
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            request.with_user(self.counter).validate_tier()
        self.assertFalse(request.with_user(self.counter).can_review)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(self._on_hand(), 500)

    def test_rejection_keeps_stock_and_is_in_the_chatter(self):
        self._count(480)
        request = self._request()
        self._review(request, self.approver, "Count again, bin B2", reject=True)
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.reject_reason, "Count again, bin B2")
        self.assertEqual(self._on_hand(), 500)
        self.assertFalse(self._inventory_moves())
        self.assertTrue(
            any("Count again, bin B2" in m.body for m in request.message_ids)
        )
        self.assertTrue(
            any(
                "Count again, bin B2" in m.body
                for m in request.exception_id.message_ids
            )
        )

    def test_pending_count_cannot_be_counted_again(self):
        self._count(480)
        with self.assertRaisesRegex(UserError, "already wait for approval"):
            self._count(470)
        self.assertEqual(len(self._request()), 1)

    def test_variance_raises_a_linked_exception(self):
        self._count(480)
        request = self._request()
        exception = request.exception_id
        self.assertTrue(exception)
        self.assertEqual(exception.reason_id, self.reason)
        self.assertEqual(exception.category_id, self.reason.category_id)
        self.assertEqual(exception.product_id, self.product)
        self.assertIn(request.name, exception.summary)
        self._review(request, self.approver, "ok")
        self.assertTrue(any(request.name in m.body for m in exception.message_ids))

    def test_stock_user_cannot_create_requests_by_hand(self):
        with self.assertRaises(AccessError):
            self.env["logistics.inventory.approval"].with_user(self.stock_user).create(
                {"warehouse_id": self.warehouse.id}
            )

    def test_one_apply_splits_small_and_valuable_lines(self):
        cheap = self.env["product.product"].create(
            {"name": "Cheap Clip", "type": "product", "standard_price": 1.0}
        )
        self.env["stock.quant"]._update_available_quantity(cheap, self.location, 100.0)
        quants = (
            self.env["stock.quant"]
            .with_user(self.counter)
            .with_context(inventory_mode=True)
            .search(
                [
                    ("product_id", "in", (cheap | self.product).ids),
                    ("location_id", "=", self.location.id),
                ]
            )
        )
        for quant in quants:
            quant.inventory_quantity = quant.quantity - 20
            quant.logistics_reason_id = self.reason
        # Applied through the "Apply" wizard of the physical inventory.
        wizard = (
            self.env["stock.inventory.adjustment.name"]
            .with_user(self.counter)
            .create({"quant_ids": [(6, 0, quants.ids)]})
        )
        action = wizard.action_apply()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("Counted Widget", action["params"]["message"])
        # The clip (20 x 1) moved, the widget (20 x 10) waits.
        self.assertEqual(
            cheap.with_context(location=self.location.id).qty_available, 80
        )
        self.assertEqual(self._on_hand(), 500)
        request = self._request()
        self.assertEqual(request.line_ids.product_id, self.product)
        self.assertEqual(request.line_ids.counted_quantity, 480)

    def test_stock_user_is_no_reviewer_and_sees_no_request(self):
        self._count(480)
        request = self._request()
        self.assertNotIn(self.stock_user, request.review_ids.reviewer_ids)
        self.assertNotIn(self.counter, request.review_ids.reviewer_ids)
        with self.assertRaises(AccessError):
            request.with_user(self.stock_user).read(["name"])
        # The taxonomy stays hidden from plain stock users (see the core's
        # access tests); they count, a stock manager gives the reason.
        with self.assertRaises(AccessError):
            self.env["logistics.exception.reason"].with_user(self.stock_user).search([])

    def test_no_restart_button_and_no_restart(self):
        arch = self.env["logistics.inventory.approval"].get_view(view_type="form")[
            "arch"
        ]
        if isinstance(arch, bytes):
            arch = arch.decode()
        self.assertNotIn("restart_validation", arch)
        self.assertIn("validate_tier", arch)
        self._count(480)
        request = self._request()
        with self.assertRaisesRegex(UserError, "cannot be restarted"):
            request.with_user(self.approver).restart_validation()
        self.assertEqual(len(request.review_ids), 1)

    def test_found_goods_apply_after_their_quant_was_cleaned_up(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf F", "location_id": self.location.id}
        )
        quant = (
            self.env["stock.quant"]
            .with_user(self.counter)
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": shelf.id,
                    "inventory_quantity": 30,
                }
            )
        )
        quant.logistics_reason_id = self.reason
        quant.action_apply_inventory()
        request = self._request()
        self.assertEqual(request.line_ids.location_id, shelf)
        # The empty quant is cleaned up while the request waits.
        self.env.flush_all()
        self.env["stock.quant"]._unlink_zero_quants()
        self.assertFalse(quant.exists())
        self._review(request, self.approver, "Found on shelf F")
        self.assertEqual(request.state, "applied")
        on_shelf = self.product.with_context(location=shelf.id).qty_available
        self.assertEqual(on_shelf, 30)
        self.assertEqual(len(self._inventory_moves()), 1)

    def test_reason_is_found_by_its_scanned_barcode(self):
        found = (
            self.env["logistics.exception.reason"]
            .with_user(self.counter)
            .name_search(
                "LXR-INVENTORY-RECORD-ERROR",
                args=[("category_id.inventory_adjustment", "=", True)],
            )
        )
        self.assertEqual([rid for rid, _name in found], [self.reason.id])

    def test_thresholds_must_be_consistent(self):
        with self.assertRaises(ValidationError):
            self.warehouse.logistics_dual_approval_threshold = 50.0
        with self.assertRaises(ValidationError):
            self.warehouse.logistics_approval_threshold = -1.0

    def test_requests_of_another_company_are_hidden(self):
        self._count(480)
        request = self._request()
        other = self.env["res.company"].create({"name": "Other Logistics Co"})
        outsider = new_test_user(
            self.env,
            login="lexa_other_manager",
            groups=STOCK_MANAGER,
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        Approval = self.env["logistics.inventory.approval"].with_user(outsider)
        self.assertFalse(Approval.search([("id", "=", request.id)]))
        self.assertNotIn(outsider, request.review_ids.reviewer_ids.filtered("active"))
        with self.assertRaises(AccessError):
            request.with_user(outsider).read(["name"])

    def test_exception_leads_to_its_request(self):
        self._count(480)
        request = self._request()
        # A stock manager who also works the exceptions' queues.
        self.approver.groups_id |= self.env.ref(
            "logistics_exception.logistics_exception_group_manager"
        )
        exception = request.exception_id.with_user(self.approver)
        self.assertEqual(exception.inventory_approval_count, 1)
        action = exception.action_view_inventory_approvals()
        self.assertEqual(action["res_id"], request.id)

    def test_applied_loss_is_a_write_off_cost_of_the_exception(self):
        if "logistics.exception.cost" not in self.env:
            self.skipTest("the dashboards module is not installed")
        self._count(480)  # 20 x 10 lost
        request = self._request()
        self._review(request, self.approver, "ok")
        costs = self.env["logistics.exception.cost"].search(
            [("exception_id", "=", request.exception_id.id)]
        )
        self.assertEqual(costs.amount, 200)
        self.assertEqual(
            costs.cost_type_id,
            self.env.ref("logistics_exception_dashboard.cost_type_write_off"),
        )

    def test_rejected_or_found_stock_adds_no_cost(self):
        if "logistics.exception.cost" not in self.env:
            self.skipTest("the dashboards module is not installed")
        self._count(520)  # 20 x 10 found: no loss
        request = self._request()
        self._review(request, self.approver, "ok")
        self.assertEqual(request.state, "applied")
        self.assertFalse(
            self.env["logistics.exception.cost"].search(
                [("exception_id", "=", request.exception_id.id)]
            )
        )

    def test_requests_are_made_by_counts_never_by_hand(self):
        # A stock manager cannot forge a request (e.g. without dual approval,
        # or in someone else's name): only applying a count makes one.
        with self.assertRaisesRegex(AccessError, "not by hand"):
            self.env["logistics.inventory.approval"].with_user(self.counter).create(
                {
                    "warehouse_id": self.warehouse.id,
                    "requested_by_id": self.approver.id,
                }
            )
        self._count(480)
        request = self._request()
        self.assertEqual(request.requested_by_id, self.counter)
        with self.assertRaisesRegex(UserError, "requester"):
            request.with_user(self.counter).write({"requested_by_id": self.approver.id})
        with self.assertRaisesRegex(AccessError, "asked when it is made"):
            request.with_user(self.counter).request_validation()

    def test_one_person_never_approves_two_tiers_through_the_comment_wizard(self):
        # Dual approval: both tiers are stock managers. The approver sends
        # both reviews (or another record's review) to the comment wizard.
        self._count(300)  # 200 x 10 = 2000: above the dual threshold
        request = self._request()
        self.assertTrue(request.dual_approval)
        reviews = request.review_ids
        self.assertEqual(len(reviews), 2)
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.approver)
            .create(
                {
                    "res_model": request._name,
                    "res_id": request.id,
                    "review_ids": [Command.set(reviews.ids)],
                    "validate_reject": "validate",
                    "comment": "Both at once",
                }
            )
        )
        wizard.add_comment()
        self.assertEqual(
            sorted(request.review_ids.mapped("status")), ["approved", "pending"]
        )
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(self._on_hand(), 500)
        with self.assertRaises(UserError):
            wizard.add_comment()
        self.assertEqual(request.state, "to_approve")

    def test_approval_applies_the_difference_counted(self):
        # 20 missing when counted; 30 received while the request waited: the
        # 20 are written off, not the 30 received.
        self._count(480)
        request = self._request()
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.location, 30
        )
        self._review(request, self.approver, "ok")
        self.assertEqual(request.state, "applied")
        self.assertEqual(self._on_hand(), 510)

    def test_stock_managers_do_not_set_their_own_thresholds(self):
        with self.assertRaisesRegex(AccessError, "administrator sets"):
            self.warehouse.with_user(self.counter).write(
                {"logistics_approval_threshold": 1e9}
            )
        self.assertEqual(self.warehouse.logistics_approval_threshold, 100)

    def test_a_count_nobody_else_could_approve_is_refused(self):
        # Only the counter manages stock in this company's eyes: archive the
        # other stock managers' access by removing them from the group.
        group = self.env.ref("stock.group_stock_manager")
        others = group.users - self.counter
        group.users = [Command.unlink(user.id) for user in others]
        with self.assertRaises(UserError) as refusal:  # rolls back, as a user's call
            self._count(480)
        self.assertIn("Too few people besides you", str(refusal.exception))
        self.assertEqual(self._on_hand(), 500)
        self.assertFalse(self._request())

    def test_only_the_next_approver_rejects(self):
        self._count(480)
        request = self._request()
        with self.assertRaisesRegex(UserError, "only its next approver"):
            request.with_user(self.counter).reject_tier()
        with self.assertRaises(AccessError):
            request.with_user(self.stock_user).reject_tier()
        self.assertEqual(request.state, "to_approve")

    def test_update_quantity_of_the_product_asks_its_reason(self):
        Wizard = self.env["stock.change.product.qty"].with_user(self.counter)
        vals = {
            "product_id": self.product.id,
            "product_tmpl_id": self.product.product_tmpl_id.id,
            "new_quantity": 495,
        }
        with self.assertRaisesRegex(UserError, "Give an adjustment reason"):
            Wizard.create(vals).change_product_qty()
        self.assertEqual(self._on_hand(), 500)
        Wizard.create(
            dict(vals, logistics_reason_id=self.reason.id)
        ).change_product_qty()
        self.assertEqual(self._on_hand(), 495)
        self.assertIn(self.reason.display_name, self._inventory_moves().name)
        # Worth more than the threshold: waits, and says so.
        action = Wizard.create(
            dict(vals, new_quantity=400, logistics_reason_id=self.reason.id)
        ).change_product_qty()
        self.assertEqual(action["params"]["title"], "Waiting for approval")
        self.assertEqual(self._on_hand(), 495)
        self.assertEqual(self._request().state, "to_approve")

    def test_reason_of_another_category_is_refused(self):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.location.id),
            ]
        )
        other = self.env.ref("logistics_exception.category_supplier_delay")
        reason = self.env["logistics.exception.reason"].search(
            [("category_id", "=", other.id)], limit=1
        )
        with self.assertRaisesRegex(ValidationError, "not a reason for inventory"):
            quant.with_user(self.counter).write({"logistics_reason_id": reason.id})
