from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form

from .common import LogisticsExceptionCommon


class DetectionCommon(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["logistics.exception.rule"]
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.products = cls.env["product.product"].create(
            [
                {"name": f"Detergent pallet {index}", "type": "product"}
                for index in range(20)
            ]
        )
        cls.product = cls.products[0]
        for product in cls.products:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.stock_location, 1000
            )
        cls.vendor = cls.env["res.partner"].create({"name": "Glassworks Ltd"})
        cls.rule_shortage = cls.env.ref("logistics_exception.rule_picking_shortage")
        cls.rule_receipt = cls.env.ref("logistics_exception.rule_receipt_discrepancy")
        cls.rule_scrap = cls.env.ref("logistics_exception.rule_scrap")
        cls.rule_late_transfer = cls.env.ref("logistics_exception.rule_late_transfer")
        cls.rule_late_receipt = cls.env.ref("logistics_exception.rule_late_receipt")

    def _sale(self, quantity=10, products=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": quantity}
                    )
                    for product in (products or self.product)
                ],
            }
        )
        order.action_confirm()
        return order

    def _purchase(self, quantity=10, price=None, product=None, date_planned=None):
        """A confirmed purchase order of one line."""
        line = {
            "product_id": (product or self.product).id,
            "product_qty": quantity,
            "date_planned": date_planned or datetime.now(),
        }
        if price is not None:
            line["price_unit"] = price
        order = self.env["purchase.order"].create(
            {"partner_id": self.vendor.id, "order_line": [Command.create(line)]}
        )
        order.button_confirm()
        return order

    def _validate(self, picking, quantities=None, backorder=True):
        """Validate as a person would, with the backorder wizard if it shows."""
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(
                move.product_id, move.product_uom_qty
            )
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            wizard = Form(
                self.env[result["res_model"]].with_context(**result["context"])
            ).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    def setUp(self):
        super().setUp()
        # The database may hold exceptions already (demo data): only count
        # those the test raises.
        self.last_exception_id = (
            self.env["logistics.exception"]
            .with_context(active_test=False)
            .search([], order="id desc", limit=1)
            .id
            or 0
        )

    def _exceptions(self, rule, *domain):
        return self.env["logistics.exception"].search(
            [("rule_id", "=", rule.id), ("id", ">", self.last_exception_id), *domain]
        )

    def _shortages_of_delivery(self, delivered, ordered=10):
        """Deliver ``delivered`` of a sales order of ``ordered`` (the rest on a
        backorder); the shortages raised on that delivery."""
        picking = self._sale(ordered).picking_ids
        self._validate(picking, {self.product: delivered})
        return self._exceptions(self.rule_shortage, ("picking_id", "=", picking.id))

    def _discrepancies_of_receipts(self, ordered, *received, rest="kept"):
        """Receive a purchase order of ``ordered`` in one receipt per quantity
        of ``received``, each the backorder of the one before. What the last
        receipt leaves is ``kept`` on a backorder, ``dropped`` (no backorder)
        or its backorder is ``cancelled``. The receipt discrepancies raised on
        the order."""
        order = self._purchase(ordered)
        picking = order.picking_ids
        for index, quantity in enumerate(received):
            last = index == len(received) - 1
            self._validate(
                picking,
                {self.product: quantity},
                backorder=not (last and rest == "dropped"),
            )
            picking = picking.backorder_ids
        if rest == "cancelled":
            picking.action_cancel()
        return self._exceptions(self.rule_receipt, ("purchase_id", "=", order.id))


