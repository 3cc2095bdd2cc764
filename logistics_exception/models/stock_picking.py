from odoo import _, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "logistics.exception.source.mixin"]
    _logistics_exception_field = "picking_id"

    def _get_logistics_exception_defaults(self):
        values = super()._get_logistics_exception_defaults()
        values["warehouse_id"] = self.picking_type_id.warehouse_id.id
        values["location_id"] = (
            self.location_dest_id.id
            if self.picking_type_code == "incoming"
            else self.location_id.id
        )
        if self.purchase_id:
            values["purchase_id"] = self.purchase_id.id
        if self.sale_id:
            values["sale_id"] = self.sale_id.id
        products = self.move_ids.product_id
        if len(products) == 1:
            values["product_id"] = products.id
        return values

    def _action_done(self):
        Engine = self.env["logistics.exception.engine"]
        detect = not self.env.context.get(
            "logistics_exception_skip_detection"
        ) and Engine._listens("picking_done")
        snapshot = {}
        if detect:
            # Validation splits the backorder off and forgets the demand. A move
            # not picked is not done: it goes to the backorder or is cancelled.
            snapshot = {
                move.id: (
                    move.product_uom_qty,
                    move._get_picked_quantity() if move.picked else 0.0,
                )
                for move in self.move_ids
                if move.state not in ("done", "cancel")
            }
        res = super()._action_done()
        if detect:
            Engine._dispatch("picking_done", self, snapshot=snapshot)
        return res

    def action_cancel(self):
        res = super().action_cancel()
        # A cancelled backorder: the rest will not come. For a receipt, what
        # came in against the order is final (a purchase order can only be
        # cancelled before any receipt); for the next leg of a route, what it
        # received against what the first leg sent.
        backorders = self.filtered("backorder_id")
        if backorders and not self.env.context.get(
            "logistics_exception_skip_detection"
        ):
            self.env["logistics.exception.engine"]._dispatch(
                "backorder_cancelled", backorders
            )
        return res

    def button_validate(self):
        held = self.filtered(
            lambda p: (
                p.picking_type_code == "outgoing" and p.sale_id.logistics_credit_hold
            )
        )
        if held:
            raise UserError(
                _(
                    "%(picking)s cannot be validated: sales order %(order)s is on "
                    "credit hold. Finance must release the hold on the order first.",
                    picking=held[0].name,
                    order=held[0].sale_id.name,
                )
            )
        return super().button_validate()
