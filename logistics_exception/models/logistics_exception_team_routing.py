from odoo import fields, models
from odoo.tools import SQL

GROUP_USER = "logistics_exception.logistics_exception_group_user"


class LogisticsExceptionTeamRouting(models.Model):
    _inherit = "logistics.exception.team"

    routing_last_user_id = fields.Many2one(
        "res.users",
        string="Last Member Given Work",
        readonly=True,
        copy=False,
        help="Routing rules that hand the team's work out in turn start after "
        "this member.",
    )
    date_last_routed = fields.Datetime(readonly=True, copy=False)

    def _get_routing_members(self):
        """Members who may be given work, in the order they take turns."""
        self.ensure_one()
        return self.member_ids.filtered(
            lambda u: (
                u.active
                and not u.share
                and self.company_id in u.company_ids
                and u.has_group(GROUP_USER)
            )
        ).sorted("id")

    def _lock_for_routing(self):
        """Lock the teams' rows and stamp them: a concurrent transaction that
        routes to one of them waits, then fails to serialize (it is retried)."""
        self.env.cr.execute(
            SQL(
                "UPDATE %(table)s SET date_last_routed = %(now)s WHERE id IN "
                "(SELECT id FROM %(table)s WHERE id IN %(ids)s ORDER BY id "
                "FOR NO KEY UPDATE)",
                table=SQL.identifier(self._table),
                now=fields.Datetime.now(),
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset(["date_last_routed"])