class TestShortDelivery(DetectionCommon):
    def test_delivery_validated_short_raises_one_exception(self):
        order = self._sale(10)
        picking = order.picking_ids
        self._validate(picking, {self.product: 8})
        exception = self._exceptions(self.rule_shortage)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.detected_by, "rule")
        self.assertEqual(
            exception.source_key,
            f"rule:{self.rule_shortage.id}:stock.picking:{picking.id}",
        )
        self.assertEqual(exception.source_ref, picking)
        self.assertEqual(exception.picking_id, picking)
        self.assertEqual(exception.sale_id, order)
        self.assertEqual(exception.partner_id, self.customer)
        self.assertEqual(exception.warehouse_id, self.warehouse)
        self.assertEqual(exception.product_id, self.product)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 8)
        )
        self.assertEqual(exception.category_id, self.category_shortage)
        self.assertEqual(exception.reason_id, self.reason_short_pick)
        self.assertEqual(exception.severity, self.reason_short_pick.severity or "high")
        self.assertTrue(exception.customer_impact)
        self.assertIn(picking.backorder_ids.name, exception.description)

    def test_running_the_detector_again_never_duplicates(self):
        picking = self._sale(10).picking_ids
        self._validate(picking, {self.product: 8})
        snapshot = {picking.move_ids.id: (10.0, 8.0)}
        Engine = self.env["logistics.exception.engine"]
        Engine._dispatch("picking_done", picking, snapshot=snapshot)
        Engine._dispatch("picking_done", picking, snapshot=snapshot)
        self.assertEqual(len(self._exceptions(self.rule_shortage)), 1)

    def test_short_without_backorder_is_detected_too(self):
        picking = self._sale(10).picking_ids
        self._validate(picking, {self.product: 7}, backorder=False)
        exception = self._exceptions(self.rule_shortage)
        self.assertEqual(len(exception), 1)
        self.assertIn("No backorder", exception.description)

    def test_line_left_unpicked_is_a_shortage(self):
        order = self._sale(10, self.products[:2])
        picking = order.picking_ids
        line_a, line_b = picking.move_ids
        line_a.write({"quantity": 10, "picked": True})
        line_b.picked = False
        result = picking.button_validate()
        wizard = Form(
            self.env[result["res_model"]].with_context(**result["context"])
        ).save()
        wizard.process_cancel_backorder()
        exception = self._exceptions(self.rule_shortage)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.product_id, line_b.product_id)
        self.assertEqual(exception.quantity_actual, 0)

    def test_move_picked_in_part_counts_what_was_picked(self):
        product = self.env["product.product"].create(
            {"name": "Two-shelf tiles", "type": "product"}
        )
        for name in ("Shelf A", "Shelf B"):
            shelf = self.env["stock.location"].create(
                {"name": name, "location_id": self.stock_location.id}
            )
            self.env["stock.quant"]._update_available_quantity(product, shelf, 5)
        picking = self._sale(10, product).picking_ids
        move = picking.move_ids
        self.assertEqual(len(move.move_line_ids), 2)
        move.move_line_ids[0].picked = True
        self.assertTrue(move.picked)
        result = picking.button_validate()
        wizard = Form(
            self.env[result["res_model"]].with_context(**result["context"])
        ).save()
        wizard.process_cancel_backorder()
        exception = self._exceptions(self.rule_shortage)
        self.assertEqual(len(exception), 1)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 5)
        )

    def test_quantities_are_in_the_product_unit(self):
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "scrap_qty": 2,
                "product_uom_id": self.env.ref("uom.product_uom_dozen").id,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()
        exception = self._exceptions(self.rule_scrap)
        self.assertEqual(exception.quantity_expected, 24)
        self.assertEqual(exception.product_uom_id, self.product.uom_id)

    def test_full_delivery_raises_nothing(self):
        self._validate(self._sale(10).picking_ids)
        self.assertFalse(self._exceptions(self.rule_shortage))
        # One unit short is a shortage.
        self.assertEqual(len(self._shortages_of_delivery(9)), 1)

    def test_inactive_rule_raises_nothing(self):
        self.rule_shortage.active = False
        self._validate(self._sale(10).picking_ids, {self.product: 8})
        self.assertFalse(self._exceptions(self.rule_shortage))
        # The same short delivery once the rule is active again is a shortage.
        self.rule_shortage.active = True
        self.assertEqual(len(self._shortages_of_delivery(8)), 1)

    def test_rule_limited_to_another_warehouse_raises_nothing(self):
        other = self.env["stock.warehouse"].create({"name": "Annex", "code": "ANX"})
        self.rule_shortage.warehouse_ids = other
        self._validate(self._sale(10).picking_ids, {self.product: 8})
        self.assertFalse(self._exceptions(self.rule_shortage))
        # Limited to the warehouse of the delivery, it raises the shortage.
        self.rule_shortage.warehouse_ids = self.warehouse
        self.assertEqual(len(self._shortages_of_delivery(8)), 1)

    def test_backorder_shipped_in_full_asks_owner_to_confirm(self):
        # Stock shortages require a root cause: the owner confirms instead.
        picking = self._sale(10).picking_ids
        self._validate(picking, {self.product: 8})
        exception = self._exceptions(self.rule_shortage)
        exception.user_id = self.user
        self._validate(picking.backorder_ids)
        self.assertTrue(exception.is_open)
        activity = exception.activity_ids
        self.assertEqual(activity.user_id, self.user)
        self.assertEqual(activity.summary, "Confirm the resolution")

    def test_a_cleared_detection_without_owner_never_goes_to_nobody(self):
        """Owner, else the team leader, else the escalation contact, else a
        manager of the company confirms what cleared by itself."""
        team = self.env["logistics.exception.team"].create(
            {"name": "Night shift", "escalation_user_id": self.colleague.id}
        )
        for owner, leader, escalation in (
            (self.user, self.colleague, self.colleague),
            (False, self.user, self.colleague),
            (False, False, self.colleague),
            (False, False, False),
        ):
            picking = self._sale(10).picking_ids
            self._validate(picking, {self.product: 8})
            exception = self._exceptions(
                self.rule_shortage, ("picking_id", "=", picking.id)
            )
            exception.write({"team_id": team.id, "user_id": owner and owner.id})
            team.write(
                {
                    "leader_id": leader and leader.id,
                    "escalation_user_id": escalation and escalation.id,
                }
            )
            self._validate(picking.backorder_ids)
            self.assertTrue(exception.is_open)
            user = exception.activity_ids.user_id
            self.assertEqual(len(user), 1)
            if owner or leader or escalation:
                self.assertEqual(user, owner or leader or escalation)
            else:
                self.assertTrue(
                    user.has_group(
                        "logistics_exception.logistics_exception_group_manager"
                    )
                )
                self.assertIn(self.company, user.company_ids)
                self.assertTrue(user.active, "a person, not the system user")

    def test_a_clearing_waits_for_the_required_playbook_steps(self):
        self.category_shortage.write(
            {"requires_root_cause": False, "requires_playbook_done": True}
        )
        picking = self._sale(10).picking_ids
        self._validate(picking, {self.product: 8})
        exception = self._exceptions(self.rule_shortage)
        exception.user_id = self.user
        step = exception.activity_schedule(
            "mail.mail_activity_data_call",
            summary="Call the picker who counted the bin",
            user_id=self.user.id,
        )
        step.sudo().logistics_required = True
        self._validate(picking.backorder_ids)
        # Not resolved behind the step's back: the owner is asked to confirm.
        self.assertTrue(exception.is_open)
        self.assertIn(
            "Confirm the resolution", exception.activity_ids.mapped("summary")
        )

    def test_backorder_shipped_in_full_resolves_when_no_root_cause_needed(self):
        self.category_shortage.requires_root_cause = False
        picking = self._sale(10).picking_ids
        self._validate(picking, {self.product: 8})
        exception = self._exceptions(self.rule_shortage)
        self._validate(picking.backorder_ids)
        self.assertEqual(exception.state, "resolved")
        self.assertIn("delivered in full", exception.message_ids[0].body)

    def test_validation_query_cost_is_bounded_and_flat(self):
        """All detectors on cost at most 5 queries more than detection off,
        whatever the number of lines and of transfers validated together."""
        self.Rule._get_rule_ids("picking_shortage")  # warm the rule cache
        for size in (10, 20):
            with self.subTest(lines=size):
                pickings = {}
                for mode in ("off", "on"):
                    order = self._sale(5, self.products[:size])
                    picking = order.picking_ids
                    for move in picking.move_ids:
                        move.quantity = move.product_uom_qty
                        move.picked = True
                    self.env.flush_all()
                    self.env.invalidate_all()
                    pickings[mode] = picking.with_context(
                        logistics_exception_skip_detection=(mode == "off")
                    )
                before = self.cr.sql_log_count
                pickings["off"].button_validate()
                self.env.flush_all()
                baseline = self.cr.sql_log_count - before
                with self.assertQueryCount(baseline + 5):
                    pickings["on"].button_validate()
                    self.env.flush_all()
                self.assertEqual(pickings["on"].state, "done")


