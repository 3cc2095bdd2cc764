# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LogisticsDispatchZone(models.Model):
    """A delivery zone: where a job goes, and the origin or destination of a
    rate card's lane."""

    _name = "logistics.dispatch.zone"
    _description = "Dispatch Zone"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code printed on dispatch documents.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    description = fields.Text(translate=True)
    country_id = fields.Many2one(
        "res.country",
        string="Country",
        help="The zip prefixes are read for addresses in this country only "
        "(empty: any country).",
    )
    zip_prefixes = fields.Char(
        string="Zip Prefixes",
        help="Delivery addresses whose zip code starts with one of these "
        "prefixes (separated by commas or spaces, e.g. 75, 77, 78 or SW1 SW3) "
        "are in this zone: jobs going there get it. The longest matching "
        "prefix wins; a zone set on the address itself beats them all.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "A zone with this code already exists in this company.",
        ),
    ]

    @api.constrains("zip_prefixes")
    def _check_zip_prefixes(self):
        for zone in self:
            bad = [
                prefix
                for prefix in zone._get_zip_prefixes()
                if not re.fullmatch(r"[0-9A-Z-]+", prefix)
            ]
            if bad:
                raise ValidationError(
                    _(
                        "Zone %(zone)s: %(prefixes)s is not a zip prefix (letters, "
                        "digits and dashes; separate prefixes with commas).",
                        zone=zone.display_name,
                        prefixes=", ".join(bad),
                    )
                )

    def _get_zip_prefixes(self):
        self.ensure_one()
        return [
            prefix.upper()
            for prefix in re.split(r"[,;\s]+", self.zip_prefixes or "")
            if prefix
        ]

    @api.model
    def _find_zones(self, addresses, company):
        """{address: zone} of the delivery ``addresses`` in ``company``'s
        zones: the zone set on the address (or its company) for this company,
        else the zone with the longest zip prefix the address's zip starts
        with (in the zone's country, if it has one). Addresses in no zone are
        left out. One query for all."""
        found = {}
        rest = self.env["res.partner"]
        for address in addresses.with_company(company):
            zone = (
                address.dispatch_zone_id
                or address.commercial_partner_id.dispatch_zone_id
            )
            if zone:
                found[address] = zone
            else:
                rest |= address
        rest = rest.filtered("zip")
        if not rest:
            return found
        zones = self.search(
            [("company_id", "=", company.id), ("zip_prefixes", "!=", False)]
        )
        prefixes = [
            (prefix, zone) for zone in zones for prefix in zone._get_zip_prefixes()
        ]
        for address in rest:
            zip_code = re.sub(r"\s+", "", address.zip).upper()
            matches = [
                # Longest prefix, then a zone of the country, then the order.
                ((len(prefix), bool(zone.country_id), -index), zone)
                for index, (prefix, zone) in enumerate(prefixes)
                if zip_code.startswith(prefix)
                and zone.country_id in (address.country_id, zone.country_id.browse())
            ]
            if matches:
                found[address] = max(matches, key=lambda match: match[0])[1]
        return found
