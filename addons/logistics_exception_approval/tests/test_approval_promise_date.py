# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import ReviewCase

SALESMAN = "base.group_user,sales_team.group_sale_salesman"
TEAM_LEADER = "base.group_user,sales_team.group_sale_salesman_all_leads"
SALES_ADMIN = "base.group_user,sales_team.group_sale_manager"
CUSTOMER_UPDATE = "logistics_exception.mt_exception_customer_update"


class PromiseDateCommon(ReviewCase, TransactionCase):
    """A strategic and a standard customer of Sally (salesperson), whose team
    Lena leads; Omar is another sales manager."""

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
        cls.salesperson = new_test_user(
            cls.env,
            login="lexp_sales",
            name="Sally Sales",
            groups=SALESMAN,
            company_id=cls.company.id,
        )
        cls.colleague = new_test_user(
            cls.env,
            login="lexp_colleague",
            name="Colin Colleague",
            groups=SALESMAN,
            company_id=cls.company.id,
        )
        cls.leader = new_test_user(
            cls.env,
            login="lexp_leader",
            name="Lena Leader",
            groups=TEAM_LEADER,
            company_id=cls.company.id,
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="lexp_other_manager",
            name="Omar Other",
            groups=SALES_ADMIN,
            company_id=cls.company.id,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Key Accounts",
                "user_id": cls.leader.id,
                "company_id": cls.company.id,
                "crm_team_member_ids": [
                    Command.create({"user_id": cls.salesperson.id}),
                    Command.create({"user_id": cls.colleague.id}),
                ],
            }
        )
        cls.strategic = cls.env["res.partner"].create(
            {
                "name": "Globex Strategic",
                "is_company": True,
                "email": "orders@globex.example.com",
                "logistics_service_tier": "strategic",
                "user_id": cls.salesperson.id,
            }
        )
        cls.strategic_contact = cls.env["res.partner"].create(
            {"name": "Gina Globex", "parent_id": cls.strategic.id}
        )
        cls.standard = cls.env["res.partner"].create(
            {
                "name": "Initech Standard",
                "is_company": True,
                "logistics_service_tier": "standard",
                "user_id": cls.salesperson.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Promised Pallet", "type": "consu", "list_price": 250.0}
        )
        cls.category = cls.env.ref("logistics_exception.category_customer_change")
        cls.category.customer_notify = True
        cls.company.logistics_exception_customer_notify_hours = 0
        cls.promised = fields.Datetime.now().replace(microsecond=0) + timedelta(days=10)
        cls.later = cls.promised + timedelta(days=7)

    def _order(self, partner=None, user=None):
        order = (
            self.env["sale.order"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "partner_id": (partner or self.strategic_contact).id,
                    "user_id": (user or self.salesperson).id,
                    "team_id": self.team.id,
                    "commitment_date": self.promised,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 4}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def _change(
        self, order, new_date, reason="The customer's dock is closed", user=None
    ):
        """Change the promise date as ``user`` with the order's wizard."""
        action = order.with_user(
            user or self.salesperson
        ).action_logistics_change_promise_date()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user or self.salesperson)
            .with_context(**action["context"])
        )
        form.commitment_date = new_date
        form.reason = reason
        return form.save().action_apply()

    def _requests(self, order):
        return (
            self.env["logistics.approval.request"]
            .sudo()
            .search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        )

    def _change_exceptions(self, order):
        return self.env["logistics.exception"].search(
            [("sale_id", "=", order.id), ("category_id", "=", self.category.id)]
        )

    def _customer_updates(self, exception):
        subtype = self.env.ref(CUSTOMER_UPDATE)
        return exception.message_ids.filtered(lambda m: m.subtype_id == subtype)