class TestReceiptAndScrap(DetectionCommon):
    def test_over_receipt_raises_receipt_discrepancy(self):
        order = self._purchase(10)
        self._validate(order.picking_ids, {self.product: 12})
        exception = self._exceptions(self.rule_receipt)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.purchase_id, order)
        self.assertEqual(exception.reason_id.code, "OVER_RECEIPT")
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 12)
        )
        self.assertIn("over", exception.summary)

    def test_short_receipt_beyond_tolerance_raises_short_receipt(self):
        order = self._purchase(100)
        self._validate(order.picking_ids, {self.product: 90}, backorder=False)
        exception = self._exceptions(self.rule_receipt)
        self.assertEqual(exception.reason_id.code, "SHORT_RECEIPT")

    def test_partial_receipt_with_backorder_is_not_a_discrepancy(self):
        order = self._purchase(10)
        picking = order.picking_ids
        self._validate(picking, {self.product: 6})
        self.assertFalse(self._exceptions(self.rule_receipt))
        self._validate(picking.backorder_ids)
        self.assertFalse(self._exceptions(self.rule_receipt))
        # The same receipts with the backorder one unit short, and closed.
        short = self._discrepancies_of_receipts(10, 6, 3, rest="dropped")
        self.assertEqual(len(short), 1)
        self.assertEqual(short.reason_id.code, "SHORT_RECEIPT")
        self.assertEqual((short.quantity_expected, short.quantity_actual), (10, 9))

    def test_cancelled_backorder_makes_the_receipt_short(self):
        order = self._purchase(10)
        picking = order.picking_ids
        self._validate(picking, {self.product: 6})
        self.assertFalse(self._exceptions(self.rule_receipt))
        picking.backorder_ids.action_cancel()
        exception = self._exceptions(self.rule_receipt)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.reason_id.code, "SHORT_RECEIPT")
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 6)
        )

    def test_tolerance_counts_all_receipts_of_the_line(self):
        self.rule_receipt.threshold_percent = 10
        order = self._purchase(100)
        picking = order.picking_ids
        self._validate(picking, {self.product: 95})
        picking.backorder_ids.action_cancel()  # the last 5 will not come
        self.assertFalse(self._exceptions(self.rule_receipt))
        # 11 that will not come are beyond the 10% tolerance.
        short = self._discrepancies_of_receipts(100, 89, rest="cancelled")
        self.assertEqual(len(short), 1)
        self.assertEqual(short.reason_id.code, "SHORT_RECEIPT")

    def test_difference_within_tolerance_is_ignored(self):
        order = self._purchase(100)
        self._validate(order.picking_ids, {self.product: 101})
        self.assertFalse(self._exceptions(self.rule_receipt))
        # 3 over is beyond the 2% tolerance.
        over = self._discrepancies_of_receipts(100, 103)
        self.assertEqual(len(over), 1)
        self.assertEqual(over.reason_id.code, "OVER_RECEIPT")

    def test_shortage_after_a_short_receipt_is_its_consequence(self):
        order = self._purchase(100)
        self._validate(order.picking_ids, {self.product: 60}, backorder=False)
        receipt_exception = self._exceptions(self.rule_receipt)
        self.assertEqual(receipt_exception.product_id, self.product)
        picking = self._sale(10).picking_ids
        self._validate(picking, {self.product: 4})
        shortage = self._exceptions(self.rule_shortage)
        self.assertEqual(shortage.parent_id, receipt_exception)
        self.assertEqual(receipt_exception.child_ids, shortage)

    def test_scrap_from_a_transfer_raises_damaged_goods(self):
        picking = self._sale(10).picking_ids
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "scrap_qty": 2,
                "picking_id": picking.id,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()
        exception = self._exceptions(self.rule_scrap)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.source_ref, scrap)
        self.assertEqual(exception.picking_id, picking)
        self.assertEqual(exception.category_id, self.category_damage)
        self.assertEqual(exception.quantity_expected, 2)


