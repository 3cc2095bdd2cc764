"""A customer's fresh database, without demo data: what the suite ships makes
a detected exception land in a queue with both SLA deadlines, what clears by
itself is confirmed by somebody, a breach climbs the shipped escalation ladder
up to a manager, a second company gets its own queues and ladder, the handheld
reports, a manager's dashboard, costs and process reviews work, a delivery
is charged, proven and invoiced, a customer's helpdesk ticket becomes an
exception the customer is told of and follows on the portal, and the shipped
approval tiers hold a valuable count and a strategic customer's later date.

Not collected with the other tests (they need the demo data): `make test`
runs this file alone against a second database installed without demo data.
"""

import base64

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from scenario_case import ScenarioCase


class TestFreshDatabase(ScenarioCase):
    def test_detected_shortage_lands_in_a_queue_with_deadlines(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "logistics_exception")]
        )
        self.assertFalse(module.demo, "This check runs on a database without demo.")
        self.assertFalse(self.env.ref("logistics_exception.team_warehouse").member_ids)
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        product = self.env["product.product"].create(
            {"name": "Pallet jack", "type": "product"}
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 8
        )
        customer = self.env["res.partner"].create({"name": "First customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 10})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 8, "picked": True})
        picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=[]
        ).button_validate()
        self.assertEqual(picking.state, "done")
        exception = self.env["logistics.exception"].search(
            [("picking_id", "=", picking.id)]
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.category_id.code, "STOCK_SHORTAGE")
        # The shipped queue and SLA ladder.
        self.assertEqual(
            exception.team_id, self.env.ref("logistics_exception.team_warehouse")
        )
        self.assertTrue(exception.sla_policy_id)
        self.assertTrue(exception.sla_response_deadline)
        self.assertLess(exception.sla_response_deadline, exception.sla_deadline)
        # The backorder ships in full: a shortage needs a root cause, so
        # somebody (no owner, no leader: a manager) is asked to confirm.
        backorder = picking.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 2
        )
        backorder.action_assign()
        backorder.move_ids.picked = True
        backorder.button_validate()
        self.assertTrue(exception.is_open)
        user = exception.activity_ids.user_id
        self.assertEqual(len(user), 1)
        self.assertTrue(user.active)
        self.assertTrue(
            user.has_group("logistics_exception.logistics_exception_group_manager")
        )

    def test_a_breached_exception_climbs_the_shipped_ladder_once(self):
        # No queue member, no leader: the ladder still reaches a manager.
        category = self.env.ref("logistics_exception.category_stock_shortage")
        with freeze_time("2026-03-02 08:00:00"):  # a Monday
            exception = self.env["logistics.exception"].create(
                {"summary": "Short pick on the first day", "category_id": category.id}
            )
        policy = exception.sla_policy_id
        self.assertEqual(len(policy.escalation_ids), 4, "the shipped ladder")
        Exception_ = self.env["logistics.exception"]
        with freeze_time("2026-03-20 08:00:00"):  # long overdue
            Exception_._cron_sla()
            Exception_._cron_sla()
        self.assertEqual(exception.escalation_level, 4)
        self.assertEqual(exception.sla_status, "breached")
        notes = exception.message_ids.filtered(
            lambda m: "SLA escalation" in (m.body or "")
        )
        self.assertEqual(len(notes), 1, "one note listing the four levels")
        self.assertEqual(notes.body.count("SLA escalation"), 4)
        # Nobody in the queue: a manager of the company was asked to act.
        self.assertTrue(exception.activity_ids.user_id)
        self.assertTrue(
            exception.user_id.has_group(
                "logistics_exception.logistics_exception_group_manager"
            )
        )

    def test_a_second_company_has_its_own_queues_and_ladder(self):
        company = self.env["res.company"].create({"name": "Second warehouse company"})
        teams = self.env["logistics.exception.team"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(len(teams), 5)
        policies = self.env["logistics.exception.sla.policy"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(len(policies), 7)

    def test_a_dock_hand_reports_from_the_scanner(self):
        """The handheld works on a fresh database: the shipped reason codes
        and their barcodes, the documents they fit, a report routed to the
        shipped queue."""
        user = self.env["res.users"].create(
            {
                "name": "First dock hand",
                "login": "first_dock_hand",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("stock.group_stock_user").id,
                            self.env.ref(
                                "logistics_exception.logistics_exception_group_user"
                            ).id,
                        ]
                    )
                ],
            }
        )
        scanner = self.env["logistics.exception.scanner"].with_user(user)
        session = scanner.load_session()
        self.assertTrue(session["can_report"])
        self.assertGreater(len(session["reasons"]), 20)
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        product = self.env["product.product"].create(
            {"name": "Stretch film", "type": "product", "barcode": "FRESH-FILM"}
        )
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 20,
                            "product_uom": product.uom_id.id,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        document = scanner.scan_document(receipt.name)
        self.assertEqual(document["kind"], "receipt")
        codes = {reason["code"] for reason in document["reasons"]}
        self.assertIn("SHORT_RECEIPT", codes)
        self.assertNotIn("SHORT_PICK", codes)
        reason = scanner.scan_reason("LXR-SHORT-RECEIPT", "stock.picking", receipt.id)
        result = scanner.submit_report(
            {
                "device_uuid": "fresh-db-0001",
                "model": "stock.picking",
                "res_id": receipt.id,
                "product_id": scanner.scan_product(
                    "stock.picking", receipt.id, "FRESH-FILM"
                )["product_id"],
                "reason_id": reason["id"],
                "quantity": 4,
                "photos": [
                    {
                        "name": "short.jpg",
                        "mimetype": "image/jpeg",
                        "data": base64.b64encode(b"\xff\xd8\xff\xe0 pallet").decode(),
                    }
                ],
            }
        )
        exception = self.env["logistics.exception"].browse(result["id"])
        self.assertEqual(exception.detected_by, "scanner")
        self.assertEqual(
            exception.team_id, self.env.ref("logistics_exception.team_warehouse")
        )
        self.assertTrue(exception.sla_deadline)

    def test_a_manager_counts_costs_reviews_and_figures(self):
        """The dashboards module on a fresh database: the shipped cost types,
        the shipped process-review category, and a new manager's dashboard."""
        manager = self.env["res.users"].create(
            {
                "name": "First operations manager",
                "login": "first_ops_manager",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("stock.group_stock_user").id,
                            self.env.ref(
                                "logistics_exception.logistics_exception_group_manager"
                            ).id,
                        ]
                    )
                ],
            }
        )
        product = self.env["product.product"].create(
            {"name": "Glass panel", "type": "product"}
        )
        category = self.env.ref("logistics_exception.category_supplier_delay")
        Exception = self.env["logistics.exception"].with_user(manager)
        exceptions = Exception.create(
            [
                {
                    "summary": f"Glass panels late, delivery {index}",
                    "category_id": category.id,
                    "product_id": product.id,
                }
                for index in range(4)
            ]
        )
        penalty = self.env.ref("logistics_exception_dashboard.cost_type_penalty")
        self.env["logistics.exception.cost"].with_user(manager).create(
            {
                "exception_id": exceptions[0].id,
                "cost_type_id": penalty.id,
                "amount": 250,
            }
        )
        self.assertEqual(exceptions[0].financial_impact, 250)
        # Four of a category on one product: the shipped review opens one
        # process review, and a second run opens no other.
        action = category.with_user(manager).action_review_recurring_patterns()
        review = Exception.search(action["domain"])
        self.assertEqual(len(review), 1)
        self.assertEqual(
            review.category_id,
            self.env.ref("logistics_exception_dashboard.category_process_review"),
        )
        self.assertEqual(review.child_ids, exceptions)
        category.with_user(manager).action_review_recurring_patterns()
        self.assertEqual(Exception.search_count(action["domain"]), 1)
        self.assertEqual(
            Exception.search_count(
                [("category_id", "=", review.category_id.id), ("is_open", "=", True)]
            ),
            1,
        )
        data = self.env["logistics.exception.dashboard"].with_user(manager)
        figures = data.get_dashboard_data({})
        self.assertEqual(figures["tiles"]["open"]["value"], 5)
        self.assertEqual(figures["tiles"]["cost_month"]["value"], 250)

    @freeze_time("2026-03-03 09:00:00")
    def test_a_delivery_is_charged_proven_and_invoiced(self):
        """Dispatch to cash on a fresh database: the shipped accessorial types
        and their service products, the job sequence and the invoice gate,
        with a rate card a dispatch manager writes and the people of each
        role."""

        def user(login, *groups):
            return self.env["res.users"].create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "email": f"{login}@example.com",
                    "groups_id": [
                        Command.set(
                            [self.env.ref("base.group_user").id]
                            + [self.env.ref(group).id for group in groups]
                        )
                    ],
                }
            )

        prefix = "logistics_dispatch_billing."
        manager = user("first_dispatch_manager", prefix + "group_dispatch_manager")
        dispatcher = user("first_dispatcher", prefix + "group_dispatch_user")
        driver = user("first_driver", prefix + "group_dispatch_driver")
        clerk = user("first_billing_clerk", "account.group_account_invoice")
        wait = self.env.ref(prefix + "accessorial_type_wait")
        self.env["logistics.rate.card"].with_user(manager).create(
            {
                "name": "Our rates",
                "free_waiting_minutes": 30,
                "waiting_increment": 15,
                "line_ids": [Command.create({"rate_basis": "job", "price_unit": 80})],
                "accessorial_line_ids": [
                    Command.create({"type_id": wait.id, "price_unit": 1.0})
                ],
            }
        )
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "First Trucks"})
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.env["fleet.vehicle.model"]
                .create({"name": "Box", "brand_id": brand.id})
                .id,
                "license_plate": "FIRST-1",
            }
        )
        goods = self.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "consu"}
        )
        transport = self.env["product.product"].create(
            {
                "name": "Pallet delivery",
                "type": "service",
                "dispatch_service": True,
                "invoice_policy": "order",
                "list_price": 80,
            }
        )
        customer = self.env["res.partner"].create({"name": "First Customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": goods.id}),
                    Command.create({"product_id": transport.id}),
                ],
            }
        )
        order.action_confirm()
        job = order.dispatch_job_ids
        self.assertEqual(len(job), 1)
        self.assertTrue(job.name.startswith("JOB/"))
        job.with_user(dispatcher).write(
            {"vehicle_id": vehicle.id, "user_id": driver.id}
        )
        job.with_user(dispatcher).action_plan()
        job.with_user(driver).action_start()
        job.with_user(driver).action_arrive()
        with freeze_time("2026-03-03 10:35:00"):
            job.with_user(driver).write(
                {
                    "pod_receiver_name": "M. Dock",
                    "pod_signature": base64.b64encode(b"signature"),
                }
            )
            job.with_user(driver).action_deliver()
        charge = job.charge_ids
        self.assertEqual((charge.accessorial_type_id, charge.quantity), (wait, 75))
        charge.with_user(clerk).action_approve()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking._action_done()
        wizard = (
            self.env["logistics.dispatch.invoice.ready"]
            .with_user(clerk)
            .create({"partner_id": customer.id})
        )
        invoice = self.env["account.move"].browse(
            wizard.action_create_invoice()["res_id"]
        )
        invoice.with_user(clerk).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(charge.state, "invoiced")
        self.assertEqual(job.invoice_ids, invoice)

    def test_a_customer_reports_by_helpdesk_and_follows_on_the_portal(self):
        """The customer's side on a fresh database: the shipped helpdesk
        mapping raises an exception from a ticket, a category an admin opens
        to customer updates queues the shipped email to the customer, and
        the customer's portal user sees that exception and no other
        customer's."""
        Partner = self.env["res.partner"]
        customer = Partner.create(
            {"name": "Fresh Retail", "is_company": True, "email": "ap@fresh.example"}
        )
        buyer = Partner.create(
            {"name": "Bo Buyer", "email": "bo@fresh.example", "parent_id": customer.id}
        )
        other = Partner.create({"name": "Other Retail", "is_company": True})
        admin = self.env["res.users"].create(
            {
                "name": "First Exception Admin",
                "login": "first_exception_admin",
                "email": "first_exception_admin@example.com",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref(
                                "logistics_exception.logistics_exception_group_admin"
                            ).id,
                        ]
                    )
                ],
            }
        )
        failed = self.env.ref("logistics_exception.category_failed_delivery")
        self.assertFalse(failed.customer_notify, "Customer updates are off by default.")
        self.assertTrue(failed.customer_notify_template_id)
        failed.with_user(admin).customer_notify = True

        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Nothing arrived yesterday",
                "description": "<p>We waited all day for order 42.</p>",
                "partner_id": buyer.id,
                "category_id": self.env.ref(
                    "logistics_exception_helpdesk.helpdesk_category_delivery_complaint"
                ).id,
            }
        )
        exception = ticket.logistics_exception_ids
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.category_id, failed)
        self.assertEqual(exception.customer_id, customer)
        self.assertTrue(exception.customer_impact)
        self.assertTrue(exception.team_id, "A shipped queue takes it.")
        ticket.description = "<p>We waited all day for order 42, still nothing.</p>"
        self.assertEqual(ticket.logistics_exception_ids, exception, "No duplicate.")

        mail = self.env["mail.mail"].search(
            [("model", "=", "logistics.exception"), ("res_id", "=", exception.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "Queued, not sent in the transaction.")
        self.assertEqual(mail.recipient_ids, buyer)
        self.assertNotIn(exception.summary, str(mail.body_html))

        other_exception = self.env["logistics.exception"].create(
            {
                "summary": "Another customer's late truck",
                "category_id": failed.id,
                "partner_id": other.id,
            }
        )
        portal = self.env["res.users"].create(
            {
                "name": "Bo Buyer",
                "login": "first_portal_buyer",
                "partner_id": buyer.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        Exception_ = self.env["logistics.exception"].with_user(portal)
        self.assertEqual(Exception_.search([]), exception)
        self.assertNotIn(other_exception, Exception_.search([]))

    def test_a_valuable_count_waits_for_two_stock_managers(self):
        """The shipped reasons, tier definitions and sequence make inventory
        approvals work: a cheap count applies, a valuable one waits for two
        different stock managers, then moves stock once."""
        managers = "base.group_user,stock.group_stock_user,stock.group_stock_manager"
        counter, first, second = (
            new_test_user(self.env, login=f"fresh_{name}", groups=managers)
            for name in ("counter", "first", "second")
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        warehouse.write(
            {
                "logistics_approval_threshold": 100,
                "logistics_dual_approval_threshold": 1000,
            }
        )
        product = self.env["product.product"].create(
            {"name": "Forklift battery", "type": "product", "standard_price": 50}
        )
        location = warehouse.lot_stock_id
        self.env["stock.quant"]._update_available_quantity(product, location, 100)
        reason = self.env["logistics.exception.reason"].search(
            [("barcode", "=", "LXR-INVENTORY-RECORD-ERROR")]
        )
        self.assertTrue(reason.category_id.inventory_adjustment)
        Quant = self.env["stock.quant"].with_user(counter)

        def count(quantity):
            quant = Quant.with_context(inventory_mode=True).search(
                [("product_id", "=", product.id), ("location_id", "=", location.id)]
            )
            quant.write(
                {"inventory_quantity": quantity, "logistics_reason_id": reason.id}
            )
            quant.action_apply_inventory()

        def approve(request, user):
            action = request.with_user(user).validate_tier()
            self.env["comment.wizard"].with_user(user).with_context(
                **action["context"]
            ).create({"comment": "Checked"}).add_comment()

        def on_hand():
            return product.with_context(location=location.id).qty_available

        count(99)  # 1 x 50: under the threshold
        self.assertEqual(on_hand(), 99)
        count(59)  # 40 x 50 = 2000: above the dual threshold
        request = self.env["logistics.inventory.approval"].search(
            [("line_ids.product_id", "=", product.id)]
        )
        self.assertEqual(len(request.review_ids), 2)
        self.assertTrue(request.exception_id)
        approve(request, first)
        self.assertEqual(on_hand(), 99)
        approve(request, second)
        self.assertEqual(request.state, "applied")
        self.assertEqual(on_hand(), 59)

    def test_a_strategic_customers_later_date_waits_for_approval(self):
        """The shipped promise-date tiers work on a fresh database: a
        standard customer's later date moves at once, a strategic customer's
        waits for the account owner's manager (or a sales administrator) and
        moves once, on approval."""
        seller = new_test_user(
            self.env,
            login="fresh_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        new_test_user(
            self.env,
            login="fresh_sales_admin",
            groups="base.group_user,sales_team.group_sale_manager",
        )
        product = self.env["product.product"].create(
            {"name": "Pallet racking", "type": "consu", "list_price": 900}
        )

        def confirmed_order(tier):
            customer = self.env["res.partner"].create(
                {"name": f"{tier} customer", "logistics_service_tier": tier}
            )
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": seller.id,
                    "commitment_date": "2030-03-02 10:00:00",
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            order.action_confirm()
            return order

        def change(order):
            self.env["logistics.promise.date.change"].with_user(seller).create(
                {
                    "order_id": order.id,
                    "commitment_date": "2030-03-09 10:00:00",
                    "reason": "The customer's dock is closed that week",
                }
            ).action_apply()

        standard = confirmed_order("standard")
        change(standard)
        self.assertEqual(str(standard.commitment_date), "2030-03-09 10:00:00")

        strategic = confirmed_order("strategic")
        change(strategic)
        self.assertEqual(str(strategic.commitment_date), "2030-03-02 10:00:00")
        request = self.env["logistics.approval.request"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", strategic.id)]
        )
        self.assertEqual(request.state, "to_approve")
        self.assertTrue(request.exception_id, "the customer change it belongs to")
        approver = request.reviewer_ids[:1]
        self.assertTrue(approver)
        self.assertNotEqual(approver, seller)
        action = request.with_user(approver).validate_tier()
        self.env["comment.wizard"].with_user(approver).with_context(
            **action["context"]
        ).create({"comment": "Agreed with the customer"}).add_comment()
        self.assertEqual(request.state, "applied")
        self.assertEqual(str(strategic.commitment_date), "2030-03-09 10:00:00")
