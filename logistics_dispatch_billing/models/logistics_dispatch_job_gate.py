# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

# States of a job that do not hold the billing of its order: a cancelled job
# is not billed; a failed job is billed through the job that re-plans it.
OPEN_STATES = ("draft", "planned", "in_transit")


class LogisticsDispatchJob(models.Model):
    """The invoice gate on jobs: what holds the billing of a job, and
    whether it is ready to be invoiced."""

    _inherit = "logistics.dispatch.job"

    billing_ready = fields.Boolean(
        string="Ready to Invoice",
        compute="_compute_billing_ready",
        search="_search_billing_ready",
        help="Delivered with its proof, not invoiced yet, no charge left to "
        "approve and no open exception holding its billing.",
    )
    billing_blocker = fields.Text(
        string="Not Ready Because",
        compute="_compute_billing_ready",
        help="What keeps the job from being invoiced.",
    )

    def _compute_billing_ready(self):
        blockers = self._get_billing_blockers()
        for job in self:
            reasons = [item["label"] for item in blockers.get(job, [])]
            if not reasons:
                if job.date_invoiced:
                    reasons.append(_("Invoiced already."))
                elif job.state == "cancelled":
                    reasons.append(_("Cancelled: nothing to invoice."))
                elif job.state == "failed":
                    reasons.append(_("Failed: billed through its re-planned job."))
                elif not job.sale_id:
                    reasons.append(
                        _("No sales order: invoice this job by hand if it is billed.")
                    )
            job.billing_ready = not reasons
            job.billing_blocker = "\n".join(reasons)

    def _search_billing_ready(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(_("Unsupported search on Ready to Invoice."))
        candidates = self.search(
            [
                ("state", "=", "delivered"),
                ("date_invoiced", "=", False),
                ("sale_id", "!=", False),
            ]
        )
        blocked = candidates._get_billing_blockers()
        ready = candidates.filtered(lambda job: job not in blocked)
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", ready.ids)]

    def _get_billing_blockers(self):
        """What holds the billing of each of these jobs, as {job: [blocker]}
        (blockers as in ``account.move._get_logistics_billing_blockers``):
        a job not delivered with its proof of delivery (a delivered job has
        its POD: delivering without it is refused), a failed job nobody
        re-planned, a charge still to approve, an open exception that holds
        billing on the job or its sales order. Three queries, whatever the
        number of jobs."""
        if not self:
            return {}
        # sudo: billing users do not see the logistics queues, dispatchers
        # read charges but drivers do not; only labels are disclosed, for
        # jobs the user reads already.
        jobs = self.sudo()
        charges = (
            self.env["logistics.dispatch.charge"]
            .sudo()
            .search([("job_id", "in", jobs.ids), ("state", "=", "draft")])
        )
        held_companies = jobs.company_id.filtered("logistics_billing_hold")
        exceptions = self.env["logistics.exception"].browse()
        if held_companies:
            exceptions = (
                self.env["logistics.exception"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("billing_hold", "=", True),
                        ("is_open", "=", True),
                        ("company_id", "in", held_companies.ids),
                        "|",
                        ("dispatch_job_id", "in", jobs.ids),
                        ("sale_id", "in", jobs.sale_id.ids),
                    ]
                )
            )
        charges_of = {}
        for charge in charges:
            charges_of.setdefault(charge.job_id.id, []).append(charge)
        states = dict(self._fields["state"]._description_selection(self.env))
        result = {}
        for job in jobs:
            items = []
            if job.state in OPEN_STATES:
                items.append(
                    {
                        "kind": "job",
                        "record": job,
                        "label": _(
                            "Job %(job)s is not delivered yet (%(state)s).",
                            job=job.name,
                            state=states[job.state],
                        ),
                        "threads": [job],
                    }
                )
            elif job.state == "failed" and not job.replan_job_ids:
                items.append(
                    {
                        "kind": "job",
                        "record": job,
                        "label": _(
                            "Delivery of job %(job)s failed and it is not re-planned.",
                            job=job.name,
                        ),
                        "threads": [job],
                    }
                )
            items.extend(
                {
                    "kind": "charge",
                    "record": charge,
                    "label": _(
                        "Charge %(charge)s of job %(job)s is still to approve.",
                        charge=charge.name,
                        job=job.name,
                    ),
                    "threads": [job],
                }
                for charge in charges_of.get(job.id, [])
            )
            if job.state != "cancelled":
                items.extend(
                    {
                        "kind": "exception",
                        "record": exception,
                        "label": _(
                            "Exception %(exception)s holds billing.",
                            exception=exception.display_name,
                        ),
                        "threads": [exception, job],
                    }
                    for exception in exceptions
                    if exception.company_id == job.company_id
                    and (
                        exception.dispatch_job_id == job
                        or (job.sale_id and exception.sale_id == job.sale_id)
                    )
                )
            if items:
                result[self.browse(job.id)] = items
        return result

    @api.model
    def _billing_blockers_by_order(self, orders):
        """{order: [blocker]} for the dispatch jobs of ``orders`` (each
        blocker once). Orders without jobs are left out."""
        jobs = self.sudo().search([("sale_id", "in", orders.ids)])
        job_blockers = jobs._get_billing_blockers()
        result = {}
        for job in jobs:
            order = orders.browse(job.sale_id.id)
            items = result.setdefault(order, [])
            self._merge_billing_blockers(items, job_blockers.get(job, []))
        return result

    @api.model
    def _merge_billing_blockers(self, items, new_items):
        """Add ``new_items`` to the blocker list ``items`` in place, each
        blocking record once (the chatters to tell of an override joined)."""
        known = {(item["record"]._name, item["record"].id): item for item in items}
        for new in new_items:
            key = (new["record"]._name, new["record"].id)
            item = known.get(key)
            if item is None:
                item = known[key] = dict(new, threads=list(new["threads"]))
                items.append(item)
            else:
                item["threads"] = item.get("threads", []) + [
                    t for t in new["threads"] if t not in item.get("threads", [])
                ]
        return items
