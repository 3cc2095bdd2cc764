# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_MANAGER,
    LogisticsExceptionTourCase,
)


class TestDashboardTour(LogisticsExceptionTourCase):
    def test_manager_opens_dashboard_switches_preset_and_opens_a_tile(self):
        company = self.env["res.company"].create({"name": "Dash Tour Co"})
        manager = new_test_user(
            self.env,
            login="lex_dash_tour",
            password="lex_dash_tour",
            name="Tess Tour",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        self.env["logistics.exception.sla.policy"].create(
            {
                "name": "Tour SLA",
                "company_id": company.id,
                "response_hours": 1,
                "resolution_hours": 2,
            }
        )
        Exception_ = self.env["logistics.exception"].with_context(tracking_disable=True)
        category = self.env.ref("logistics_exception.category_supplier_delay")
        # Detected two weeks ago: its deadline passed.
        with freeze_time(fields.Datetime.now() - timedelta(days=14)):
            Exception_.create(
                {
                    "summary": "Dash tour late truck",
                    "category_id": category.id,
                    "company_id": company.id,
                    "severity": "high",
                }
            )
        opened = Exception_.create(
            [
                {
                    "summary": summary,
                    "category_id": category.id,
                    "company_id": company.id,
                }
                for summary in (
                    "Dash tour crate short",
                    "Dash tour label missing",
                    "Dash tour resolved",
                )
            ]
        )
        opened[2].action_start()
        opened[2].action_resolve()
        self.start_tour(
            "/web#action=logistics_exception_dashboard.logistics_exception_dashboard_action",
            "logistics_exception_dashboard_tour",
            login=manager.login,
        )
