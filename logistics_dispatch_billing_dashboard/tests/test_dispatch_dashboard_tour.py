# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionTourCase

DASHBOARD_URL = (
    "/web#action=logistics_exception_dashboard.logistics_exception_dashboard_action"
)


@tagged("post_install", "-at_install")
class TestDispatchDashboardTour(LogisticsExceptionTourCase):
    def test_billing_manager_sees_and_opens_the_dispatch_tiles(self):
        env = self.env
        company = env["res.company"].create({"name": "Dispatch Dash Co"})
        manager = new_test_user(
            env,
            login="disp_dash_tour",
            password="disp_dash_tour",
            name="Bill Dashboard",
            groups="base.group_user,account.group_account_manager,"
            "logistics_exception.logistics_exception_group_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        customer = env["res.partner"].create({"name": "Dash Tour Consignee"})
        now = fields.Datetime.now()
        Job = env["logistics.dispatch.job"].with_context(tracking_disable=True)
        # Jobs delivered by the drivers' actions are tested in
        # logistics_dispatch_billing; here the figures only need the stamps.
        Job.create(
            [
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "state": "delivered",
                    "date_delivered": now - timedelta(days=2),
                    "date_invoiced": now - timedelta(days=1),
                },
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "state": "delivered",
                    "date_delivered": now - timedelta(days=1),
                },
            ]
        )
        self.start_tour(
            DASHBOARD_URL,
            "logistics_dispatch_billing_dashboard_tour",
            login=manager.login,
        )
