from random import randint

from odoo import fields, models


class LogisticsExceptionTag(models.Model):
    _name = "logistics.exception.tag"
    _description = "Logistics Exception Tag"
    _order = "name"

    def _default_color(self):
        return randint(1, 11)

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: self._default_color())
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A tag with this name already exists."),
    ]
