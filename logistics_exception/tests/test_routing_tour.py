from odoo import Command
from odoo.tests import new_test_user

from .common import GROUP_USER, LogisticsExceptionTourCase


class TestRoutingTour(LogisticsExceptionTourCase):
    def test_team_user_sees_routing_and_playbook_of_an_exception(self):
        company = self.env.ref("base.main_company")
        owner = new_test_user(
            self.env,
            login="lex_tour_router",
            password="lex_tour_router",
            name="Rita Router",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=company.id,
        )
        leader = new_test_user(
            self.env,
            login="lex_tour_leader",
            name="Leo Leader",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=company.id,
        )
        team = self.env["logistics.exception.team"].create(
            {
                "name": "Dock crew",
                "company_id": company.id,
                "leader_id": leader.id,
                "member_ids": [Command.set(owner.ids)],
            }
        )
        category = self.env.ref("logistics_exception.category_damaged_goods")
        self.env["logistics.exception.routing.rule"].create(
            {
                "name": "Dock damage to the dock crew",
                "sequence": -100,
                "company_id": company.id,
                "category_ids": [Command.set(category.ids)],
                "team_id": team.id,
                "owner_strategy": "round_robin",
                "playbook_id": self.env.ref(
                    "logistics_exception.playbook_damaged_goods"
                ).id,
            }
        )
        # Raised by detection (as superuser), as a scan of the dock would.
        exception = (
            self.env["logistics.exception"]
            .sudo()
            .create(
                {
                    "summary": "Pallet crushed at dock 4",
                    "category_id": category.id,
                    "company_id": company.id,
                    "detected_by": "rule",
                }
            )
        )
        self.assertEqual(exception.user_id, owner)
        self.start_tour(
            f"/web#model=logistics.exception&id={exception.id}&view_type=form",
            "logistics_exception_routing_tour",
            login=owner.login,
        )
