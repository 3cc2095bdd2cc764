import base64

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.logistics_exception.tests.common import (
    GROUP_USER,
    LogisticsExceptionCommon,
)

# The smallest valid JPEG is not needed: the server checks the type and size,
# not the pixels.
PHOTO = base64.b64encode(b"\xff\xd8\xff\xe0" + b"dock photo" * 100).decode()


class ScannerCommon(LogisticsExceptionCommon):
    """A dock with documents to scan: a receipt of two products (one tracked by
    lots), a purchase order, a sales order, a bin and a document of another
    company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dock_user = new_test_user(
            cls.env,
            login="lex_test_dock",
            name="Dora Dock",
            groups=f"base.group_user,{GROUP_USER},stock.group_stock_user,"
            "stock.group_stock_multi_locations,stock.group_production_lot,"
            "purchase.group_purchase_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.team.member_ids = [Command.link(cls.dock_user.id)]
        cls.category_damage.team_id = cls.team
        cls.category_shortage.team_id = cls.team
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Harbor Supplies"})
        cls.chair = cls.env["product.product"].create(
            {
                "name": "Dock Chair",
                "type": "product",
                "barcode": "LEXT-CHAIR",
                "default_code": "LEXT_CHAIR",
            }
        )
        cls.packaging = cls.env["product.packaging"].create(
            {
                "name": "Carton of 6",
                "product_id": cls.chair.id,
                "qty": 6,
                "barcode": "LEXT-CHAIR-CARTON",
            }
        )
        cls.serum = cls.env["product.product"].create(
            {
                "name": "Cold Serum",
                "type": "product",
                "tracking": "lot",
                "barcode": "LEXT-SERUM",
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "LOT-2026-11",
                "product_id": cls.serum.id,
                "company_id": cls.company.id,
            }
        )
        cls.stranger = cls.env["product.product"].create(
            {"name": "Unrelated Lamp", "barcode": "LEXT-LAMP", "type": "product"}
        )
        cls.bin = cls.env["stock.location"].create(
            {
                "name": "Bin A-01",
                "location_id": cls.warehouse.lot_stock_id.id,
                "barcode": "LEXT-BIN-A01",
                "usage": "internal",
            }
        )
        cls.receipt = cls._make_picking(
            cls.warehouse.in_type_id, [(cls.chair, 12), (cls.serum, 40)]
        )
        cls.delivery = cls._make_picking(cls.warehouse.out_type_id, [(cls.chair, 3)])
        cls.purchase = cls.env["purchase.order"].create(
            {
                "partner_id": cls.vendor.id,
                "order_line": [
                    Command.create({"product_id": cls.chair.id, "product_qty": 24})
                ],
            }
        )
        cls.sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": cls.serum.id, "product_uom_qty": 5})
                ],
            }
        )
        other_warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.other_company.id)], limit=1
        )
        cls.foreign_receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": other_warehouse.in_type_id.id,
                "company_id": cls.other_company.id,
                "partner_id": cls.vendor.id,
                "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": other_warehouse.lot_stock_id.id,
            }
        )
        cls.reason_damaged = cls.env.ref(
            "logistics_exception.reason_damaged_in_transfer"
        )
        cls.Scanner = cls.env["logistics.exception.scanner"].with_user(cls.dock_user)

    @classmethod
    def _make_picking(cls, picking_type, lines):
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": cls.vendor.id,
                "location_id": picking_type.default_location_src_id.id
                or cls.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": picking_type.default_location_dest_id.id
                or cls.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": picking_type.default_location_src_id.id
                            or cls.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": (
                                picking_type.default_location_dest_id.id
                                or cls.env.ref("stock.stock_location_customers").id
                            ),
                        }
                    )
                    for product, quantity in lines
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _report(self, **values):
        report = {
            "device_uuid": "dock-0001-aaaa",
            "model": "stock.picking",
            "res_id": self.receipt.id,
            "product_id": self.chair.id,
            "reason_id": self.reason_damaged.id,
            "quantity": 2,
            "note": "Two chairs crushed under a pallet",
            "photos": [
                {"name": "crushed.jpg", "mimetype": "image/jpeg", "data": PHOTO}
            ],
        }
        report.update(values)
        return report