class TestCategoryCache(DetectionCommon):
    def test_category_codes_come_from_a_cache_that_follows_changes(self):
        Engine = self.env["logistics.exception.engine"]
        shortage = self.env.ref("logistics_exception.category_stock_shortage")
        self.assertIn(shortage.id, Engine._get_category_ids(("STOCK_SHORTAGE",)))
        with self.assertQueryCount(0):
            Engine._get_category_ids(("STOCK_SHORTAGE",))
        shortage.code = "STOCK_SHORT"
        self.assertNotIn(shortage.id, Engine._get_category_ids(("STOCK_SHORTAGE",)))
        self.assertIn(shortage.id, Engine._get_category_ids(("STOCK_SHORT",)))


class TestUninstalledDetector(DetectionCommon):
    def test_rule_of_an_uninstalled_detector_is_shown_as_such_and_skipped(self):
        receipts = self.env.ref("logistics_exception.rule_receipt_discrepancy")
        self.assertIn(
            self.rule_shortage.id, self.Rule._get_event_rule_ids("picking_done")
        )
        # The module of its detector is gone: the rule keeps the key.
        self.env.cr.execute(
            "UPDATE logistics_exception_rule SET detector = 'gone' WHERE id = %s",
            [self.rule_shortage.id],
        )
        self.rule_shortage.invalidate_recordset()
        self.env.registry.clear_cache()
        selection = dict(self.Rule._selection_detector())
        self.assertEqual(selection["gone"], "gone (not installed)")
        self.assertIn("receipt_discrepancy", selection)
        rule_ids = self.Rule._get_event_rule_ids("picking_done")
        self.assertNotIn(self.rule_shortage.id, rule_ids)
        self.assertIn(receipts.id, rule_ids)


