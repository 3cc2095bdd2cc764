# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LogisticsAccessorialType(models.Model):
    """A service billed on top of the base rate of a job (waiting time,
    redelivery, tail lift...), invoiced with its service product."""

    _name = "logistics.accessorial.type"
    _description = "Accessorial Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable code the pricing reads, e.g. WAIT, REDELIVERY, AFTER_HOURS.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the type with every company.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Service Product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="The product the charge is invoiced with.",
    )
    unit = fields.Selection(
        [
            ("minutes", "Minutes"),
            ("occurrence", "Occurrence"),
            ("km", "Kilometre"),
            ("pallet", "Pallet"),
        ],
        required=True,
        default="occurrence",
        help="What one unit of the charge is: its rate is a price per unit.",
    )
    description = fields.Text(translate=True)

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        groups = self.with_context(active_test=False).read_group(
            [("code", "in", self.mapped("code"))],
            ["company_id"],
            ["code", "company_id"],
            lazy=False,
        )
        for group in groups:
            if group["__count"] > 1:
                raise ValidationError(
                    _(
                        "An accessorial type with code %(code)s already exists; "
                        "choose another code.",
                        code=group["code"],
                    )
                )

    @api.constrains("product_id")
    def _check_product_is_service(self):
        for accessorial in self:
            if accessorial.product_id.type != "service":
                raise ValidationError(
                    _(
                        "Accessorial type %(type)s must be invoiced with a service "
                        "product; %(product)s is not a service.",
                        type=accessorial.display_name,
                        product=accessorial.product_id.display_name,
                    )
                )
