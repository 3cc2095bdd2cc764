# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_MANAGER,
    GROUP_USER,
    LogisticsExceptionCommon,
)

NOW = "2026-03-11 10:00:00"  # a Wednesday
USER_GROUPS = (
    f"base.group_user,{GROUP_MANAGER},stock.group_stock_user,"
    "sales_team.group_sale_salesman_all_leads"
)


class TestDashboardKpi(LogisticsExceptionCommon):
    """A small known data set in a fresh company (North), the same kind of
    records in another (South); every figure computed by hand.

    North's team works 08-12 and 13-17 UTC, Monday to Friday; its SLA policy
    gives 2 working hours to respond and 8 to resolve, at risk from 50%.
    The dashboard is read on Wednesday 2026-03-11 10:00 UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.north = cls.env["res.company"].create({"name": "Dash North"})
        cls.south = cls.env["res.company"].create({"name": "Dash South"})
        cls.north_user = new_test_user(
            cls.env,
            login="lex_dash_north",
            name="Nora North",
            groups=USER_GROUPS,
            company_id=cls.north.id,
            company_ids=[Command.set(cls.north.ids)],
            tz="UTC",
        )
        cls.both_user = new_test_user(
            cls.env,
            login="lex_dash_both",
            name="Bo Both",
            groups=USER_GROUPS,
            company_id=cls.north.id,
            company_ids=[Command.set((cls.north | cls.south).ids)],
            tz="UTC",
        )
        cls.teams = {}
        cls.warehouses = {}
        for company in cls.north | cls.south:
            calendar = cls.calendar.copy({"company_id": company.id})
            cls.teams[company] = cls.env["logistics.exception.team"].create(
                {
                    "name": f"Dock {company.name}",
                    "company_id": company.id,
                    "resource_calendar_id": calendar.id,
                }
            )
            cls.warehouses[company] = cls.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            cls.env["logistics.exception.sla.policy"].create(
                {
                    "name": f"Everything {company.name}",
                    "company_id": company.id,
                    "response_hours": 2,
                    "resolution_hours": 8,
                    "warning_percent": 50,
                }
            )
        causes = cls.env["logistics.exception.root.cause"].search(
            [("category_id", "=", cls.category_shortage.id)], limit=2
        )
        cls.cause_x, cls.cause_y = causes[0], causes[1]
        Partner = cls.env["res.partner"]
        cls.customer_1 = Partner.create({"name": "Cust One", "is_company": True})
        cls.customer_2 = Partner.create({"name": "Cust Two", "is_company": True})
        cls.vendor = Partner.create({"name": "Vend One", "is_company": True})
        Product = cls.env["product.product"]
        cls.product_1 = Product.create({"name": "Dash Pallet", "type": "product"})
        cls.product_2 = Product.create({"name": "Dash Crate", "type": "product"})
        cls.north_data = cls._build_data_set(cls.north)
        cls.south_data = cls._build_data_set(cls.south)

    @classmethod
    def _exception(cls, company, when, **values):
        vals = {
            "summary": "Dashboard case",
            "category_id": cls.category_delay.id,
            "team_id": cls.teams[company].id,
            "company_id": company.id,
        }
        vals.update(values)
        with freeze_time(when):
            return cls.env["logistics.exception"].create(vals)

    @classmethod
    def _progress(cls, exception, started, resolved):
        with freeze_time(started):
            exception.action_start()
        with freeze_time(resolved):
            exception.action_resolve()

    @classmethod
    def _build_data_set(cls, company):
        shortage = cls.category_shortage.id
        warehouse = cls.warehouses[company]
        picking = cls.env["stock.picking"].create(
            [
                {
                    "picking_type_id": warehouse.in_type_id.id,
                    "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "company_id": company.id,
                }
                for _index in range(2)
            ]
        )
        # Validated transfers and confirmed orders are the rates' bases:
        # their states are set as the end of their flows would.
        picking.write({"state": "done", "date_done": "2026-03-02 12:00:00"})
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.customer_1.id,
                    "company_id": company.id,
                    "warehouse_id": warehouse.id,
                }
                for _index in range(4)
            ]
        )
        orders.write({"state": "sale", "date_order": "2026-03-01 09:00:00"})
        purchase = cls.env["purchase.order"].create(
            {"partner_id": cls.vendor.id, "company_id": company.id}
        )
        # Open: E1 critical, due Thu 09:00; E2 high, due Wed 09:00 (breached);
        # E3 medium, due Wed 14:00, within 4 working hours of Wed 10:00 (Wed
        # 15:00) but not of 4 wall-clock hours; E4 medium, due Mon 16:00
        # (breached).
        e1 = cls._exception(
            company,
            "2026-03-11 09:00:00",
            severity="critical",
            category_id=shortage,
            root_cause_id=cls.cause_x.id,
            product_id=cls.product_1.id,
            partner_id=cls.customer_1.id,
            location_id=warehouse.lot_stock_id.id,
        )
        e2 = cls._exception(
            company,
            "2026-03-10 09:00:00",
            severity="high",
            product_id=cls.product_1.id,
            sale_id=orders[0].id,
        )
        e3 = cls._exception(
            company,
            "2026-03-10 14:00:00",
            severity="medium",
            product_id=cls.product_2.id,
            partner_id=cls.customer_2.id,
        )
        e4 = cls._exception(
            company,
            "2026-03-06 16:00:00",
            severity="medium",
            category_id=shortage,
            root_cause_id=cls.cause_x.id,
        )
        # Resolved: E5 answered in 0.5 h, resolved in 6 h, met; E6 answered in
        # 2 h, resolved in 100 h, missed; E7 answered in 4 h, resolved in 8 h,
        # met; E8 (before the 30-day window) answered in 1 h, resolved in 2 h.
        e5 = cls._exception(
            company,
            "2026-03-02 09:00:00",
            severity="low",
            category_id=shortage,
            root_cause_id=cls.cause_y.id,
            partner_id=cls.customer_1.id,
            picking_id=picking[0].id,
        )
        cls._progress(e5, "2026-03-02 09:30:00", "2026-03-02 15:00:00")
        e6 = cls._exception(
            company, "2026-03-05 08:00:00", severity="high", purchase_id=purchase.id
        )
        cls._progress(e6, "2026-03-05 10:00:00", "2026-03-09 12:00:00")
        e7 = cls._exception(company, "2026-02-26 08:00:00", severity="medium")
        cls._progress(e7, "2026-02-26 12:00:00", "2026-02-26 16:00:00")
        e8 = cls._exception(company, "2026-02-02 08:00:00", severity="medium")
        cls._progress(e8, "2026-02-02 09:00:00", "2026-02-02 10:00:00")
        types = {
            code: cls.env.ref(f"logistics_exception_dashboard.cost_type_{code}")
            for code in ("credit_note", "penalty", "rework")
        }
        cls.env["logistics.exception.cost"].create(
            [
                {
                    "exception_id": exception.id,
                    "cost_type_id": types[code].id,
                    "amount": amount,
                    "date": date,
                }
                for exception, code, amount, date in (
                    (e1, "credit_note", 100.0, "2026-03-05"),
                    (e1, "penalty", 50.0, "2026-03-10"),
                    (e2, "credit_note", 30.0, "2026-02-20"),
                    (e3, "rework", 20.0, "2026-03-01"),
                    # Before the period: in no figure.
                    (e8, "penalty", 999.0, "2026-02-02"),
                )
            ]
        )
        return {
            "e1": e1,
            "e2": e2,
            "e3": e3,
            "e4": e4,
            "e5": e5,
            "e6": e6,
            "e7": e7,
            "e8": e8,
        }

    def _data(self, user=None, **filters):
        filters.setdefault("period", 30)
        with freeze_time(NOW):
            return (
                self.env["logistics.exception.dashboard"]
                .with_user(user or self.north_user)
                .get_dashboard_data(filters)
            )

    def _count(self, user, action):
        return (
            self.env[action["res_model"]].with_user(user).search_count(action["domain"])
        )

    def _sum(self, user, action):
        records = self.env[action["res_model"]].with_user(user).search(action["domain"])
        return sum(records.mapped("amount"))

    # ------------------------------------------------------------------
    # Data set sanity: the SLA deadlines the figures rely on
    # ------------------------------------------------------------------
    def test_data_set_deadlines(self):
        data = self.north_data
        self.assertEqual(str(data["e1"].sla_deadline), "2026-03-12 09:00:00")
        self.assertEqual(str(data["e2"].sla_deadline), "2026-03-11 09:00:00")
        self.assertEqual(str(data["e3"].sla_deadline), "2026-03-11 14:00:00")
        self.assertEqual(str(data["e4"].sla_deadline), "2026-03-09 16:00:00")
        self.assertEqual(
            [data[key].sla_status for key in ("e5", "e6", "e7", "e8")],
            ["met", "missed", "met", "met"],
        )

    # ------------------------------------------------------------------
    # Tiles
    # ------------------------------------------------------------------
    def test_open_by_severity_and_click_through(self):
        tile = self._data()["tiles"]["open"]
        self.assertEqual(tile["value"], 4)
        self.assertEqual(
            {segment["key"]: segment["value"] for segment in tile["segments"]},
            {"critical": 1, "high": 1, "medium": 2, "low": 0},
        )
        with freeze_time(NOW):
            self.assertEqual(self._count(self.north_user, tile["action"]), 4)
            for segment in tile["segments"]:
                self.assertEqual(
                    self._count(self.north_user, segment["action"]), segment["value"]
                )
        critical = tile["segments"][0]["action"]
        self.assertEqual(critical["res_model"], "logistics.exception")
        records = self.env["logistics.exception"].search(critical["domain"])
        self.assertEqual(records, self.north_data["e1"])

    def test_breached_now(self):
        tile = self._data()["tiles"]["breached"]
        self.assertEqual(tile["value"], 2)
        records = self.env["logistics.exception"].search(tile["action"]["domain"])
        self.assertEqual(records, self.north_data["e2"] | self.north_data["e4"])

    def test_at_risk_counts_working_hours_of_the_team_calendar(self):
        tile = self._data()["tiles"]["at_risk"]
        # Wed 10:00 + 4 working hours = Wed 15:00: only E3 (due 14:00); a
        # wall-clock 4 hours (14:00, excluded) would find none.
        self.assertEqual(tile["value"], 1)
        records = self.env["logistics.exception"].search(tile["action"]["domain"])
        self.assertEqual(records, self.north_data["e3"])

    def test_mttr_over_7_and_30_days_with_change(self):
        tiles = self._data()["tiles"]
        respond = {s["key"]: s for s in tiles["mttr_respond"]["segments"]}
        # 7 days: E6 (2 h); before: E5 (0.5 h) and E7 (4 h), 2.25 h.
        self.assertEqual(respond["7d"]["value"], 2.0)
        self.assertEqual(respond["7d"]["previous"], 2.2)  # 2.25 rounded half even
        self.assertEqual(respond["7d"]["change"], -11.1)
        # 30 days: E5, E6, E7: 6.5 / 3; before: E8 (1 h).
        self.assertEqual(respond["30d"]["value"], 2.2)
        self.assertEqual(respond["30d"]["previous"], 1.0)
        self.assertEqual(respond["30d"]["change"], 116.7)
        resolve = {s["key"]: s for s in tiles["mttr_resolve"]["segments"]}
        # 7 days: E6 (100 h); before: E5 (6 h) and E7 (8 h).
        self.assertEqual(resolve["7d"]["value"], 100.0)
        self.assertEqual(resolve["7d"]["previous"], 7.0)
        self.assertEqual(resolve["7d"]["change"], 1328.6)
        # 30 days: (6 + 100 + 8) / 3; before: E8 (2 h).
        self.assertEqual(resolve["30d"]["value"], 38.0)
        self.assertEqual(resolve["30d"]["previous"], 2.0)
        self.assertEqual(resolve["30d"]["change"], 1800.0)
        self.assertEqual(tiles["mttr_resolve"]["value"], 100.0)
        records = self.env["logistics.exception"].search(
            resolve["30d"]["action"]["domain"]
        )
        data = self.north_data
        self.assertEqual(records, data["e5"] | data["e6"] | data["e7"])

    def test_sla_compliance(self):
        tile = self._data()["tiles"]["sla_compliance"]
        # Detected in the last 30 days, SLA decided: E5 met, E6 missed, E7
        # met, E2 and E4 open past their deadline (they count against it);
        # E1 and E3 are not due yet, E8 is older.
        self.assertEqual(tile["value"], 40.0)
        segments = {s["key"]: s for s in tile["segments"]}
        self.assertEqual(segments["met"]["value"], 2)
        self.assertEqual(segments["missed"]["value"], 1)
        self.assertEqual(segments["breached"]["value"], 2)
        data = self.north_data
        Exception = self.env["logistics.exception"]
        with freeze_time(NOW):
            self.assertEqual(
                Exception.search(segments["missed"]["action"]["domain"]), data["e6"]
            )
            self.assertEqual(
                Exception.search(segments["breached"]["action"]["domain"]),
                data["e2"] | data["e4"],
            )
            self.assertEqual(
                Exception.search(tile["action"]["domain"]),
                data["e2"] | data["e4"] | data["e5"] | data["e6"] | data["e7"],
            )

    def test_rates_per_1000_transfers_and_orders(self):
        tiles = self._data()["tiles"]
        # E5 on one of 2 validated transfers; E2 on one of 4 confirmed orders.
        self.assertEqual(tiles["per_1000_transfers"]["value"], 500.0)
        self.assertEqual(tiles["per_1000_orders"]["value"], 250.0)
        records = self.env["logistics.exception"].search(
            tiles["per_1000_orders"]["action"]["domain"]
        )
        self.assertEqual(records, self.north_data["e2"])

    def test_cost_this_month_by_type(self):
        tile = self._data()["tiles"]["cost_month"]
        # March: credit note 100, penalty 50, rework 20 (February's 30 not).
        self.assertEqual(tile["value"], 170.0)
        segments = {s["key"]: s["value"] for s in tile["segments"]}
        self.assertEqual(
            segments, {"CREDIT_NOTE": 100.0, "PENALTY": 50.0, "REWORK": 20.0}
        )
        with freeze_time(NOW):
            for segment in tile["segments"]:
                self.assertEqual(
                    segment["action"]["res_model"], "logistics.exception.cost"
                )
                self.assertEqual(
                    self._sum(self.north_user, segment["action"]), segment["value"]
                )

    # ------------------------------------------------------------------
    # Charts
    # ------------------------------------------------------------------
    def test_weekly_trend_by_category(self):
        chart = self._data()["charts"]["trend_by_category"]
        # 30 days: 5 weeks ending now; E8 is older.
        self.assertEqual(
            chart["labels"],
            ["2026-02-04", "2026-02-11", "2026-02-18", "2026-02-25", "2026-03-04"],
        )
        series = {dataset["label"]: dataset for dataset in chart["datasets"]}
        shortage = series[self.category_shortage.display_name]
        delay = series[self.category_delay.display_name]
        self.assertEqual(shortage["data"], [0, 0, 0, 1, 2])
        self.assertEqual(delay["data"], [0, 0, 0, 1, 3])
        with freeze_time(NOW):
            for dataset in (shortage, delay):
                for value, action in zip(
                    dataset["data"], dataset["actions"], strict=True
                ):
                    self.assertEqual(self._count(self.north_user, action), value)

    def test_aging_buckets(self):
        chart = self._data()["charts"]["aging"]
        # E1 1 h, E3 20 h, E2 25 h, E4 4 days 18 h.
        self.assertEqual(chart["datasets"][0]["data"], [2, 1, 1, 0, 0])
        with freeze_time(NOW):
            for value, action in zip(
                chart["datasets"][0]["data"],
                chart["datasets"][0]["actions"],
                strict=True,
            ):
                self.assertEqual(self._count(self.north_user, action), value)

    def test_top_root_causes(self):
        chart = self._data()["charts"]["top_root_causes"]
        self.assertEqual(
            chart["labels"], [self.cause_x.display_name, self.cause_y.display_name]
        )
        self.assertEqual(chart["datasets"][0]["data"], [2, 1])

    def test_top_dimensions_by_count(self):
        charts = self._data()["charts"]
        expected = {
            "top_product_count": (["Dash Pallet", "Dash Crate"], [2, 1]),
            "top_customer_count": (["Cust One", "Cust Two"], [3, 1]),
            "top_vendor_count": (["Vend One"], [1]),
        }
        for key, (labels, values) in expected.items():
            self.assertEqual(charts[key]["labels"], labels, key)
            self.assertEqual(charts[key]["datasets"][0]["data"], values, key)
        location = charts["top_location_count"]
        self.assertEqual(
            location["labels"], [self.warehouses[self.north].lot_stock_id.display_name]
        )
        self.assertEqual(location["datasets"][0]["data"], [1])
        with freeze_time(NOW):
            action = charts["top_customer_count"]["datasets"][0]["actions"][0]
            self.assertEqual(self._count(self.north_user, action), 3)

    def test_top_dimensions_by_cost(self):
        charts = self._data()["charts"]
        # Cost lines dated in the period: Cust One 100 + 50 + 30, Cust Two 20.
        customer = charts["top_customer_cost"]
        self.assertEqual(customer["labels"], ["Cust One", "Cust Two"])
        self.assertEqual(customer["datasets"][0]["data"], [180.0, 20.0])
        product = charts["top_product_cost"]
        self.assertEqual(product["labels"], ["Dash Pallet", "Dash Crate"])
        self.assertEqual(product["datasets"][0]["data"], [180.0, 20.0])
        with freeze_time(NOW):
            action = customer["datasets"][0]["actions"][0]
            self.assertEqual(self._sum(self.north_user, action), 180.0)

    # ------------------------------------------------------------------
    # Filters, presets, access
    # ------------------------------------------------------------------
    def test_other_company_figures_never_appear(self):
        north = self._data()
        # The South has the same records: a user of both companies sees twice
        # the counts, a user of the North alone only the North's.
        both = self._data(user=self.both_user)
        self.assertEqual(both["tiles"]["open"]["value"], 8)
        self.assertEqual(both["tiles"]["cost_month"]["value"], 340.0)
        self.assertEqual(north["tiles"]["open"]["value"], 4)
        self.assertEqual(
            [c["id"] for c in north["options"]["companies"]], self.north.ids
        )
        # Asking for the South by filter changes nothing for a North user.
        forced = self._data(company_ids=self.south.ids)
        self.assertEqual(forced["filters"]["company_ids"], self.north.ids)
        self.assertEqual(forced["tiles"], north["tiles"])
        self.assertEqual(forced["charts"], north["charts"])
        # A user of both companies may narrow the figures to one.
        narrowed = self._data(user=self.both_user, company_ids=self.south.ids)
        self.assertEqual(narrowed["tiles"]["open"]["value"], 4)
        records = self.env["logistics.exception"].search(
            narrowed["tiles"]["open"]["action"]["domain"]
        )
        self.assertEqual(records.company_id, self.south)

    def test_plain_user_counts_only_the_exceptions_they_may_read(self):
        clerk = new_test_user(
            self.env,
            login="lex_dash_clerk",
            name="Cleo Clerk",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.north.id,
            company_ids=[Command.set(self.north.ids)],
            tz="UTC",
        )
        # Not in North's team: the clerk reads only the exception they own.
        self.north_data["e3"].user_id = clerk
        data = self._data(user=clerk)
        self.assertEqual(data["tiles"]["open"]["value"], 1)
        self.assertEqual(data["tiles"]["breached"]["value"], 0)
        self.assertEqual(data["tiles"]["at_risk"]["value"], 1)
        # Cost lines too: only E3's, though cost lines follow company rules.
        self.assertEqual(data["tiles"]["cost_month"]["value"], 20.0)
        self.assertEqual(data["charts"]["top_customer_cost"]["labels"], ["Cust Two"])
        self.assertEqual(data["charts"]["top_customer_count"]["labels"], ["Cust Two"])

    def test_team_and_warehouse_filters(self):
        other_team = self.env["logistics.exception.team"].create(
            {"name": "Yard North", "company_id": self.north.id}
        )
        self.north_data["e3"].team_id = other_team
        data = self._data(team_id=other_team.id)
        self.assertEqual(data["tiles"]["open"]["value"], 1)
        self.assertEqual(data["tiles"]["cost_month"]["value"], 20.0)
        # E2 (its order's) and E5 (its transfer's) have the warehouse.
        data = self._data(warehouse_id=self.warehouses[self.north].id)
        self.assertEqual(data["tiles"]["open"]["value"], 1)

    def test_presets_choose_what_comes_first(self):
        data = self._data(preset="finance")
        self.assertEqual(data["layout"]["tiles"][0], "cost_month")
        self.assertEqual(data["layout"]["charts"][0], "top_customer_cost")
        data = self._data(preset="warehouse_lead")
        self.assertEqual(data["layout"]["tiles"][0], "open")
        self.assertEqual(data["layout"]["charts"][0], "aging")
        # Every tile is still there, after the preset's own.
        self.assertEqual(sorted(data["layout"]["tiles"]), sorted(data["tiles"]))
        with self.assertRaisesRegex(UserError, "Unknown dashboard preset"):
            self._data(preset="astrologer")
        with self.assertRaisesRegex(UserError, "period"):
            self._data(period="forever")

    def test_default_preset_follows_the_user_role(self):
        self.assertEqual(self._data()["filters"]["preset"], "warehouse_lead")
        self.north_user.groups_id += self.env.ref("account.group_account_invoice")
        self.assertEqual(self._data()["filters"]["preset"], "finance")
        self.north_user.groups_id += self.env.ref(
            "logistics_exception.logistics_exception_group_admin"
        )
        self.assertEqual(self._data()["filters"]["preset"], "executive")

    def test_user_without_exception_access_is_refused(self):
        with self.assertRaises(AccessError):
            self._data(user=self.stock_only_user)

    def test_dashboard_reads_in_a_bounded_number_of_queries(self):
        # One grouped query per figure (27 today), whatever the volume: no
        # query per record, per tile segment or per chart point.
        self._data()
        with freeze_time(NOW), self.assertQueryCount(29):
            self.env["logistics.exception.dashboard"].with_user(
                self.north_user
            ).get_dashboard_data({"period": 30})
        # Twelve more exceptions on as many products and customers: as many
        # queries.
        products = self.env["product.product"].create(
            [{"name": f"Dash extra {index}"} for index in range(12)]
        )
        customers = self.env["res.partner"].create(
            [{"name": f"Dash client {index}"} for index in range(12)]
        )
        for product, customer in zip(products, customers, strict=True):
            self._exception(
                self.north,
                "2026-03-09 09:00:00",
                product_id=product.id,
                partner_id=customer.id,
            )
        self._data()
        with freeze_time(NOW), self.assertQueryCount(29):
            data = (
                self.env["logistics.exception.dashboard"]
                .with_user(self.north_user)
                .get_dashboard_data({"period": 30})
            )
        self.assertEqual(data["tiles"]["open"]["value"], 16)
        self.assertEqual(len(data["charts"]["top_product_count"]["labels"]), 10)