class TestTimeBasedScan(DetectionCommon):
    def test_late_receipt_is_raised_once_and_clears_on_arrival(self):
        # The scan's cost is the core's: the rules other modules add (each
        # detector may read its open exceptions to clear them) are off.
        self.env["ir.model.data"].search(
            [
                ("model", "=", "logistics.exception.rule"),
                ("module", "!=", "logistics_exception"),
            ]
        ).mapped(lambda data: self.Rule.browse(data.res_id)).write({"active": False})
        promised = datetime(2026, 3, 2, 10, 0)
        with freeze_time(promised - timedelta(days=3)):
            order = self._purchase(10, date_planned=promised)
        picking = order.picking_ids
        with freeze_time(promised + timedelta(hours=23)):
            self.Rule._cron_scan()
            self.assertFalse(
                self._exceptions(
                    self.rule_late_receipt, ("picking_id", "=", picking.id)
                )
            )
        with freeze_time(promised + timedelta(hours=25)):
            self.Rule._cron_scan()
            exception = self._exceptions(
                self.rule_late_receipt, ("picking_id", "=", picking.id)
            )
            self.assertEqual(len(exception), 1)
            self.assertEqual(exception.picking_id, picking)
            self.assertEqual(exception.purchase_id, order)
            self.assertEqual(exception.category_id, self.category_delay)
            self.assertEqual(exception.partner_id, self.vendor)
            # Nothing changed: a second run raises nothing and reads little.
            self.env.flush_all()
            with self.assertQueryCount(10):
                self.Rule._cron_scan()
            self.assertEqual(
                len(
                    self._exceptions(
                        self.rule_late_receipt, ("picking_id", "=", picking.id)
                    )
                ),
                1,
            )
        with freeze_time(promised + timedelta(days=2)):
            self._validate(picking)
            self.Rule._cron_scan()
            self.assertEqual(exception.state, "resolved")
            self.assertIn("done now", exception.message_ids[0].body)

    def test_summary_dates_are_in_the_warehouse_or_user_time_zone(self):
        with freeze_time("2026-03-02 08:00:00"):
            pickings = self._sale(1, self.products[:1]).picking_ids
            pickings |= self._sale(1, self.products[:1]).picking_ids
            pickings.scheduled_date = datetime(2026, 3, 2, 9, 30)
        first, second = pickings
        warehouse = first.picking_type_id.warehouse_id
        warehouse.partner_id.tz = "Europe/Brussels"
        self.env.user.tz = "America/New_York"
        with freeze_time("2026-03-02 15:00:00"):
            self.Rule._cron_scan(batch_size=1)
            summary = self._exceptions(
                self.rule_late_transfer, ("picking_id", "=", first.id)
            ).summary
            # 09:30 UTC is 10:30 at the warehouse.
            self.assertIn("10:30", summary)
            self.assertNotIn("09:30", summary)
            # A warehouse without a time zone: the user's (04:30 in New York).
            warehouse.partner_id.tz = False
            self.Rule._cron_scan(batch_size=1)
            summary = self._exceptions(
                self.rule_late_transfer, ("picking_id", "=", second.id)
            ).summary
            self.assertIn("04:30", summary)
            self.assertNotIn("09:30", summary)

    def test_late_delivery_is_raised_after_the_grace_period(self):
        with freeze_time("2026-03-02 08:00:00"):
            picking = self._sale(10).picking_ids
            picking.scheduled_date = datetime(2026, 3, 2, 10, 0)
        mine = ("picking_id", "=", picking.id)
        with freeze_time("2026-03-02 13:00:00"):
            self.Rule._cron_scan()
            self.assertFalse(self._exceptions(self.rule_late_transfer, mine))
        with freeze_time("2026-03-02 15:00:00"):
            self.Rule._cron_scan()
            exception = self._exceptions(self.rule_late_transfer, mine)
            self.assertEqual(len(exception), 1)
            self.assertTrue(exception.customer_impact)

    def test_scan_works_in_batches_and_retriggers_itself(self):
        with freeze_time("2026-03-02 08:00:00"):
            pickings = self._sale(1, self.products[:1]).picking_ids
            for _index in range(2):
                pickings |= self._sale(1, self.products[:1]).picking_ids
            pickings.scheduled_date = datetime(2026, 3, 2, 8, 0)
        cron = self.env.ref("logistics_exception.ir_cron_logistics_exception_scan")
        with freeze_time("2026-03-03 08:00:00"):
            triggers = self.env["ir.cron.trigger"].search_count(
                [("cron_id", "=", cron.id)]
            )
            self.assertTrue(self.Rule._cron_scan(batch_size=2))
            self.assertEqual(
                self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
                triggers + 1,
            )
            self.assertEqual(len(self._exceptions(self.rule_late_transfer)), 2)
            self.assertFalse(self.Rule._cron_scan(batch_size=2))
            self.assertEqual(len(self._exceptions(self.rule_late_transfer)), 3)


