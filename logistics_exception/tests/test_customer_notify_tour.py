from odoo.tests import new_test_user

from .common import GROUP_ADMIN, LogisticsExceptionTourCase


class TestCustomerNotifyTour(LogisticsExceptionTourCase):
    def test_admin_switches_customer_notification_on(self):
        admin = new_test_user(
            self.env,
            login="lex_tour_notify_admin",
            password="lex_tour_notify_admin",
            groups=f"base.group_user,{GROUP_ADMIN}",
        )
        category = self.env["logistics.exception.category"].create(
            {
                "name": "Late Delivery (tour)",
                "code": "TOUR_LATE_DELIVERY",
                "customer_impact": True,
                "sequence": 0,
            }
        )
        self.start_tour(
            "/web#action=logistics_exception.logistics_exception_category_action",
            "logistics_exception_customer_notify_tour",
            login=admin.login,
        )
        self.assertTrue(category.customer_notify)
        self.assertFalse(category.internal_only)
        self.assertEqual(
            category.customer_notify_template_id,
            self.env.ref("logistics_exception.mail_template_exception_customer_update"),
        )
        self.assertEqual(category.write_uid, admin)
