# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models

REPORT = "logistics.dispatch.job.report"
# The order of the section's tiles.
DISPATCH_TILES = (
    "dispatch_unbilled",
    "dispatch_invoice_cycle",
    "dispatch_pod_compliance",
    "dispatch_accessorial_revenue",
    "dispatch_disputes",
    "dispatch_margin",
)


class LogisticsExceptionDashboard(models.AbstractModel):
    _inherit = "logistics.exception.dashboard"

    @api.model
    def get_dashboard_data(self, filters=None):
        """Add the "Dispatch to cash" section (``dispatch``) for the users
        who may read the dispatch figures."""
        data = super().get_dashboard_data(filters)
        section = self._get_dispatch_section(data["filters"])
        if section:
            data["dispatch"] = section
        return data

    @api.model
    def _get_dispatch_section(self, filters):
        """Tiles of the dispatch-to-cash figures in the period, companies and
        warehouse of ``filters`` (parsed; the team filter does not apply to
        jobs), or None when the user reads no figures."""
        Report = self.env[REPORT]
        if not Report.check_access_rights("read", raise_exception=False):
            return None
        now = fields.Datetime.now()
        start = now - timedelta(days=filters["period"])
        figures = Report._get_dispatch_figures(
            start,
            company_ids=filters["company_ids"],
            warehouse_id=filters["warehouse_id"],
        )
        tiles = {
            "dispatch_invoice_cycle": self._dispatch_invoice_cycle_tile(figures),
            "dispatch_unbilled": self._dispatch_unbilled_tile(figures),
            "dispatch_pod_compliance": self._dispatch_pod_tile(figures),
            "dispatch_accessorial_revenue": self._dispatch_accessorial_tile(figures),
            "dispatch_disputes": self._dispatch_disputes_tile(filters, start),
            "dispatch_margin": self._dispatch_margin_tile(figures),
        }
        return {
            "title": _("Dispatch to cash"),
            "tiles": [tiles[key] for key in DISPATCH_TILES if tiles.get(key)],
        }

    # ------------------------------------------------------------------
    # Tiles
    # ------------------------------------------------------------------
    @api.model
    def _dispatch_invoice_cycle_tile(self, figures):
        figure = figures["invoice_cycle"]
        return {
            "key": "dispatch_invoice_cycle",
            "title": _("Invoice cycle"),
            "value": figure["value"],
            "unit": "days",
            "lower_is_better": True,
            "detail": _("%(count)s jobs invoiced", count=figure["count"]),
            "action": self._action(
                _("Jobs invoiced in the period"), figure["domain"], model=REPORT
            ),
        }

    @api.model
    def _dispatch_unbilled_tile(self, figures):
        figure = figures["unbilled"]
        action = self._action(
            _("Completed but unbilled jobs"), figure["domain"], model=REPORT
        )
        return {
            "key": "dispatch_unbilled",
            "title": _("Completed but unbilled"),
            "value": figure["count"],
            "unit": "count",
            "alert": True,
            "action": action,
            "segments": [
                {
                    "key": "value",
                    "label": _("Value"),
                    "value": figure["value"],
                    "unit": "money",
                    "action": action,
                }
            ],
        }

    @api.model
    def _dispatch_pod_tile(self, figures):
        figure = figures["pod_compliance"]
        return {
            "key": "dispatch_pod_compliance",
            "title": _("POD compliance"),
            "value": figure["value"],
            "unit": "percent",
            "detail": _(
                "%(compliant)s of %(count)s delivered jobs",
                compliant=figure["compliant"],
                count=figure["count"],
            ),
            "action": self._action(
                _("Jobs delivered in the period"), figure["domain"], model=REPORT
            ),
        }

    @api.model
    def _dispatch_accessorial_tile(self, figures):
        figure = figures["accessorial_revenue"]
        return {
            "key": "dispatch_accessorial_revenue",
            "title": _("Accessorial revenue"),
            "value": figure["value"],
            "unit": "money",
            "action": self._action(
                _("Jobs with approved or invoiced charges"),
                figure["domain"],
                model=REPORT,
            ),
        }

    @api.model
    def _dispatch_margin_tile(self, figures):
        figure = figures["margin"]
        action = self._action(
            _("Margin of the jobs delivered in the period"),
            figure["domain"],
            model=REPORT,
        )
        return {
            "key": "dispatch_margin",
            "title": _("Margin"),
            "value": figure["value"],
            "unit": "money",
            "action": action,
            "segments": [
                {
                    "key": key,
                    "label": label,
                    "value": figure[key],
                    "unit": "money",
                    "action": action,
                }
                for key, label in (
                    ("per_job", _("Per job")),
                    ("revenue", _("Revenue")),
                    ("cost", _("Subcontract cost")),
                )
            ],
        }

    @api.model
    def _get_dispatch_disputes_domain(self, filters, start):
        """Posted credit notes of the period linked to an exception of a
        dispatch job."""
        domain = [
            ("company_id", "in", filters["company_ids"]),
            ("move_type", "=", "out_refund"),
            ("state", "=", "posted"),
            ("invoice_date", ">=", start.date()),
            ("logistics_exception_id.dispatch_job_id", "!=", False),
        ]
        if filters["warehouse_id"]:
            domain.append(
                ("logistics_exception_id.warehouse_id", "=", filters["warehouse_id"])
            )
        return domain

    @api.model
    def _dispatch_disputes_tile(self, filters, start):
        Move = self.env["account.move"]
        if not (
            Move.check_access_rights("read", raise_exception=False)
            and self.env.user.has_group(
                "logistics_exception.logistics_exception_group_user"
            )
        ):
            return None
        domain = self._get_dispatch_disputes_domain(filters, start)
        groups = Move._read_group(
            domain, ["company_id"], ["__count", "amount_untaxed_signed:sum"]
        )
        count = sum(group_count for _company, group_count, _amount in groups)
        amount = self._convert_amounts(
            {company.id: -(total or 0.0) for company, _count, total in groups}
        )
        action = self._action(
            _("Credit notes of dispatch exceptions"),
            domain,
            model="account.move",
        )
        action["context"] = {"create": False, "default_move_type": "out_refund"}
        action["views"] = [
            [self.env.ref("account.view_out_invoice_tree").id, "list"],
            [False, "form"],
        ]
        return {
            "key": "dispatch_disputes",
            "title": _("Disputes"),
            "value": count,
            "unit": "count",
            "alert": True,
            "action": action,
            "segments": [
                {
                    "key": "amount",
                    "label": _("Credited"),
                    "value": amount,
                    "unit": "money",
                    "action": action,
                }
            ],
        }
