# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user
from odoo.tools import SQL

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionTourCase,
)


class TestKanbanSlaTour(LogisticsExceptionTourCase):
    def test_cards_show_age_and_sla_colour(self):
        self.env["logistics.exception.routing.rule"].search([]).active = False
        user = new_test_user(
            self.env,
            login="lex_kanban_user",
            password="lex_kanban_user",
            name="Kai Kanban",
            groups=f"base.group_user,{GROUP_USER}",
        )
        category = self.env.ref("logistics_exception.category_damaged_goods")
        now = fields.Datetime.now()
        crushed, label = (
            self.env["logistics.exception"]
            .with_user(user)
            .create(
                [
                    {"summary": "Tour: pallet crushed", "category_id": category.id},
                    {"summary": "Tour: label missing", "category_id": category.id},
                ]
            )
        )
        self.env.flush_all()
        # Ages and SLA statuses set in the database: the clocks are not
        # what this tour checks.
        for exception, detected, status in (
            (crushed, now - timedelta(days=3, hours=2), "breached"),
            (label, now - timedelta(hours=5, minutes=10), "on_track"),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE logistics_exception SET date_detected = %s, "
                    "sla_status = %s WHERE id = %s",
                    detected,
                    status,
                    exception.id,
                )
            )
        self.start_tour(
            "/web#action=logistics_exception.logistics_exception_action",
            "logistics_exception_kanban_sla_tour",
            login="lex_kanban_user",
        )
