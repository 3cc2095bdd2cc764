from odoo.tests import new_test_user

from .common import GROUP_ADMIN, LogisticsExceptionTourCase


class TestConfigTour(LogisticsExceptionTourCase):
    def test_admin_tunes_a_detection_rule(self):
        admin = new_test_user(
            self.env,
            login="lex_tour_admin",
            password="lex_tour_admin",
            groups=f"base.group_user,{GROUP_ADMIN}",
        )
        self.start_tour(
            "/web#action=logistics_exception.logistics_exception_rule_action",
            "logistics_exception_config_tour",
            login=admin.login,
        )
        rule = self.env.ref("logistics_exception.rule_receipt_discrepancy")
        self.assertEqual(rule.threshold_percent, 5)
        self.assertEqual(rule.write_uid, admin)
