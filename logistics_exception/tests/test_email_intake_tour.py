from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_ADMIN, LogisticsExceptionTourCase

RAW_EMAIL = """From: "Gil Yard" <gil@new-haulier.example.com>
To: yard-claims@lex-tour.example.com
Subject: Two cartons crushed at door 4
Date: Mon, 23 Nov 2026 08:12:40 +0000
Message-ID: <lex-email-intake-tour@new-haulier.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Cartons 3 and 4 of our delivery were crushed when we unloaded them.
"""


@tagged("post_install", "-at_install")
class TestEmailIntakeTour(LogisticsExceptionTourCase):
    def test_admin_opens_a_team_to_email(self):
        """An admin gives a team its mail alias on the team's form; an email
        to it from a sender the database does not know then reports an
        exception of the chosen category in that team."""
        domain = self.env["mail.alias.domain"].create({"name": "lex-tour.example.com"})
        self.env.company.alias_domain_id = domain
        team = self.env["logistics.exception.team"].create(
            {"name": "Yard Claims", "alias_domain_id": domain.id}
        )
        admin = new_test_user(
            self.env,
            login="lex_tour_intake_admin",
            password="lex_tour_intake_admin",
            groups=f"base.group_user,{GROUP_ADMIN}",
        )
        self.start_tour(
            f"/web#model=logistics.exception.team&id={team.id}&view_type=form",
            "logistics_exception_email_intake_tour",
            login=admin.login,
        )
        damaged = self.env.ref("logistics_exception.category_damaged_goods")
        self.assertEqual(team.alias_name, "yard-claims")
        self.assertEqual(team.alias_category_id, damaged)
        self.assertTrue(team.alias_allow_unknown_senders)

        with mute_logger("odoo.addons.mail.models.mail_thread"):
            exception_id = self.env["mail.thread"].message_process(False, RAW_EMAIL)
        exception = self.env["logistics.exception"].browse(exception_id)
        self.assertEqual(exception.team_id, team)
        self.assertEqual(exception.category_id, damaged)
        self.assertEqual(exception.summary, "Two cartons crushed at door 4")
        self.assertEqual(exception.detected_by, "email")
        self.assertEqual(exception.partner_id.email, "gil@new-haulier.example.com")
