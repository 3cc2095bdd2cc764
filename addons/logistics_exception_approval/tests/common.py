# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user

STOCK_MANAGER = "base.group_user,stock.group_stock_user,stock.group_stock_manager"


class ReviewCase:
    """How a reviewer decides a request in the suite's tests: the tier
    comment wizard, as in the client."""

    def _review(self, request, user, comment, reject=False):
        """Approve (or reject) as ``user`` through the tier comment wizard."""
        request = request.with_user(user)
        action = request.reject_tier() if reject else request.validate_tier()
        wizard = (
            self.env["comment.wizard"]
            .with_user(user)
            .with_context(**action["context"])
            .create({"comment": comment})
        )
        wizard.add_comment()


class InventoryApprovalCommon(ReviewCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=True,
                no_reset_password=True,
            )
        )
        cls.company = cls.env.ref("base.main_company")
        cls.counter = new_test_user(
            cls.env,
            login="lexa_counter",
            name="Carla Counter",
            groups=STOCK_MANAGER,
            company_id=cls.company.id,
        )
        cls.approver = new_test_user(
            cls.env,
            login="lexa_approver",
            name="Anna Approver",
            groups=STOCK_MANAGER,
            company_id=cls.company.id,
        )
        cls.second_approver = new_test_user(
            cls.env,
            login="lexa_second",
            name="Sam Second",
            groups=STOCK_MANAGER,
            company_id=cls.company.id,
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="lexa_stock_user",
            name="Stan Stock",
            groups="base.group_user,stock.group_stock_user",
            company_id=cls.company.id,
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.write(
            {
                "logistics_approval_threshold": 100.0,
                "logistics_dual_approval_threshold": 1000.0,
            }
        )
        cls.location = cls.warehouse.lot_stock_id
        cls.product = cls.env["product.product"].create(
            {
                "name": "Counted Widget",
                "type": "product",
                "standard_price": 10.0,
            }
        )
        cls.reason = cls.env.ref("logistics_exception.reason_inventory_record_error")
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.location, 500.0
        )

    def _count(self, counted, reason=True, user=None):
        """Count the product as ``user`` (the counter) and apply the count."""
        quant = (
            self.env["stock.quant"]
            .with_user(user or self.counter)
            .with_context(inventory_mode=True)
            .search(
                [
                    ("product_id", "=", self.product.id),
                    ("location_id", "=", self.location.id),
                ]
            )
        )
        quant.inventory_quantity = counted
        if reason:
            quant.logistics_reason_id = self.reason
        quant.action_apply_inventory()
        return quant

    def _on_hand(self):
        return self.product.with_context(location=self.location.id).qty_available

    def _inventory_moves(self):
        return self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("is_inventory", "=", True)]
        )

    def _request(self):
        return self.env["logistics.inventory.approval"].search(
            [("line_ids.product_id", "=", self.product.id)]
        )
