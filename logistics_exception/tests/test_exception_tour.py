from odoo.tests import new_test_user

from .common import GROUP_USER, LogisticsExceptionTourCase


class TestExceptionTour(LogisticsExceptionTourCase):
    def setUp(self):
        super().setUp()
        # The kanban flow itself: the demo's routing rules would give the new
        # exception an owner before the user takes it (routing has its tour).
        self.env["logistics.exception.routing.rule"].search([]).active = False
        self.user = new_test_user(
            self.env,
            login="lex_tour_user",
            password="lex_tour_user",
            name="Tara Tour",
            groups=f"base.group_user,{GROUP_USER}",
        )

    def test_kanban_create_and_resolve(self):
        self.start_tour(
            "/web#action=logistics_exception.logistics_exception_action",
            "logistics_exception_tour",
            login="lex_tour_user",
        )
        exception = self.env["logistics.exception"].search(
            [("summary", "=", "Vendor missed the 10:00 delivery slot")]
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.user_id, self.user)
        self.assertEqual(
            exception.category_id,
            self.env.ref("logistics_exception.category_supplier_delay"),
        )
        self.assertTrue(exception.date_resolved)