class TestApprovalPromiseDate(PromiseDateCommon):
    def test_later_date_for_strategic_customer_waits_for_the_manager(self):
        order = self._order()
        self._change(order, self.later)
        request = self._requests(order)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.approval_type, "promise_date")
        self.assertEqual(request.approver_id, self.leader)
        self.assertEqual(request.reviewer_ids, self.leader)
        self.assertEqual(request.requested_by_id, self.salesperson)
        self.assertEqual(request.partner_id, self.strategic)
        self.assertEqual(request.amount, order.amount_untaxed)
        self.assertIn("→", request.description)
        self.assertEqual(request.reason, "The customer's dock is closed")
        # The date has not moved; the exception of the change is open.
        self.assertEqual(order.commitment_date, self.promised)
        exception = self._change_exceptions(order)
        self.assertEqual(len(exception), 1)
        self.assertEqual(request.exception_id, exception)
        self.assertFalse(exception.promised_date)
        # The manager has a to-do; the order shows the waiting request.
        self.assertIn(self.leader, request.activity_ids.user_id)
        self.assertEqual(order.logistics_promise_request_id, request)
        self.assertIn(request.name, order.logistics_promise_request_info)
        # A sales administrator who does not review it sees that it waits.
        form = Form(order.with_user(self.other_manager))
        self.assertIn(request.name, form.logistics_promise_request_info)
        with self.assertRaises(AccessError):
            order.with_user(self.other_manager).action_logistics_view_promise_request()
        action = order.with_user(self.leader).action_logistics_view_promise_request()
        self.assertEqual(action["res_id"], request.id)
        # The requester reads their own request; a colleague does not.
        own = request.with_user(self.salesperson)
        self.assertEqual(own.read(["state"])[0]["state"], "to_approve")
        # Requester and approver open the request's form (they are no
        # logistics users: the exception shows by its name).
        for user in (self.salesperson, self.leader):
            form = Form(request.with_user(user))
            self.assertEqual(form.exception_id, exception)
        with self.assertRaises(AccessError):
            request.with_user(self.colleague).read(["state"])
        # Request noted in the chatter of the order and of the exception.
        for thread in (order, exception):
            self.assertTrue(
                any(request.name in m.body for m in thread.message_ids),
                thread,
            )

    def test_manager_approves_and_the_date_moves_once(self):
        order = self._order()
        self._change(order, self.later)
        request = self._requests(order)
        exception = request.exception_id
        updates = len(self._customer_updates(exception))
        # Another sales manager is not the account owner's manager.
        with self.assertRaises(UserError):
            request.with_user(self.other_manager).validate_tier()
        self._review(request, self.leader, "Agreed with the customer")
        self.assertEqual(request.state, "applied")
        self.assertTrue(request.applied_date)
        self.assertEqual(order.commitment_date, self.later)
        self.assertEqual(exception.promised_date, self.later)
        self.assertFalse(order.logistics_promise_request_id)
        # The customer is told of the new date (the category notifies).
        self.assertEqual(len(self._customer_updates(exception)), updates + 1)
        for thread in (order, exception):
            bodies = " ".join(thread.message_ids.mapped("body"))
            self.assertIn(f"{request.name} requested by", bodies)
            self.assertIn(f"{request.name} approved and applied", bodies)
        # Applied once: a repeated application changes nothing.
        request._logistics_apply()
        self.assertEqual(order.commitment_date, self.later)
        self.assertEqual(len(self._customer_updates(exception)), updates + 1)

    def test_new_quotation_form_is_not_hindered(self):
        form = Form(self.env["sale.order"].with_user(self.salesperson))
        form.partner_id = self.strategic_contact
        form.commitment_date = self.later
        with form.order_line.new() as line:
            line.product_id = self.product
        order = form.save()
        self.assertFalse(form.logistics_promise_request_info)
        order.action_confirm()
        self.assertEqual(order.commitment_date, self.later)

    def test_standard_customer_change_applies_at_once(self):
        order = self._order(partner=self.standard)
        self._change(order, self.later)
        self.assertEqual(order.commitment_date, self.later)
        self.assertFalse(self._requests(order))
        # The core's detection records the customer change.
        self.assertEqual(len(self._change_exceptions(order)), 1)
        self.assertIn("The customer's dock is closed", order.message_ids[0].body)

    def test_earlier_date_applies_at_once(self):
        order = self._order()
        earlier = self.promised - timedelta(days=2)
        self._change(order, earlier)
        self.assertEqual(order.commitment_date, earlier)
        self.assertFalse(self._requests(order))
        # A direct write of an earlier date is no approval matter either.
        order.with_user(self.salesperson).commitment_date = earlier - timedelta(days=1)
        self.assertEqual(order.commitment_date, earlier - timedelta(days=1))

    def test_self_approval_is_refused(self):
        order = self._order()
        self._change(order, self.later)
        request = self._requests(order)
        with self.assertRaises(UserError):
            request.with_user(self.salesperson).validate_tier()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(order.commitment_date, self.promised)

    def test_manager_asking_goes_to_the_sales_administrators(self):
        """The leader's own order: nobody to name, a sales administrator
        (never the leader) reviews."""
        order = self._order(user=self.leader)
        self._change(order, self.later, user=self.leader)
        request = self._requests(order)
        self.assertFalse(request.approver_id)
        self.assertIn(self.other_manager, request.reviewer_ids)
        self.assertNotIn(self.leader, request.reviewer_ids)
        with self.assertRaises(UserError):
            request.with_user(self.leader).validate_tier()
        self._review(request, self.other_manager, "Fine")
        self.assertEqual(order.commitment_date, self.later)

    def test_rejection_changes_nothing(self):
        order = self._order()
        self._change(order, self.later)
        request = self._requests(order)
        exception = request.exception_id
        updates = len(self._customer_updates(exception))
        self._review(request, self.leader, "Trucks are booked", reject=True)
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.reject_reason, "Trucks are booked")
        self.assertEqual(order.commitment_date, self.promised)
        self.assertFalse(exception.promised_date)
        self.assertEqual(len(self._customer_updates(exception)), updates)
        for thread in (order, exception):
            self.assertIn("Trucks are booked", thread.message_ids[0].body)
        # A new request may be asked once the first one is decided.
        self._change(order, self.later, reason="Asked again with a new booking")
        self.assertEqual(len(self._requests(order)), 2)

    def test_direct_write_of_a_later_date_is_refused(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).write({"commitment_date": self.later})
        # A context sent by a client cannot forge the approval.
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).with_context(
                logistics_exception_approval_applying=True
            ).write({"commitment_date": self.later})
        # Nor does the form let it through.
        with (
            self.assertRaises(UserError),
            Form(order.with_user(self.salesperson)) as form,
        ):
            form.commitment_date = self.later
        self.assertEqual(order.commitment_date, self.promised)
        self.assertFalse(self._change_exceptions(order))

    def test_a_line_that_moves_the_expected_date_later_is_refused(self):
        # No commitment date: the promise is the expected date. A longer lead
        # time on the order's line would move it later without approval.
        order = self._order()
        order.commitment_date = False  # as superuser: a data fix
        line = order.order_line
        expected = order.expected_date
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.salesperson).write(
                {"order_line": [Command.update(line.id, {"customer_lead": 30})]}
            )
        self.assertIn("moves the promise", str(refusal.exception))
        self.assertEqual(line.customer_lead, 0)
        self.assertEqual(order.expected_date, expected)
        # A line that keeps the promise goes ahead.
        order.with_user(self.salesperson).write(
            {"order_line": [Command.create({"product_id": self.product.id})]}
        )
        self.assertEqual(len(order.order_line), 2)

    def test_second_request_while_one_waits_is_refused(self):
        order = self._order()
        self._change(order, self.later)
        with self.assertRaises(UserError):
            self._change(order, self.later + timedelta(days=1), user=self.colleague)
        # Nor does an earlier date go through meanwhile (approval would undo it).
        with self.assertRaises(UserError):
            self._change(order, self.promised - timedelta(days=1))
        self.assertEqual(order.commitment_date, self.promised)
        self.assertEqual(len(self._requests(order)), 1)

    def test_reason_is_required(self):
        order = self._order()
        action = order.with_user(
            self.salesperson
        ).action_logistics_change_promise_date()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.salesperson)
            .with_context(**action["context"])
            .create({"commitment_date": self.later, "reason": "   "})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertFalse(self._requests(order))

    def test_other_company_users_do_not_see_the_request(self):
        other_company = self.env["res.company"].create({"name": "Other Logistics"})
        outsider = new_test_user(
            self.env,
            login="lexp_outsider",
            name="Otto Outsider",
            groups=SALES_ADMIN
            + ",logistics_exception.logistics_exception_group_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        order = self._order()
        self._change(order, self.later)
        request = self._requests(order)
        self.assertFalse(
            self.env["logistics.approval.request"]
            .with_user(outsider)
            .search([("id", "=", request.id)])
        )
        with self.assertRaises(AccessError):
            request.with_user(outsider).read(["state"])

    def test_nobody_to_approve_is_refused(self):
        """No team leader and no other sales administrator in the order's
        company: the change is refused, nothing is asked."""
        company = self.env["res.company"].create({"name": "Lonely Logistics"})
        self.env["res.users"].with_context(active_test=False).search(
            [("company_ids", "in", company.ids)]
        ).write({"company_ids": [Command.unlink(company.id)]})
        seller = new_test_user(
            self.env,
            login="lexp_lonely",
            name="Lone Seller",
            groups=SALESMAN,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Lonely Strategic",
                "is_company": True,
                "logistics_service_tier": "strategic",
                "company_id": company.id,
            }
        )
        order = (
            self.env["sale.order"]
            .with_company(company)
            .with_user(seller)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "team_id": False,
                    "commitment_date": self.promised,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "Nobody can approve"):
            self._change(order, self.later, user=seller)
        self.assertEqual(order.commitment_date, self.promised)
        self.assertFalse(self._requests(order))


@tagged("post_install", "-at_install")
class TestApprovalPromiseDateTour(HttpCase, PromiseDateCommon):
    """The salesperson asks for a later date from the order's form."""

    def test_salesperson_asks_for_a_later_date_tour(self):
        self.salesperson.password = "lexp_sales"
        order = self._order()
        self.start_tour(
            f"/web#id={order.id}&model=sale.order&view_type=form",
            "logistics_promise_date_tour",
            login="lexp_sales",
        )
        request = self._requests(order)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.approver_id, self.leader)
        self.assertEqual(request.payload["commitment_date"][:10], "2099-01-15")
        self.assertEqual(order.commitment_date, self.promised)

    def test_manager_approves_from_sales_tour(self):
        self.leader.password = "lexp_leader"
        order = self._order()
        self._change(order, self.later)
        request = self._requests(order)
        # The Sales app's menu needs sale_management: start from the action.
        self.start_tour(
            "/web#action=logistics_exception_approval."
            "logistics_approval_request_action_promise_date",
            "logistics_promise_date_approve_tour",
            login="lexp_leader",
        )
        self.assertEqual(request.state, "applied")
        self.assertEqual(order.commitment_date, self.later)
