from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .common import GROUP_USER, LogisticsExceptionCommon


class RoutingCommon(LogisticsExceptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["logistics.exception.routing.rule"]
        cls.service_lead = new_test_user(
            cls.env,
            login="lex_test_service_lead",
            name="Sasha Service",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=cls.company.id,
        )
        cls.service_team = cls.env["logistics.exception.team"].create(
            {
                "name": "Key Accounts",
                "company_id": cls.company.id,
                "leader_id": cls.service_lead.id,
                "member_ids": [Command.set(cls.service_lead.ids)],
            }
        )
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.customer.logistics_service_tier = "strategic"
        cls.category_credit = cls.env.ref("logistics_exception.category_credit_hold")

    @classmethod
    def _rule(cls, **vals):
        vals.setdefault("name", "Test rule")
        vals.setdefault("company_id", cls.company.id)
        return cls.Rule.create(vals)

    @classmethod
    def _selection(cls, field_name, *values):
        return cls.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "logistics.exception"),
                ("field_id.name", "=", field_name),
                ("value", "in", values),
            ]
        )

    def _notes(self, exception):
        return exception.message_ids.filtered(
            lambda m: "Routed by rule" in (m.body or "")
        )


class TestRoutingScenarios(RoutingCommon):
    def test_strategic_customer_goes_to_the_service_leader_with_followers(self):
        rule = self._rule(
            name="Strategic to service lead",
            customer_tier="strategic",
            team_id=self.service_team.id,
            owner_strategy="leader",
            follower_user_ids=[Command.set(self.manager.ids)],
        )
        exception = self._create_exception(partner_id=self.customer.id)
        self.assertEqual(exception.customer_id, self.customer)
        self.assertEqual(exception.team_id, self.service_team)
        self.assertEqual(exception.user_id, self.service_lead)
        self.assertEqual(exception.owner_set_by, "routing")
        self.assertEqual(exception.routing_rule_id, rule)
        self.assertEqual(exception.state, "assigned")
        self.assertIn(self.manager.partner_id, exception.message_partner_ids)
        note = self._notes(exception)
        self.assertEqual(len(note), 1)
        self.assertIn("Strategic to service lead", note.body)
        self.assertIn(self.service_lead.name, note.body)
        # A standard customer is not routed by this rule.
        other = self._create_exception(
            partner_id=self.env["res.partner"].create({"name": "Small Shop"}).id
        )
        self.assertEqual(other.team_id, self.team)
        self.assertFalse(other.user_id)
        self.assertFalse(other.routing_rule_id)
        self.assertFalse(self._notes(other))

    def test_credit_hold_goes_to_the_salesperson_else_the_leader(self):
        salesperson = new_test_user(
            self.env,
            login="lex_test_sales",
            name="Sam Sales",
            groups=f"base.group_user,{GROUP_USER},sales_team.group_sale_salesman",
        )
        self._rule(
            category_ids=[Command.set(self.category_credit.ids)],
            team_id=self.service_team.id,
            owner_strategy="document",
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": salesperson.id}
        )
        exception = self._create_exception(
            category_id=self.category_credit.id, sale_id=order.id
        )
        self.assertEqual(exception.user_id, salesperson)
        # A salesperson who does not work exceptions: the team leader.
        order.user_id = self.stock_only_user
        fallback = self._create_exception(
            category_id=self.category_credit.id, sale_id=order.id
        )
        self.assertEqual(fallback.user_id, self.service_lead)

    def test_supplier_delay_goes_to_the_buyer(self):
        buyer = new_test_user(
            self.env,
            login="lex_test_buyer",
            name="Bea Buyer",
            groups=f"base.group_user,{GROUP_USER},purchase.group_purchase_user",
        )
        self._rule(
            category_ids=[Command.set(self.category_delay.ids)],
            owner_strategy="document",
        )
        vendor = self.env["res.partner"].create({"name": "Slow Supplies"})
        purchase = self.env["purchase.order"].create(
            {"partner_id": vendor.id, "user_id": buyer.id}
        )
        exception = self._create_exception(purchase_id=purchase.id)
        self.assertEqual(exception.user_id, buyer)
        # No rule team: the team stays the one given (or computed).
        self.assertEqual(exception.team_id, self.team)

    def test_transfer_goes_to_its_responsible(self):
        self._rule(owner_strategy="document")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "user_id": self.colleague.id,
            }
        )
        exception = self._create_exception(picking_id=picking.id)
        self.assertEqual(exception.user_id, self.colleague)

    def test_high_value_order_rule_counts_the_value_at_stake(self):
        self._rule(
            name="High value",
            min_order_value=10000,
            owner_strategy="fixed",
            user_id=self.manager.id,
        )
        high = self._create_exception(financial_impact=12000)
        low = self._create_exception(financial_impact=800)
        self.assertEqual(high.user_id, self.manager)
        self.assertFalse(low.user_id)

    def test_warehouse_rule_applies_to_its_warehouse_only(self):
        self._rule(
            warehouse_ids=[Command.set(self.warehouse.ids)],
            team_id=self.service_team.id,
        )
        here = self._create_exception(warehouse_id=self.warehouse.id)
        nowhere = self._create_exception()
        self.assertEqual(here.team_id, self.service_team)
        self.assertEqual(nowhere.team_id, self.team)

    def test_category_rule_matches_subcategories(self):
        child = self.env["logistics.exception.category"].create(
            {
                "name": "Late container",
                "code": "LATE_CONTAINER",
                "parent_id": self.category_delay.id,
            }
        )
        self._rule(
            category_ids=[Command.set(self.category_delay.ids)],
            team_id=self.service_team.id,
        )
        exception = self._create_exception(category_id=child.id)
        self.assertEqual(exception.team_id, self.service_team)
        shortage = self._create_exception(category_id=self.category_shortage.id)
        self.assertEqual(shortage.team_id, self.team)

    def test_severity_detection_and_domain_conditions(self):
        self._rule(
            severity_ids=[Command.set(self._selection("severity", "critical").ids)],
            detected_by_ids=[Command.set(self._selection("detected_by", "rule").ids)],
            domain="[('summary', 'ilike', 'pallet')]",
            owner_strategy="leader",
        )
        matching = self._create_exception(
            summary="Pallet missing", severity="critical", detected_by="rule"
        )
        self.assertEqual(matching.user_id, self.manager)
        for values in (
            {"summary": "Pallet missing", "severity": "high", "detected_by": "rule"},
            {"summary": "Pallet missing", "severity": "critical"},
            {"summary": "Box missing", "severity": "critical", "detected_by": "rule"},
        ):
            with self.subTest(**values):
                self.assertFalse(self._create_exception(**values).user_id)

    def test_first_matching_rule_wins(self):
        first = self._rule(name="First", sequence=1, team_id=self.service_team.id)
        second = self._rule(name="Second", sequence=2, team_id=self.team.id)
        exception = self._create_exception(team_id=None)
        self.assertEqual(exception.routing_rule_id, first)
        self.assertEqual(exception.team_id, self.service_team)
        first.sequence = 3
        exception = self._create_exception(team_id=None)
        self.assertEqual(exception.routing_rule_id, second)
        self.assertEqual(exception.team_id, self.team)

    def test_rules_of_another_company_do_not_apply(self):
        self._rule(company_id=self.other_company.id, owner_strategy="leader")
        self.assertFalse(self._create_exception().user_id)

    def test_without_rule_the_category_default_team_is_kept(self):
        self.category_delay.with_company(self.company).team_id = self.service_team
        exception = self._create_exception(team_id=None)
        self.assertEqual(exception.team_id, self.service_team)

    def test_fixed_user_of_another_company_falls_back_to_the_leader(self):
        stranger = new_test_user(
            self.env,
            login="lex_test_stranger",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        self._rule(owner_strategy="fixed", user_id=stranger.id)
        self.assertEqual(self._create_exception().user_id, self.manager)

    def test_team_of_another_company_is_not_given_to_the_exception(self):
        """A rule whose team moved to another company keeps routing its own
        company's exceptions (detection included) without that team, and
        without a fixed owner who does not work in that company."""
        stranger = new_test_user(
            self.env,
            login="lex_test_stranger",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        moving = self.env["logistics.exception.team"].create(
            {"name": "Cross-dock", "company_id": self.company.id}
        )
        rule = self._rule(
            team_id=moving.id, owner_strategy="fixed", user_id=self.user.id
        )
        moving.company_id = self.other_company
        rule.user_id = stranger
        exception = self._create_exception()
        self.assertEqual(exception.routing_rule_id, rule)
        self.assertEqual(exception.team_id, self.team, "its own team stays")
        self.assertEqual(exception.user_id, self.manager, "the team's leader")
        detected = (
            self.env["logistics.exception"]
            .sudo()
            .create(
                {
                    "summary": "Late receipt detected",
                    "category_id": self.category_delay.id,
                    "company_id": self.company.id,
                    "detected_by": "rule",
                }
            )
        )
        self.assertEqual(detected.routing_rule_id, rule)
        self.assertNotEqual(detected.team_id, moving)


class TestRoutingKeepsPeoplesChoice(RoutingCommon):
    def test_owner_given_at_creation_is_kept(self):
        self._rule(
            owner_strategy="fixed",
            user_id=self.manager.id,
            team_id=self.service_team.id,
        )
        exception = self._create_exception(user_id=self.colleague.id)
        self.assertEqual(exception.user_id, self.colleague)
        self.assertEqual(exception.owner_set_by, "person")
        self.assertEqual(exception.team_id, self.service_team)

    def test_owner_a_person_sets_is_kept_when_rerouted(self):
        self._rule(
            category_ids=[Command.set(self.category_shortage.ids)],
            owner_strategy="fixed",
            user_id=self.manager.id,
        )
        exception = self._create_exception()
        self.assertFalse(exception.user_id)
        exception.with_user(self.colleague).action_assign()
        self.assertEqual(exception.owner_set_by, "person")
        exception.with_user(self.colleague).category_id = self.category_shortage
        self.assertEqual(exception.user_id, self.colleague)
        # A person's write of the owner counts the same.
        exception.user_id = self.user
        exception.severity = "critical"
        self.assertEqual(exception.user_id, self.user)

    def test_person_routed_their_own_report_follows_it_once(self):
        """Routing may give a report to the person who files it (here the only
        member of the queue): they follow it once, and the report is saved."""
        self._rule(
            category_ids=[Command.set(self.category_shortage.ids)],
            team_id=self.service_team.id,
            owner_strategy="least_loaded",
        )
        exception = (
            self.env["logistics.exception"]
            .with_user(self.service_lead)
            .with_context(mail_create_nosubscribe=False, tracking_disable=False)
            .create(
                {
                    "summary": "Two pallets short",
                    "category_id": self.category_shortage.id,
                    "company_id": self.company.id,
                }
            )
        )
        self.assertEqual(exception.user_id, self.service_lead)
        followers = exception.message_follower_ids.filtered(
            lambda f: f.partner_id == self.service_lead.partner_id
        )
        self.assertEqual(len(followers), 1)

    def test_routing_fields_cannot_be_written_by_hand(self):
        exception = self._create_exception()
        rule = self._rule()
        for vals in (
            {"owner_set_by": "routing"},
            {"routing_rule_id": rule.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                exception.with_user(self.manager).write(vals)


class TestRerouting(RoutingCommon):
    def test_category_severity_and_warehouse_changes_route_again(self):
        by_category = self._rule(
            name="Shortages",
            sequence=1,
            category_ids=[Command.set(self.category_shortage.ids)],
            team_id=self.service_team.id,
            owner_strategy="leader",
        )
        by_severity = self._rule(
            name="Critical",
            sequence=2,
            severity_ids=[Command.set(self._selection("severity", "critical").ids)],
            owner_strategy="fixed",
            user_id=self.colleague.id,
        )
        by_warehouse = self._rule(
            name="Main warehouse",
            sequence=3,
            warehouse_ids=[Command.set(self.warehouse.ids)],
            owner_strategy="fixed",
            user_id=self.user.id,
        )
        exception = self._create_exception(severity="medium")
        self.assertFalse(exception.routing_rule_id)
        self.assertFalse(exception.user_id)

        exception.with_user(self.manager).warehouse_id = self.warehouse
        self.assertEqual(exception.routing_rule_id, by_warehouse)
        self.assertEqual(exception.user_id, self.user)

        exception.with_user(self.manager).severity = "critical"
        self.assertEqual(exception.routing_rule_id, by_severity)
        self.assertEqual(exception.user_id, self.colleague)

        exception.with_user(self.manager).category_id = self.category_shortage
        self.assertEqual(exception.routing_rule_id, by_category)
        self.assertEqual(exception.team_id, self.service_team)
        self.assertEqual(exception.user_id, self.service_lead)
        self.assertEqual(exception.owner_set_by, "routing")
        self.assertEqual(
            len(self._notes(exception)), 3, "one note per rule that routed it"
        )

    def test_other_changes_do_not_route_again(self):
        self._rule(owner_strategy="leader")
        exception = self._create_exception()
        exception.user_id = False
        exception.summary = "Changed"
        self.assertFalse(exception.user_id)

    def test_closed_exceptions_are_not_routed(self):
        exception = self._create_exception(user_id=self.user.id)
        exception.action_resolve()
        self._rule(owner_strategy="leader", team_id=self.service_team.id)
        exception.with_user(self.manager).severity = "critical"
        self.assertEqual(exception.team_id, self.team)


class TestTeamWorkSharing(RoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["logistics.exception.team"].create(
            {
                "name": "Other queue",
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.user.ids)],
            }
        )

    def test_least_loaded_counts_only_the_teams_open_exceptions(self):
        # The user is busy elsewhere, and has one open exception of this team;
        # the colleague's exception of this team is resolved.
        for _i in range(3):
            self._create_exception(team_id=self.other_team.id, user_id=self.user.id)
        self._create_exception(user_id=self.user.id)
        self._create_exception(user_id=self.colleague.id).action_resolve()
        self._rule(team_id=self.team.id, owner_strategy="least_loaded")
        exceptions = self.env["logistics.exception"].create(
            [
                {
                    "summary": f"Batch {index}",
                    "category_id": self.category_delay.id,
                    "company_id": self.company.id,
                }
                for index in range(5)
            ]
        )
        # The colleague (0 open in the team) first, then in turn as counts move.
        self.assertEqual(exceptions[0].user_id, self.colleague)
        owners = exceptions.mapped("user_id")
        self.assertEqual(owners, self.user | self.colleague)
        loads = {
            user: self.env["logistics.exception"].search_count(
                [
                    ("team_id", "=", self.team.id),
                    ("user_id", "=", user.id),
                    ("is_open", "=", True),
                ]
            )
            for user in (self.user, self.colleague)
        }
        self.assertEqual(loads, {self.user: 3, self.colleague: 3})

    def test_round_robin_takes_members_in_turn_across_creates(self):
        self._rule(team_id=self.team.id, owner_strategy="round_robin")
        members = (self.user | self.colleague).sorted("id")
        first = self.env["logistics.exception"].create(
            [
                {
                    "summary": f"Turn {index}",
                    "category_id": self.category_delay.id,
                    "company_id": self.company.id,
                }
                for index in range(3)
            ]
        )
        self.assertEqual(first.mapped("user_id").ids, members.ids)
        self.assertEqual(
            [e.user_id for e in first], [members[0], members[1], members[0]]
        )
        self.assertEqual(self.team.routing_last_user_id, members[0])
        self.assertEqual(self._create_exception().user_id, members[1])

    def test_inactive_or_foreign_members_are_skipped(self):
        self._rule(team_id=self.team.id, owner_strategy="round_robin")
        self.colleague.active = False
        owners = self.env["logistics.exception"].create(
            [
                {
                    "summary": f"Turn {index}",
                    "category_id": self.category_delay.id,
                    "company_id": self.company.id,
                }
                for index in range(2)
            ]
        )
        self.assertEqual(owners.mapped("user_id"), self.user)

    def test_routing_many_exceptions_costs_the_same_queries(self):
        """The routing of a batch does not search per exception: 200
        exceptions cost about the same queries as 20."""
        self._rule(
            team_id=self.team.id,
            owner_strategy="least_loaded",
            follower_user_ids=[Command.set(self.manager.ids)],
            domain="[('summary', 'ilike', 'bulk')]",
        )
        self._rule(name="never", sequence=0, min_order_value=10**9)
        counts = []
        for size in (20, 200):
            exceptions = (
                self.env["logistics.exception"]
                .with_context(logistics_exception_routing=True)
                .create(
                    [
                        {
                            "summary": f"bulk {index}",
                            "category_id": self.category_delay.id,
                            "company_id": self.company.id,
                        }
                        for index in range(size)
                    ]
                )
            )
            self.env.flush_all()
            self.env.invalidate_all()
            exceptions = exceptions.with_context(logistics_exception_routing=False)
            before = self.env.cr.sql_log_count
            exceptions._route()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertFalse(exceptions.filtered(lambda e: not e.user_id))
        self.assertLessEqual(counts[1], counts[0] + 10, counts)


class TestRoutingRuleConfiguration(RoutingCommon):
    def test_plain_user_cannot_read_or_edit_routing_rules(self):
        rule = self._rule()
        with self.assertRaises(AccessError):
            rule.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user).create({"name": "Mine"})

    def test_manager_reads_but_does_not_edit_routing_rules(self):
        rule = self._rule(
            severity_ids=[Command.set(self._selection("severity", "high").ids)]
        )
        data = rule.with_user(self.manager).read(["name", "severity_ids"])
        self.assertEqual(data[0]["name"], "Test rule")
        self.assertEqual(
            rule.with_user(self.manager).severity_ids.mapped("display_name"), ["High"]
        )
        with self.assertRaises(AccessError):
            rule.with_user(self.manager).write({"name": "Changed"})

    def test_admin_configures_routing_rules(self):
        rule = self.Rule.with_user(self.admin).create(
            {"name": "Admin rule", "owner_strategy": "leader"}
        )
        rule.with_user(self.admin).sequence = 5
        self.assertEqual(rule.sequence, 5)

    def test_rules_of_other_companies_are_hidden(self):
        rule = self._rule(company_id=self.other_company.id)
        shared = self._rule(company_id=False)
        visible = self.Rule.with_user(self.manager).search([])
        self.assertIn(shared, visible)
        self.assertNotIn(rule, visible)

    def test_rule_sending_to_a_team_has_the_teams_company(self):
        with self.assertRaisesRegex(
            ValidationError, "set the rule's company to Northern 3PL"
        ):
            self._rule(
                company_id=False,
                team_id=self.env["logistics.exception.team"]
                .create({"name": "North docks", "company_id": self.other_company.id})
                .id,
            )
        rule = self._rule(team_id=self.team.id)
        with self.assertRaisesRegex(ValidationError, "Dock Team"):
            rule.company_id = False
        with Form(self.Rule.with_user(self.admin)) as form:
            form.name = "Dock rule"
            form.team_id = self.team
            self.assertEqual(form.company_id, self.company)

    def test_invalid_rules_are_refused(self):
        with self.assertRaises(ValidationError):
            self._rule(owner_strategy="fixed")
        with self.assertRaises(ValidationError):
            self._rule(domain="[('no_such_field', '=', 1)]")
        partner_plan = self.env["mail.activity.plan"].create(
            {"name": "Partner plan", "res_model": "res.partner"}
        )
        with self.assertRaises(ValidationError):
            self._rule(playbook_id=partner_plan.id)
