# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import InventoryApprovalCommon


class TestApprovalEscalation(InventoryApprovalCommon):
    """Every approval request has a deadline (the company's approval SLA) and
    escalates once past it, like an exception: shown here on inventory
    adjustments, which share the mixin with the other controls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_approval_sla_hours = 24
        cls.escalation_contact = new_test_user(
            cls.env,
            login="lexa_escalation",
            name="Eve Escalation",
            groups="base.group_user,logistics_exception.logistics_exception_group_manager",
            company_id=cls.company.id,
        )

    def _waiting_request(self):
        self._count(480)
        request = self._request()
        self.assertEqual(request.state, "to_approve")
        request.exception_id.team_id.escalation_user_id = self.escalation_contact
        return request

    def _cron(self):
        self.env["logistics.approval.request"]._cron_escalate_overdue()

    def test_deadline_is_the_company_sla(self):
        before = fields.Datetime.now()
        request = self._waiting_request()
        self.assertGreaterEqual(request.approval_deadline, before + timedelta(hours=24))
        self.assertLessEqual(
            request.approval_deadline, fields.Datetime.now() + timedelta(hours=24)
        )
        self.assertFalse(request.is_overdue)

    def test_waiting_past_the_deadline_escalates_once(self):
        request = self._waiting_request()
        exception = request.exception_id
        with freeze_time(fields.Datetime.now() + timedelta(hours=25)):
            self.assertTrue(request.is_overdue)
            self.assertIn(
                request,
                self.env["logistics.inventory.approval"].search(
                    [("is_overdue", "=", True)]
                ),
            )
            self._cron()
            self.assertTrue(request.escalated_date)
            self.assertIn(
                self.escalation_contact,
                exception.activity_ids.user_id,
                "the escalation contact of the exception's team is asked to act",
            )
            for thread in (request, exception):
                self.assertTrue(
                    any(
                        "past its deadline" in (m.body or "")
                        for m in thread.message_ids
                    ),
                    thread,
                )
            notes = len(request.message_ids)
            self._cron()
            self.assertEqual(len(request.message_ids), notes, "escalated only once")

    def test_a_decided_or_young_request_does_not_escalate(self):
        request = self._waiting_request()
        self._cron()
        self.assertFalse(request.escalated_date, "not yet due")
        self._review(request, self.approver, "Counted twice, it is right")
        with freeze_time(fields.Datetime.now() + timedelta(hours=25)):
            self._cron()
        self.assertEqual(request.state, "applied")
        self.assertFalse(request.escalated_date)

    def test_no_sla_means_no_deadline(self):
        self.company.logistics_approval_sla_hours = 0
        request = self._waiting_request()
        self.assertFalse(request.approval_deadline)
        with freeze_time(fields.Datetime.now() + timedelta(days=30)):
            self._cron()
        self.assertFalse(request.escalated_date)

    def test_deadline_and_escalation_cannot_be_written_by_hand(self):
        request = self._waiting_request()
        for vals in (
            {"approval_deadline": fields.Datetime.now() + timedelta(days=99)},
            {"escalated_date": fields.Datetime.now()},
            {"exception_id": False},
        ):
            with self.assertRaises(UserError):
                request.with_user(self.approver).write(vals)
        self.assertTrue(request.exception_id)


class TestReviewsAreGuarded(InventoryApprovalCommon):
    """Base_tier_validation lets every employee write reviews; the reviews of
    the suite's requests change only through Validate and Reject."""

    def test_a_requester_cannot_approve_by_writing_the_review(self):
        self._count(480)
        request = self._request()
        review = request.review_ids.with_user(self.counter)
        for write in (
            lambda: review.write({"status": "approved", "done_by": self.counter.id}),
            lambda: review.unlink(),
            lambda: (
                self.env["tier.review"]
                .with_user(self.counter)
                .create(
                    {
                        "model": request._name,
                        "res_id": request.id,
                        "definition_id": review.definition_id.id,
                        "status": "approved",
                    }
                )
            ),
        ):
            with self.assertRaisesRegex(AccessError, "Validate and Reject"):
                write()
        self.assertEqual(request.review_ids.mapped("status"), ["pending"])
        self.assertEqual(request.state, "to_approve")

    def test_state_cannot_be_written_by_hand(self):
        self._count(480)
        request = self._request().with_user(self.approver)
        with self.assertRaises(UserError):
            request.write({"state": "applied"})
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(self._on_hand(), 500)


class TestWithdraw(InventoryApprovalCommon):
    """Who asked withdraws a waiting request: nothing changes, the approvers'
    reviews and to-dos close, and a new request may be made."""

    def test_the_requester_withdraws_and_may_count_again(self):
        self._count(480)
        request = self._request()
        exception = request.exception_id
        with self.assertRaises(AccessError):
            request.with_user(self.approver).action_withdraw()
        request.with_user(self.counter).action_withdraw()
        self.assertEqual(request.state, "withdrawn")
        self.assertEqual(request.review_ids.mapped("status"), ["rejected"])
        self.assertFalse(request.activity_ids)
        self.assertFalse(request.with_user(self.approver).can_review)
        self.assertEqual(self._on_hand(), 500)
        for thread in (request, exception):
            self.assertTrue(
                any("withdrawn by" in (m.body or "") for m in thread.message_ids),
                thread,
            )
        with self.assertRaises(UserError):
            request.with_user(self.counter).action_withdraw()
        # The same goods may be counted again.
        self._count(480)
        self.assertEqual(self._request().mapped("state"), ["to_approve", "withdrawn"])
        with self.assertRaises(UserError):
            request.with_user(self.approver).validate_tier()
