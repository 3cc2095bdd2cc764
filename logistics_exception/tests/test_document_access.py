from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools.safe_eval import safe_eval

from .common import GROUP_MANAGER, GROUP_USER, LogisticsExceptionCommon

DOCUMENT_FIELDS = ("picking_id", "sale_id", "purchase_id", "move_id")
RELATIONAL = ("many2one", "many2many", "one2many", "reference")


class TestDocumentAccess(LogisticsExceptionCommon):
    """Whoever may read an exception opens, lists, groups and searches it,
    whatever their rights on the documents it links, through the very field
    specifications the web client sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="lex_test_seller",
            name="Sam Seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        # The operations manager of the demo: every exception, but sales
        # rights on their own orders only.
        cls.ops_manager = new_test_user(
            cls.env,
            login="lex_test_ops_manager",
            name="Olga Operations",
            groups=f"base.group_user,{GROUP_MANAGER},sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.clerk = new_test_user(
            cls.env,
            login="lex_test_plain",
            name="Pat Plain",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=cls.company.id,
        )
        cls.team.member_ids = [Command.link(cls.clerk.id)]
        product = cls.env["product.product"].create(
            {"name": "Case of glass jars", "type": "consu", "list_price": 30}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.seller.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5})
                ],
            }
        )
        cls.order.action_confirm()
        cls.own_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.ops_manager.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        vendor = cls.env["res.partner"].create({"name": "Glassworks Ltd"})
        cls.purchase = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_qty": 5})
                ],
            }
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_user_id": cls.seller.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "price_unit": 30})
                ],
            }
        )
        # Posted for its reference; what it would detect is not the point here.
        cls.invoice.with_context(logistics_exception_skip_detection=True).action_post()
        cls.exception = cls._create_exception(
            summary="Two cases of jars broken",
            category_id=cls.category_damage.id,
            picking_id=cls.order.picking_ids.id,
            sale_id=cls.order.id,
            purchase_id=cls.purchase.id,
            move_id=cls.invoice.id,
            source_ref=f"sale.order,{cls.order.id}",
        )

    # ------------------------------------------------------------------
    # What the web client sends
    # ------------------------------------------------------------------
    def _specification(self, user, view_type):
        """The field specification the web client builds from the view
        ``view_type`` as ``user`` receives it: relational fields read with
        their display name, sub-views and the chatter left out."""
        Exception_ = self.env["logistics.exception"].with_user(user)
        view = Exception_.get_views([(False, view_type)])["views"][view_type]
        fields = Exception_.fields_get(attributes=["type"])
        arch = etree.fromstring(view["arch"])
        specification = {"display_name": {}}
        for node in arch.iter("field"):
            nested = any(
                ancestor.tag == "field" or "oe_chatter" in ancestor.get("class", "")
                for ancestor in node.iterancestors()
            )
            name = node.get("name")
            if nested or name not in fields:
                continue
            if fields[name]["type"] in RELATIONAL:
                specification[name] = {"fields": {"display_name": {}}}
            else:
                specification[name] = {}
        return specification

    def _open_form(self, user):
        specification = self._specification(user, "form")
        self.assertIn("sale_id", specification)
        self.assertIn("source_ref_name", specification)
        return self.exception.with_user(user).web_read(specification)[0]

    def _document_search_domain(self, user, value):
        """The domain the search view's 'Document' field gives for ``value``."""
        Exception_ = self.env["logistics.exception"].with_user(user)
        arch = etree.fromstring(
            Exception_.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        node = arch.xpath("//field[@name='document_ref']")
        self.assertTrue(node, "The search view searches documents by reference")
        filter_domain = node[0].get("filter_domain")
        if filter_domain:
            return safe_eval(filter_domain, {"self": value})
        return [("document_ref", node[0].get("operator", "ilike"), value)]

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_manager_with_own_orders_only_opens_the_exception(self):
        with self.assertRaises(AccessError):
            self.order.with_user(self.ops_manager).check_access_rule("read")
        values = self._open_form(self.ops_manager)
        self.assertEqual(values["sale_id"]["display_name"], self.order.name)
        self.assertEqual(values["move_id"]["display_name"], self.invoice.display_name)
        self.assertEqual(values["source_ref_name"], f"Sales Order {self.order.name}")
        self.assertFalse(values["can_open_sale"])
        self.assertFalse(values["can_open_move"])
        self.assertFalse(values["can_open_purchase"])
        self.assertFalse(values["can_open_source"])
        self.assertTrue(values["can_open_picking"])
        with self.assertRaises(AccessError):
            self.exception.with_user(self.ops_manager).action_open_source_document()
        # Their own order, in the same form, opens.
        self.exception.source_ref = f"sale.order,{self.own_order.id}"
        self.exception.sale_id = self.own_order
        values = self._open_form(self.ops_manager)
        self.assertTrue(values["can_open_sale"])
        self.assertTrue(values["can_open_source"])
        action = self.exception.with_user(
            self.ops_manager
        ).action_open_source_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", self.own_order.id)
        )

    def test_user_without_any_document_rights_opens_lists_groups_searches(self):
        user = self.clerk
        self.assertFalse(
            self.env["sale.order"]
            .with_user(user)
            .check_access_rights("read", raise_exception=False)
        )
        values = self._open_form(user)
        for field_name in DOCUMENT_FIELDS:
            self.assertEqual(
                values[field_name]["display_name"],
                self.exception[field_name].display_name,
            )
        self.assertFalse(
            any(
                values[flag]
                for flag in (
                    "can_open_picking",
                    "can_open_sale",
                    "can_open_purchase",
                    "can_open_move",
                    "can_open_source",
                )
            )
        )
        Exception_ = self.env["logistics.exception"].with_user(user)
        listed = Exception_.web_search_read(
            [("id", "=", self.exception.id)], self._specification(user, "list")
        )
        self.assertEqual(listed["records"][0]["summary"], "Two cases of jars broken")
        kanban = Exception_.web_search_read(
            [("id", "=", self.exception.id)], self._specification(user, "kanban")
        )
        self.assertEqual(kanban["length"], 1)
        for field_name in DOCUMENT_FIELDS:
            groups = Exception_.web_read_group(
                [("id", "=", self.exception.id)], [field_name], [field_name]
            )["groups"]
            self.assertEqual(
                groups[0][field_name][1], self.exception[field_name].display_name
            )
        for document in (self.order, self.purchase, self.order.picking_ids):
            found = Exception_.search(self._document_search_domain(user, document.name))
            self.assertEqual(found, self.exception, document.name)
        self.assertFalse(
            Exception_.search(self._document_search_domain(user, "NO-SUCH-REF"))
        )

    def test_stock_user_opens_the_transfer_but_not_the_invoice(self):
        values = self._open_form(self.user)
        self.assertTrue(values["can_open_picking"])
        self.assertTrue(values["can_open_sale"])
        self.assertFalse(values["can_open_move"])
        self.assertEqual(values["move_id"]["display_name"], self.invoice.display_name)
        found = (
            self.env["logistics.exception"]
            .with_user(self.user)
            .search(self._document_search_domain(self.user, self.invoice.name))
        )
        self.assertEqual(found, self.exception)

    def test_billing_clerk_opens_every_document(self):
        # The billing clerk is not in the team: the exception is theirs.
        self.exception.user_id = self.billing_user
        values = self._open_form(self.billing_user)
        self.assertTrue(
            all(
                values[flag]
                for flag in (
                    "can_open_picking",
                    "can_open_sale",
                    "can_open_purchase",
                    "can_open_move",
                    "can_open_source",
                )
            )
        )

    def test_empty_link_is_editable_only_for_who_may_read_such_documents(self):
        self.exception = self._create_exception(summary="Jars missing a label")
        stock_user_values = self._open_form(self.user)
        clerk_values = self._open_form(self.clerk)
        self.assertFalse(stock_user_values["sale_id"])
        self.assertTrue(stock_user_values["can_open_sale"])
        self.assertFalse(clerk_values["can_open_sale"])
