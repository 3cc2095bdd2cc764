from odoo import _, api, fields, models


class OrderChangeDetector(models.AbstractModel):
    """A confirmed order's lines, delivery address or date changed: the
    customer asked for a change that warehouse and dispatch must absorb.
    Later changes go into the chatter of the open exception."""

    _name = "logistics.exception.detector.order_change"
    _inherit = "logistics.exception.detector"
    _description = "Confirmed sales order changed"
    _area = "sales"
    _events = ("order_changed",)

    @api.model
    def _detect(self, rules, event):
        orders = event.records
        labels = [
            orders._fields[name]._description_string(self.env)
            for name in sorted(event.payload.get("changed_fields", ()))
        ]
        stamp = f"change:{fields.Datetime.to_string(fields.Datetime.now())}"
        vals_list = []
        for order in orders.filtered(lambda o: o.state == "sale"):
            for rule in rules:
                if not rule._applies_to(order.company_id, order.warehouse_id):
                    continue
                vals_list.append(
                    rule._prepare_exception_values(
                        order,
                        order.company_id,
                        summary=_(
                            "%(order)s changed after confirmation: %(fields)s",
                            order=order.name,
                            fields=", ".join(labels),
                        ),
                        sale_id=order.id,
                        partner_id=order.partner_id.id,
                        warehouse_id=order.warehouse_id.id,
                        customer_impact=True,
                        source_key=rule._source_key(order, stamp),
                        log_on_open=True,
                    )
                )
        return vals_list
