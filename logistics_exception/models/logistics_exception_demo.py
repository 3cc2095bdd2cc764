from datetime import timedelta

from odoo import Command, api, fields, models


class LogisticsExceptionDemo(models.AbstractModel):
    """Real business flows run once when the demo data is installed, so that
    the demo shows exceptions the detection raised by itself."""

    _name = "logistics.exception.demo"
    _description = "Logistics Exception Demo Flows"

    @api.model
    def _run_detection_flows(self):
        env = self.env
        warehouse = env.ref("stock.warehouse0")
        stock = warehouse.lot_stock_id
        drawer = env.ref("product.product_product_27")
        cabinet = env.ref("product.product_product_12")
        lamp = env.ref("product.product_product_8")
        for product in (drawer, cabinet):
            env["stock.quant"]._update_available_quantity(product, stock, 200)
        now = fields.Datetime.now()

        # A delivery picked short: 7 of 10 drawers, backorder for the rest.
        order = self._demo_sale("base.res_partner_12", [(drawer, 10), (cabinet, 4)])
        self._demo_validate(order.picking_ids, {drawer: 7})

        # A receipt with more than ordered.
        purchase = env["purchase.order"].create(
            {
                "partner_id": env.ref("base.res_partner_1").id,
                "order_line": [
                    Command.create({"product_id": cabinet.id, "product_qty": 12})
                ],
            }
        )
        purchase.button_confirm()
        self._demo_validate(purchase.picking_ids, {cabinet: 14})

        # Two drawers dropped by a forklift while loading.
        loading = self._demo_sale("base.res_partner_3", [(drawer, 5)])
        scrap = env["stock.scrap"].create(
            {
                "product_id": drawer.id,
                "scrap_qty": 2,
                "picking_id": loading.picking_ids[:1].id,
                "location_id": stock.id,
            }
        )
        scrap.action_validate()

        # The customer moves the delivery date of a confirmed order.
        loading.commitment_date = now + timedelta(days=5)

        # An order over the customer's credit limit: held.
        company = env.company
        company.account_use_credit_limit = True
        ready_mat = env.ref("base.res_partner_4")
        ready_mat.with_company(company).credit_limit = 500.0
        self._demo_sale("base.res_partner_4", [(cabinet, 6)])

        # A vendor that is late, and a promise without stock behind it.
        late = env["purchase.order"].create(
            {
                "partner_id": env.ref("base.res_partner_1").id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": lamp.id,
                            "product_qty": 30,
                            "date_planned": now - timedelta(days=3),
                        }
                    )
                ],
            }
        )
        late.button_confirm()
        promise = env["sale.order"].create(
            {
                "partner_id": env.ref("base.res_partner_2").id,
                "warehouse_id": warehouse.id,
                "commitment_date": now + timedelta(days=1),
                "order_line": [
                    Command.create(
                        {
                            "product_id": env.ref("product.product_product_20").id,
                            "product_uom_qty": 8,
                        }
                    )
                ],
            }
        )
        promise.action_confirm()
        env["logistics.exception.rule"]._cron_scan()

    def _demo_sale(self, partner_xmlid, lines):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.ref(partner_xmlid).id,
                "warehouse_id": self.env.ref("stock.warehouse0").id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def _demo_validate(self, pickings, quantities):
        for move in pickings.move_ids:
            move.quantity = quantities.get(move.product_id, move.product_uom_qty)
            move.picked = True
        result = pickings.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            wizard = (
                self.env[result["res_model"]]
                .with_context(**result["context"])
                .create({})
            )
            wizard.process()
