# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools.misc import format_amount, format_datetime

_logger = logging.getLogger(__name__)

GROUP_MANAGER = "logistics_exception.logistics_exception_group_manager"
DIGEST_DAYS = 7
# The longest lists a digest shows; the links open the rest.
DIGEST_LIST_LIMIT = 20


class LogisticsExceptionWeeklyDigest(models.AbstractModel):
    """The weekly email of the exception managers: the week's figures, the
    breaches open now and the process reviews opened. Each manager's figures
    are read as that manager, so record rules decide what they contain. The
    mails are queued (mail.mail), sent by the mail queue."""

    _name = "logistics.exception.weekly.digest"
    _description = "Logistics Exception Weekly Digest"

    @api.model
    def _cron_send_weekly_digest(self):
        managers = self._get_recipients()
        mail_vals = []
        for user in managers:
            if not user.email:
                _logger.warning(
                    "Weekly logistics exception digest of %s not sent: no email "
                    "address.",
                    user.login,
                )
                continue
            vals = self._prepare_mail_vals(user)
            if vals:
                mail_vals.append(vals)
        # sudo: the system queues the mails of every manager.
        return self.env["mail.mail"].sudo().create(mail_vals)

    @api.model
    def _get_recipients(self):
        """Active internal users who manage exceptions and did not turn the
        digest off. Override me."""
        group = self.env.ref(GROUP_MANAGER)
        return group.users.filtered(
            lambda user: (
                user.active
                and not user.share
                and user.logistics_exception_weekly_digest
            )
        )

    @api.model
    def _get_period(self):
        end = fields.Datetime.now()
        return end - timedelta(days=DIGEST_DAYS), end

    @api.model
    def _get_digest_values(self, user):
        """What the digest of ``user`` says, read as that user in all their
        companies. Falsy when there is nothing to tell."""
        env = (
            self.with_user(user)
            .with_context(
                allowed_company_ids=user.company_ids.ids,
                lang=user.lang or self.env.lang,
                tz=user.tz,
            )
            .env
        )
        exceptions = env["logistics.exception"]
        start, end = self._get_period()
        period = [("date_detected", ">=", start), ("date_detected", "<=", end)]
        resolved_domain = [
            ("date_resolved", ">=", start),
            ("date_resolved", "<=", end),
        ]
        breached_domain = [("is_open", "=", True), ("sla_status", "=", "breached")]
        review_category = env["logistics.exception.category"]._get_review_category()
        compliance = env["logistics.exception.dashboard"]._get_sla_compliance(
            period, end
        )
        [[resolution_hours]] = exceptions._read_group(
            resolved_domain, aggregates=["resolution_hours:avg"]
        )
        costs = env["logistics.exception.cost"]._read_group(
            [
                ("date", ">=", fields.Date.context_today(exceptions, start)),
                ("date", "<=", fields.Date.context_today(exceptions, end)),
            ],
            groupby=["company_id"],
            aggregates=["amount:sum"],
        )
        reviews = (
            exceptions.search(
                [*period, ("category_id", "=", review_category.id)],
                order="date_detected desc",
            )
            if review_category
            else exceptions
        )
        values = {
            "new_count": exceptions.search_count(period),
            "resolved_count": exceptions.search_count(resolved_domain),
            "open_count": exceptions.search_count([("is_open", "=", True)]),
            "breached_count": exceptions.search_count(breached_domain),
            "sla_compliance": compliance["value"],
            "resolution_hours": round(resolution_hours or 0.0, 1),
            "costs": [
                format_amount(env, amount, company.currency_id)
                for company, amount in costs
                if amount
            ],
            "breaches": exceptions.search(
                breached_domain, order="sla_deadline", limit=DIGEST_LIST_LIMIT
            ),
            "reviews": reviews,
        }
        if not any(
            values[key]
            for key in ("new_count", "resolved_count", "open_count", "reviews")
        ):
            return {}
        values.update(
            {
                "env": env,
                "user": user,
                "start": format_datetime(env, start, tz=user.tz or "UTC"),
                "end": format_datetime(env, end, tz=user.tz or "UTC"),
                "link": lambda record: record._notify_get_action_link("view"),
                "list_limit": DIGEST_LIST_LIMIT,
            }
        )
        return values

    @api.model
    def _prepare_mail_vals(self, user):
        values = self._get_digest_values(user)
        if not values:
            return {}
        env = values["env"]
        company = user.company_id
        body = env["ir.qweb"]._render(
            "logistics_exception_dashboard.logistics_exception_weekly_digest_email",
            {**values, "company": company},
            minimal_qcontext=True,
        )
        return {
            # _() reads the language of the environment: the user's.
            "subject": self.with_env(env)._get_subject(values),
            "body_html": body,
            "email_from": company.email_formatted or self.env.user.email_formatted,
            "author_id": company.partner_id.id,
            "recipient_ids": [fields.Command.link(user.partner_id.id)],
            "auto_delete": True,
            "is_notification": True,
        }

    @api.model
    def _get_subject(self, values):
        return _(
            "Logistics exceptions this week: %(new)s new, %(resolved)s resolved, "
            "%(breached)s breached",
            new=values["new_count"],
            resolved=values["resolved_count"],
            breached=values["breached_count"],
        )