class TestTransferMismatch(DetectionCommon):
    def _picked_then_packed(self, packed, backorder=True):
        """10 picked in full, then ``packed`` of them packed (pick, pack, ship);
        returns the pick and the pack transfers."""
        self.warehouse.delivery_steps = "pick_pack_ship"
        order = self._sale(10)
        pick = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pick_type_id
        )
        self._validate(pick)
        pack = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pack_type_id
        )
        self._validate(pack, {self.product: packed}, backorder=backorder)
        return pick, pack

    def test_next_leg_in_two_parts_is_not_a_mismatch(self):
        rule = self.env.ref("logistics_exception.rule_transfer_mismatch")
        _pick, pack = self._picked_then_packed(6)
        self._validate(pack.backorder_ids)
        self.assertFalse(self._exceptions(rule))
        # The second part one unit short, and closed: 9 of the 10 sent.
        _pick, pack = self._picked_then_packed(6)
        backorder = pack.backorder_ids
        self._validate(backorder, {self.product: 3}, backorder=False)
        exception = self._exceptions(rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.picking_id, backorder)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 9)
        )

    def test_cancelled_backorder_of_a_leg_makes_it_a_mismatch(self):
        rule = self.env.ref("logistics_exception.rule_transfer_mismatch")
        _pick, pack = self._picked_then_packed(7)
        self.assertFalse(self._exceptions(rule))
        pack.backorder_ids.action_cancel()
        exception = self._exceptions(rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.picking_id, pack)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 7)
        )

    def test_second_step_receiving_less_than_the_first_sent(self):
        rule = self.env.ref("logistics_exception.rule_transfer_mismatch")
        self.warehouse.delivery_steps = "pick_pack_ship"
        order = self._sale(10)
        pick = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pick_type_id
        )
        self._validate(pick)
        pack = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pack_type_id
        )
        self.assertFalse(self._exceptions(rule))
        self._validate(pack, {self.product: 9}, backorder=False)
        exception = self._exceptions(rule)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.picking_id, pack)
        self.assertEqual(
            (exception.quantity_expected, exception.quantity_actual), (10, 9)
        )
        self.assertIn(pick.name, exception.summary)
        # One event, one exception: the shortage rule leaves it to this one.
        self.assertFalse(self._exceptions(self.rule_shortage))
