from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user

from .common import GROUP_USER, LogisticsExceptionCommon


class TestAccess(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_exception = cls._create_exception(summary="Team queue item")
        cls.own_exception = cls._create_exception(
            summary="Owned by the outsider", team_id=False, user_id=cls.outsider.id
        )
        cls.other_team = cls.env["logistics.exception.team"].create(
            {"name": "Billing", "company_id": cls.company.id}
        )
        cls.other_team_exception = cls._create_exception(
            summary="Billing queue item", team_id=cls.other_team.id
        )
        cls.other_company_team = cls.env["logistics.exception.team"].create(
            {"name": "North Dock", "company_id": cls.other_company.id}
        )
        cls.other_company_exception = cls._create_exception(
            summary="Northern company item",
            company_id=cls.other_company.id,
            team_id=cls.other_company_team.id,
        )
        cls.Exception = cls.env["logistics.exception"]

    def _visible(self, user):
        return self.Exception.with_user(user).search([])

    def test_user_sees_team_and_own_exceptions_only(self):
        visible = self._visible(self.user)
        self.assertIn(self.team_exception, visible)
        self.assertNotIn(self.own_exception, visible)
        self.assertNotIn(self.other_team_exception, visible)
        self.assertNotIn(self.other_company_exception, visible)
        outsider_visible = self._visible(self.outsider)
        self.assertIn(self.own_exception, outsider_visible)
        self.assertNotIn(self.team_exception, outsider_visible)
        with self.assertRaises(AccessError):
            self.other_team_exception.with_user(self.user).read(["summary"])

    def test_user_sees_what_they_reported(self):
        reported = self.Exception.with_user(self.outsider).create(
            {
                "summary": "Forklift blocked aisle 4",
                "category_id": self.category_delay.id,
                "team_id": self.other_team.id,
            }
        )
        self.assertIn(reported, self._visible(self.outsider))
        reported.with_user(self.outsider).action_cancel()
        self.assertEqual(reported.state, "cancelled")

    def test_user_cannot_work_another_teams_exception(self):
        with self.assertRaises(AccessError):
            self.other_team_exception.with_user(self.user).action_start()
        self.assertEqual(self.other_team_exception.state, "new")

    def test_manager_sees_all_exceptions_of_their_companies(self):
        visible = self._visible(self.manager)
        self.assertIn(self.team_exception, visible)
        self.assertIn(self.own_exception, visible)
        self.assertIn(self.other_team_exception, visible)
        self.assertNotIn(self.other_company_exception, visible)

    def test_multi_company_rule_follows_allowed_companies(self):
        self.manager.company_ids = [Command.link(self.other_company.id)]
        manager_env = self.Exception.with_user(self.manager).with_context(
            allowed_company_ids=[self.company.id, self.other_company.id]
        )
        self.assertIn(self.other_company_exception, manager_env.search([]))
        only_main = self.Exception.with_user(self.manager).with_context(
            allowed_company_ids=[self.company.id]
        )
        self.assertNotIn(self.other_company_exception, only_main.search([]))

    def test_user_of_the_second_company_works_there_only(self):
        northern = new_test_user(
            self.env,
            login="lex_test_northern",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        self.other_company_team.member_ids = northern
        Exception_ = self.Exception.with_user(northern).with_context(
            allowed_company_ids=self.other_company.ids
        )
        self.assertEqual(Exception_.search([]), self.other_company_exception)
        reported = Exception_.create(
            {"summary": "Dock door jammed", "category_id": self.category_delay.id}
        )
        self.assertEqual(reported.company_id, self.other_company)
        with self.assertRaises(AccessError):
            self.team_exception.with_user(northern).read(["summary"])

    def test_nobody_outside_the_groups_sees_anything(self):
        for model in (
            "logistics.exception",
            "logistics.exception.category",
            "logistics.exception.reason",
            "logistics.exception.root.cause",
            "logistics.exception.team",
            "logistics.exception.sla.policy",
            "logistics.exception.tag",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.stock_only_user).search([])
        # A portal user sees the exceptions of their own company only (see
        # test_portal): none here, and nothing of the configuration.
        portal = new_test_user(
            self.env, login="lex_test_portal", groups="base.group_portal"
        )
        self.assertFalse(self.Exception.with_user(portal).search([]))
        with self.assertRaises(AccessError):
            self.env["logistics.exception.category"].with_user(portal).search([])

    def test_only_admins_configure(self):
        category_vals = {"name": "Cross-dock Miss", "code": "TEST_XDOCK"}
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["logistics.exception.category"].with_user(user).create(
                    category_vals
                )
        with self.assertRaises(AccessError):
            self.env["logistics.exception.sla.policy"].with_user(self.manager).create(
                {"name": "Mine", "resolution_hours": 2}
            )
        category = (
            self.env["logistics.exception.category"]
            .with_user(self.admin)
            .create(category_vals)
        )
        self.assertEqual(category.code, "TEST_XDOCK")

    def test_manager_reassigns_but_user_cannot_change_team_config(self):
        self.team_exception.with_user(self.manager).write(
            {"user_id": self.colleague.id}
        )
        self.assertEqual(self.team_exception.user_id, self.colleague)
        with self.assertRaises(AccessError):
            self.team.with_user(self.user).write({"name": "Renamed"})
        self.team.with_user(self.manager).write({"leader_id": self.manager.id})

    def test_implied_groups_chain(self):
        user_group = self.env.ref(GROUP_USER)
        self.assertIn(user_group, self.admin.groups_id)
        self.assertIn(user_group, self.manager.groups_id)

    def test_stock_user_without_group_can_open_a_picking(self):
        picking_type = self.env.ref("stock.picking_type_out")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        picking.invalidate_recordset()
        # The exception counters are restricted to the suite's users.
        self.assertTrue(picking.with_user(self.stock_only_user).read(["name"]))
        with self.assertRaises(AccessError):
            picking.with_user(self.stock_only_user).read(["logistics_exception_count"])

    def test_detection_rules_of_another_company_are_invisible(self):
        rule = self.env.ref("logistics_exception.rule_scrap").copy(
            {
                "name": "Northern scraps",
                "company_ids": [Command.set(self.other_company.ids)],
            }
        )
        visible = self.env["logistics.exception.rule"].with_user(self.user).search([])
        self.assertIn(self.env.ref("logistics_exception.rule_scrap"), visible)
        self.assertNotIn(rule, visible)

    def test_duplicate_codes_are_refused_per_company(self):
        with self.assertRaises(ValidationError):
            self.env["logistics.exception.category"].create(
                {"name": "Another shortage", "code": "STOCK_SHORTAGE"}
            )
        other = self.env["logistics.exception.category"].create(
            {
                "name": "Northern shortage",
                "code": "STOCK_SHORTAGE",
                "company_id": self.other_company.id,
            }
        )
        self.assertTrue(other)
