import base64

from odoo.exceptions import UserError, ValidationError

from .common import LogisticsExceptionCommon


class TestResolution(LogisticsExceptionCommon):
    def test_resolve_without_root_cause_is_refused(self):
        self.assertTrue(self.category_shortage.requires_root_cause)
        exception = self._create_exception(
            category_id=self.category_shortage.id, user_id=self.user.id
        )
        exception.with_user(self.user).action_start()
        with self.assertRaisesRegex(UserError, "requires a root cause"):
            exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "in_progress")
        self.assertFalse(exception.date_resolved)

    def test_resolve_with_root_cause_succeeds(self):
        exception = self._create_exception(
            category_id=self.category_shortage.id, user_id=self.user.id
        )
        # Refused while the root cause is missing...
        with self.assertRaisesRegex(UserError, "requires a root cause"):
            exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "assigned")
        # ...resolved once it is set.
        exception.with_user(self.user).write(
            {"root_cause_id": self.root_cause_shortage.id}
        )
        exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "resolved")

    def test_root_cause_given_in_the_same_write_counts(self):
        exception = self._create_exception(
            category_id=self.category_shortage.id, user_id=self.user.id
        )
        with self.assertRaisesRegex(UserError, "requires a root cause"):
            exception.with_user(self.user).write({"state": "resolved"})
        self.assertEqual(exception.state, "assigned")
        exception.with_user(self.user).write(
            {"state": "resolved", "root_cause_id": self.root_cause_shortage.id}
        )
        self.assertEqual(exception.state, "resolved")

    def test_category_without_root_cause_requirement_resolves_directly(self):
        self.assertFalse(self.category_delay.requires_root_cause)
        exception = self._create_exception(user_id=self.user.id)
        exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "resolved")
        # Once the category asks for a root cause, the same is refused.
        self.category_delay.requires_root_cause = True
        other = self._create_exception(user_id=self.user.id)
        with self.assertRaisesRegex(UserError, "requires a root cause"):
            other.with_user(self.user).action_resolve()
        self.assertEqual(other.state, "assigned")

    def test_creating_a_resolved_exception_needs_a_root_cause(self):
        with self.assertRaisesRegex(UserError, "without a root cause"):
            self._create_exception(
                category_id=self.category_shortage.id, state="resolved"
            )

    def test_resolve_without_evidence_is_refused_when_category_asks(self):
        self.assertTrue(self.category_damage.requires_evidence)
        root_cause = self.env["logistics.exception.root.cause"].search(
            [("category_id", "=", self.category_damage.id)], limit=1
        )
        exception = self._create_exception(
            category_id=self.category_damage.id,
            user_id=self.user.id,
            root_cause_id=root_cause.id,
        )
        with self.assertRaisesRegex(UserError, "requires evidence"):
            exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "assigned")
        exception.with_user(self.user).message_post(
            body="Photo of the crushed pallet",
            attachments=[("pallet.jpg", b"not really a jpeg")],
        )
        exception.with_user(self.user).action_resolve()
        self.assertEqual(exception.state, "resolved")
        self.assertTrue(base64.b64decode(exception.message_ids.attachment_ids[0].datas))

    def test_reason_must_belong_to_the_category(self):
        with self.assertRaisesRegex(ValidationError, "belongs to category"):
            self._create_exception(
                category_id=self.category_delay.id,
                reason_id=self.reason_short_pick.id,
            )

    def test_severity_comes_from_reason_then_category(self):
        exception = self._create_exception(category_id=self.category_delay.id)
        self.assertEqual(exception.severity, self.category_delay.default_severity)
        reason = self.env["logistics.exception.reason"].create(
            {
                "name": "Vendor plant fire",
                "code": "TEST_VENDOR_FIRE",
                "category_id": self.category_delay.id,
                "severity": "critical",
            }
        )
        exception.reason_id = reason
        self.assertEqual(exception.severity, "critical")

    def test_parent_cannot_be_its_own_consequence(self):
        root = self._create_exception(summary="Short receipt PO00012")
        symptom = self._create_exception(summary="Late delivery", parent_id=root.id)
        self.assertEqual(root.child_ids, symptom)
        self.assertEqual(root.child_count, 1)
        with self.assertRaises(ValidationError):
            root.parent_id = symptom

    def test_creating_a_resolved_exception_needing_evidence_is_refused(self):
        root_cause = self.env["logistics.exception.root.cause"].search(
            [("category_id", "=", self.category_damage.id)], limit=1
        )
        with self.assertRaisesRegex(UserError, "needs evidence"):
            self._create_exception(
                category_id=self.category_damage.id,
                root_cause_id=root_cause.id,
                state="resolved",
            )

    def test_shared_category_default_team_is_set_per_company(self):
        self.category_delay.with_company(self.company).team_id = self.team
        other_team = self.env["logistics.exception.team"].create(
            {"name": "North Dock", "company_id": self.other_company.id}
        )
        self.category_delay.with_company(self.other_company).team_id = other_team
        here = self._create_exception(team_id=None)
        there = self._create_exception(team_id=None, company_id=self.other_company.id)
        self.assertEqual(here.team_id, self.team)
        self.assertEqual(there.team_id, other_team)
