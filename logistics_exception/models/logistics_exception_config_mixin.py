from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class LogisticsExceptionConfigMixin(models.AbstractModel):
    """What the configuration records of the suite (categories, reasons, root
    causes, teams, SLA policies) share: they are archived rather than deleted,
    ordered by hand, and belong to one company or, without a company, are
    shared by all. A model that requires a company says so on its own
    ``company_id``.

    A model with a ``code`` field gets its uniqueness per company among
    active records; one that overrides ``_get_name_search_domain`` is found by
    its code (or anything else) when a user types in a many2one."""

    _name = "logistics.exception.config.mixin"
    _description = "Logistics Exception Configuration Mixin"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)

    @api.constrains(
        lambda self: ("code", "company_id", "active") if "code" in self._fields else ()
    )
    def _check_code_unique(self):
        """An active record does not reuse the code of another active record of
        its company (shared records count as one more company)."""
        records = self.filtered("active")
        if not records:
            return
        others = (
            records.sudo()
            .with_context(active_test=True)
            .search(
                [("code", "in", records.mapped("code")), ("id", "not in", records.ids)]
            )
        )
        seen = {(rec.code, rec.company_id.id) for rec in others}
        for rec in records:
            key = (rec.code, rec.company_id.id)
            if key in seen:
                raise ValidationError(
                    _(
                        "The code %(code)s is already used by another %(model)s of "
                        "this company. Choose another code or archive the other "
                        "record.",
                        code=rec.code,
                        model=rec._description,
                    )
                )
            seen.add(key)

    @api.model
    def _name_search(self, name, domain=None, operator="ilike", limit=None, order=None):
        if name and operator in ("ilike", "=ilike", "like", "=like"):
            name_domain = self._get_name_search_domain(name, operator)
            if name_domain:
                domain = expression.AND([name_domain, domain])
                name = ""
        return super()._name_search(
            name, domain=domain, operator=operator, limit=limit, order=order
        )

    @api.model
    def _get_name_search_domain(self, name, operator):
        """What ``name``, typed in a many2one or the search box, matches: e.g.
        the exact code as well as the name. Empty: Odoo's search on the record
        name. Override me."""
        return []


class LogisticsExceptionDetectionCacheMixin(models.AbstractModel):
    """Configuration that detection reads from a cache on its hot paths (the
    active rules by detector, the categories by code): creating, deleting or
    changing one of ``_detection_cache_fields`` clears that cache."""

    _name = "logistics.exception.detection.cache.mixin"
    _description = "Logistics Exception Detection Cache Mixin"

    _detection_cache_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if vals.keys() & set(self._detection_cache_fields):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
