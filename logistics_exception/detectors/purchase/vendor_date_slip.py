from odoo import _, api, fields, models
from odoo.tools import split_every

from ..engine import SCAN


class VendorDateSlipDetector(models.AbstractModel):
    """A vendor's expected date moved later than the commitment date of sales
    orders that wait for those goods: the purchase line gets a root exception
    (the slip) and each sales order an 'at risk' consequence. When the date
    comes back in time, or no promise waits for the goods any more, both
    clear. The commitment at risk scan raises slips too, for the late
    purchases it finds behind an order."""

    _name = "logistics.exception.detector.vendor_date_slip"
    _inherit = "logistics.exception.detector"
    _description = "Vendor date moved past a customer commitment"
    _area = "purchase"
    _events = ("purchase_date_changed",)

    @api.model
    def _detect(self, rules, event):
        # sudo: a buyer reschedules without rights on sales or on the queues.
        lines = event.records.sudo().filtered(
            lambda pl: pl.order_id.state in ("purchase", "done") and pl.date_planned
        )
        if not lines:
            return []
        Forecast = self.env["logistics.exception.supply.forecast"]
        at_risk = Forecast._sales_at_risk_by_purchase_line(lines)
        event.memo.update(lines=lines, at_risk=at_risk)
        sales = self.env["sale.order"].union(*at_risk.values())
        find_reason = self._reason_finder(
            ("COMMITMENT_AT_RISK",), lines.order_id.company_id | sales.company_id
        )
        # An order the scan put at risk already is linked, not raised twice.
        scanned_rules = self.env["logistics.exception.rule"]._get_rule_ids(
            "commitment_at_risk"
        )
        vals_list = []
        for line in lines:
            orders = at_risk[line]
            if not orders:
                continue
            for rule in self._rules_of_line(rules, line):
                root = self._slip_values(rule, line, orders, line.date_planned)
                vals_list.append(root)
                vals_list += [
                    self._consequence_values(rule, line, sale, root, find_reason)
                    | {"instead_of_rules": scanned_rules}
                    for sale in orders
                ]
        return vals_list

    @api.model
    def _rules_of_line(self, rules, line):
        order = line.order_id
        return rules.filtered(
            lambda r: r._applies_to(
                order.company_id, order.picking_type_id.warehouse_id
            )
        )

    @api.model
    def _slip_values(self, rule, line, orders, date):
        """The slip (the root) of purchase ``line``, expected on ``date``
        after the promises made to ``orders``; when one is open already, the
        news goes into its chatter."""
        order = line.order_id
        warehouse = order.picking_type_id.warehouse_id
        values = {
            "vendor": order.partner_id.display_name,
            "product": line.product_id.display_name,
            "order": order.name,
            "date": self._local_datetime(date, warehouse),
            "customers": ", ".join(orders.partner_id.mapped("display_name")),
        }
        if date < fields.Datetime.now():
            summary = _(
                "%(vendor)s has not delivered %(product)s of %(order)s, due on "
                "%(date)s: the dates promised to %(customers)s are at risk",
                **values,
            )
        else:
            summary = _(
                "%(vendor)s now expects %(product)s of %(order)s on %(date)s, "
                "after the date promised to %(customers)s",
                **values,
            )
        return rule._prepare_exception_values(
            line,
            order.company_id,
            summary=summary,
            purchase_id=order.id,
            purchase_line_id=line.id,
            partner_id=order.partner_id.id,
            product_id=line.product_id.id,
            warehouse_id=warehouse.id,
            source_key=rule._source_key(
                line, f"slip:{fields.Datetime.to_string(date)}"
            ),
            log_on_open=True,
        )

    @api.model
    def _consequence_values(self, rule, line, sale, root, find_reason):
        """The 'at risk' consequence on ``sale`` of the slip ``root`` (values)
        of purchase ``line``."""
        reason = find_reason("COMMITMENT_AT_RISK", sale.company_id)
        vals = rule._prepare_exception_values(
            sale,
            sale.company_id,
            category_id=(reason.category_id or rule.category_id).id,
            reason_id=reason.id,
            source_key=rule._source_key(sale, rule._source_key(line)),
            summary=_(
                "%(order)s at risk: %(product)s now expected %(date)s, "
                "promised for %(commitment)s",
                order=sale.name,
                product=line.product_id.display_name,
                date=self._local_datetime(line.date_planned, sale.warehouse_id),
                commitment=self._local_datetime(
                    sale.commitment_date, sale.warehouse_id
                ),
            ),
            sale_id=sale.id,
            purchase_id=line.order_id.id,
            purchase_line_id=line.id,
            partner_id=sale.partner_id.id,
            warehouse_id=sale.warehouse_id.id,
            product_id=line.product_id.id,
            customer_impact=True,
            parent_key=root["source_key"],
        )
        vals.pop("severity", None)  # the reason's
        return vals

    @api.model
    def _clear(self, rules, event):
        if event.name == "purchase_date_changed":
            return self._cleared_by_new_dates(rules, event)
        if event.name != SCAN:
            return []
        Forecast = self.env["logistics.exception.supply.forecast"]
        batch_size = event.payload.get("batch_size", 500)
        cleared = Forecast._cleared_supply_risks(rules, batch_size)
        roots = self._open_exceptions(
            rules, [("parent_id", "=", False), ("sale_id", "=", False)]
        )
        for batch in split_every(batch_size, roots.ids, roots.browse):
            cleared.append(
                (
                    self._slips_without_risk(batch),
                    _("No promised date waits for these goods any more."),
                )
            )
        return cleared

    @api.model
    def _cleared_by_new_dates(self, rules, event):
        """The slips whose date came back in time, and the consequences on
        orders the new date no longer puts at risk."""
        lines = event.memo.get("lines")
        if not lines:
            return []
        at_risk = event.memo["at_risk"]
        # The slip and its consequences, even those whose root was closed by
        # hand in the meantime.
        open_slips = self._open_exceptions(
            rules, [("purchase_line_id", "in", lines.ids)]
        ).grouped(lambda e: (e.rule_id, e.purchase_line_id))
        Exception_ = self.env["logistics.exception"].sudo()
        back_in_time = in_time = Exception_
        for line in lines:
            late = at_risk[line]
            for rule in self._rules_of_line(rules, line):
                raised = open_slips.get((rule, line), Exception_)
                if not late:
                    back_in_time |= raised
                else:
                    in_time |= raised.filtered(
                        lambda e, so=late: e.sale_id and e.sale_id not in so
                    )
        cleared = []
        if back_in_time:
            cleared.append(
                (
                    back_in_time,
                    _("The vendor's date is back before the promised dates."),
                )
            )
            # Orders the scan put at risk and linked to the slip.
            scanned = self._open_exceptions(
                self.env["logistics.exception.rule"]._get_rules("commitment_at_risk"),
                [("parent_id", "in", back_in_time.ids)],
            )
            in_time |= self.env[
                "logistics.exception.supply.forecast"
            ]._commitments_in_time(scanned)
        if in_time:
            cleared.append(
                (
                    in_time,
                    _("The goods are forecast in time for the promised date now."),
                )
            )
        return cleared

    @api.model
    def _slips_without_risk(self, roots):
        """The slips ``roots`` (and their consequences) whose purchase line
        no longer puts any promise at risk: back in time, received, or the
        orders waiting for it served otherwise."""
        lines = roots.purchase_line_id
        if not lines:
            return roots.browse()
        at_risk = self.env[
            "logistics.exception.supply.forecast"
        ]._sales_at_risk_by_purchase_line(lines)
        safe = {
            (root.rule_id, root.purchase_line_id)
            for root in roots
            if not at_risk[root.purchase_line_id]
        }
        if not safe:
            return roots.browse()
        lines = self.env["purchase.order.line"].union(*(line for _r, line in safe))
        return self._open_exceptions(
            roots.rule_id, [("purchase_line_id", "in", lines.ids)]
        ).filtered(lambda e: (e.rule_id, e.purchase_line_id) in safe)
