import shutil

import odoo.tests
from odoo.tests import new_test_user
from odoo.tests.common import websocket

from .common import GROUP_USER


@odoo.tests.tagged("post_install", "-at_install")
class TestExceptionTour(odoo.tests.HttpCase):
    def setUp(self):
        super().setUp()
        # A browser test that silently skips proves nothing: demand the browser.
        self.assertTrue(websocket, "websocket-client is needed for browser tests")
        self.assertTrue(
            any(
                shutil.which(b)
                for b in ("chromium", "chromium-browser", "google-chrome")
            ),
            "Chromium is needed for browser tests",
        )
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
