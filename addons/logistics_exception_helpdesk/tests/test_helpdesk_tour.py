# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionTourCase,
)


class TestHelpdeskTour(LogisticsExceptionTourCase):
    def test_service_opens_the_exception_of_a_ticket(self):
        company = self.env.ref("base.main_company")
        service = new_test_user(
            self.env,
            login="lexh_tour_service",
            password="lexh_tour_service",
            name="Tess Service",
            groups=f"base.group_user,helpdesk_mgmt.group_helpdesk_user,{GROUP_USER}",
            company_id=company.id,
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Tour Care", "user_ids": [Command.set(service.ids)]}
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer Ltd", "is_company": True}
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(service)
            .create(
                {
                    "name": "Pallet arrived crushed",
                    "description": "<p>Photos follow.</p>",
                    "team_id": team.id,
                    "partner_id": customer.id,
                    "category_id": self.env.ref(
                        "logistics_exception_helpdesk.helpdesk_category_damaged_on_arrival"
                    ).id,
                }
            )
        )
        self.start_tour(
            f"/web#model=helpdesk.ticket&id={ticket.id}&view_type=form",
            "logistics_exception_helpdesk_tour",
            login=service.login,
        )
