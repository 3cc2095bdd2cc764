# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from odoo.addons.logistics_exception.tests.common import LogisticsExceptionTourCase

from .test_dispatch_subcontract import DispatchSubcontractCommon


class TestBackOfficeTour(DispatchSubcontractCommon, LogisticsExceptionTourCase):
    """The screens of the dispatcher and billing behind the driver's: the
    subcontracted job, the completed but unbilled board and the figures."""

    def test_dispatcher_gives_a_job_to_a_carrier(self):
        self.carrier.name = "Tour Carrier"
        self.assertFalse(self.dispatcher.has_group("purchase.group_purchase_user"))
        job = self._job_of(self._confirmed_order())
        self.start_tour(
            f"/web#model=logistics.dispatch.job&id={job.id}&view_type=form",
            "logistics_dispatch_subcontract_tour",
            login=self.dispatcher.login,
        )
        self.assertEqual(job.state, "planned")
        self.assertEqual(job.purchase_line_id.order_id.partner_id, self.carrier)

    def test_billing_reads_the_unbilled_board_and_the_figures(self):
        customer = self.env["res.partner"].create({"name": "Unbilled Tour Customer"})
        job = self._job_of(self._confirmed_order(customer))
        with freeze_time(fields.Datetime.now() - timedelta(days=10)):
            self._deliver(job)
        self.start_tour(
            "/web#action=logistics_dispatch_billing.logistics_dispatch_unbilled_report_action"
            "&view_type=list",
            "logistics_dispatch_unbilled_tour",
            login=self.billing.login,
        )
