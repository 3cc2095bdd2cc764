import shutil
import threading
import uuid

from odoo import SUPERUSER_ID, Command, api, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import TransactionCase, websocket
from odoo.tools import mute_logger

GROUP_USER = "logistics_exception.logistics_exception_group_user"
GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
GROUP_ADMIN = "logistics_exception.logistics_exception_group_admin"


class LogisticsExceptionCommon(TransactionCase):
    """Users of every group, a team and a few exceptions to work with."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        cls.company = cls.env.ref("base.main_company")
        cls.other_company = cls.env["res.company"].create({"name": "Northern 3PL"})
        cls.user = new_test_user(
            cls.env,
            login="lex_test_user",
            name="Wendy Warehouse",
            groups=f"base.group_user,{GROUP_USER},stock.group_stock_user",
            company_id=cls.company.id,
        )
        cls.colleague = new_test_user(
            cls.env,
            login="lex_test_colleague",
            name="Colin Colleague",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=cls.company.id,
        )
        cls.outsider = new_test_user(
            cls.env,
            login="lex_test_outsider",
            name="Oscar Outsider",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=cls.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="lex_test_manager",
            name="Mona Manager",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.admin = new_test_user(
            cls.env,
            login="lex_test_admin",
            name="Adam Admin",
            groups=f"base.group_user,{GROUP_ADMIN}",
            company_id=cls.company.id,
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="lex_test_billing",
            name="Bill Billing",
            groups=f"base.group_user,{GROUP_USER},account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.stock_only_user = new_test_user(
            cls.env,
            login="lex_test_stock_only",
            name="Sid Stock",
            groups="base.group_user,stock.group_stock_user",
            company_id=cls.company.id,
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Dock shifts 08-17 (UTC)",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day} {start}-{end}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in (
                        (8, 12, "morning"),
                        (13, 17, "afternoon"),
                    )
                ],
            }
        )
        cls.team = cls.env["logistics.exception.team"].create(
            {
                "name": "Dock Team",
                "company_id": cls.company.id,
                "member_ids": [Command.set((cls.user | cls.colleague).ids)],
                "leader_id": cls.manager.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.category_shortage = cls.env.ref(
            "logistics_exception.category_stock_shortage"
        )
        cls.category_delay = cls.env.ref("logistics_exception.category_supplier_delay")
        cls.category_damage = cls.env.ref("logistics_exception.category_damaged_goods")
        cls.reason_short_pick = cls.env.ref("logistics_exception.reason_short_pick")
        cls.reason_late_receipt = cls.env.ref("logistics_exception.reason_late_receipt")
        cls.root_cause_shortage = cls.env["logistics.exception.root.cause"].search(
            [("category_id", "=", cls.category_shortage.id)], limit=1
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Retail", "is_company": True}
        )
        # No SLA policy of the database (demo data) should interfere.
        cls.env["logistics.exception.sla.policy"].search([]).active = False
        # Nor any routing rule of the database (demo data).
        cls.env["logistics.exception.routing.rule"].search([]).active = False

    @classmethod
    def _create_exception(cls, **values):
        vals = {
            "summary": "3 cartons short on outbound delivery",
            "category_id": cls.category_delay.id,
            "team_id": cls.team.id,
            "company_id": cls.company.id,
        }
        vals.update(values)
        # None: leave the field to its default or computation.
        vals = {key: value for key, value in vals.items() if value is not None}
        return cls.env["logistics.exception"].create(vals)


@tagged("post_install", "-at_install")
class LogisticsExceptionTourCase(HttpCase):
    """Base class of every browser test of the suite.

    Odoo skips a tour when it finds no browser: a skipped tour proves nothing,
    so a missing Chromium or websocket-client fails the test instead.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first page loads ask the server for the static files of every
        # addon in parallel threads; Python 3.11 can fail parsing manifests
        # concurrently (AST recursion depth mismatch). Read them once here.
        if not http.root.statics:
            raise RuntimeError("The server found no static files of any addon.")

    def setUp(self):
        super().setUp()
        self.assertTrue(
            websocket,
            "websocket-client is needed for the browser tests: pip install it",
        )
        self.assertTrue(
            any(
                shutil.which(browser)
                for browser in ("chromium", "chromium-browser", "google-chrome")
            ),
            "Chromium is needed for the browser tests: apt-get install chromium",
        )


class CommittedDataCase(TransactionCase):
    """Base class of the tests that race two real transactions: their data is
    committed (each transaction must see it), so it is created in a cursor of
    its own and purged at the end, whatever the test's outcome."""

    def setUp(self):
        super().setUp()
        self.registry = self.env.registry
        self.token = f"race-{uuid.uuid4().hex[:8]}"

    def _create_committed_users(self, env, count=1, groups=(GROUP_USER,)):
        """``count`` internal users with ``groups``, logins from the token;
        purged at the end of the test."""
        users = env["res.users"].create(
            [
                {
                    "name": f"Racer {index}",
                    "login": f"{self.token}-{index}",
                    "groups_id": [
                        Command.set(
                            [env.ref("base.group_user").id]
                            + [env.ref(group).id for group in groups]
                        )
                    ],
                }
                for index in range(count)
            ]
        )
        self.addCleanup(self._purge_users, users.ids)
        return users

    def _purge_users(self, user_ids):
        with self.registry.cursor() as cr:
            users = api.Environment(cr, SUPERUSER_ID, {})["res.users"].browse(user_ids)
            partners = users.partner_id
            users.unlink()
            partners.unlink()

    def _race(self, first, second, first_commits=True):
        """Race two transactions that started together (they see the same
        snapshot): ``first(cr1)`` runs, then ``second(cr2)`` in a thread,
        which must wait for the first's locks until it commits (or rolls
        back when ``first_commits`` is false). What each returns is collected
        by the callables themselves."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            cr1.execute("SELECT 1")
            cr2.execute("SELECT 1")
            first(cr1)
            thread = threading.Thread(target=second, args=(cr2,))
            with mute_logger("odoo.sql_db"):
                thread.start()
                thread.join(timeout=2)
                self.assertTrue(thread.is_alive(), "the second should wait")
                if first_commits:
                    cr1.commit()
                else:
                    cr1.rollback()
                thread.join(timeout=30)
            self.assertFalse(thread.is_alive(), "the second should end")

    @classmethod
    def _purge_exceptions(cls, env, exceptions):
        """Remove committed exceptions and what hangs on them (activities,
        messages, followers, attachments). Exceptions cannot be deleted
        through the ORM (they are archived): by SQL, in the test only."""
        for model, field in (
            ("mail.activity", "res_model"),
            ("mail.message", "model"),
            ("mail.followers", "res_model"),
            ("ir.attachment", "res_model"),
        ):
            env[model].search(
                [(field, "=", exceptions._name), ("res_id", "in", exceptions.ids)]
            ).unlink()
        env.cr.execute(
            "DELETE FROM logistics_exception WHERE id IN %s",
            [tuple(exceptions.ids) or (0,)],
        )
