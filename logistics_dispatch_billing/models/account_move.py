# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from PyPDF2.errors import PdfReadError

from odoo import Command, _, api, fields, models
from odoo.exceptions import RedirectWarning, UserError

from .logistics_dispatch_job import EVENT_VENDOR_BILLED

_logger = logging.getLogger(__name__)

# Up to this many jobs, an invoice gets their proofs of delivery as it is
# posted; beyond, a scheduled job makes the PDF right after.
POD_INLINE_LIMIT = 50


class AccountMove(models.Model):
    """The invoice gate: a customer invoice of sales orders with dispatch
    jobs is posted only when the service is proven (every job delivered
    with its POD, no charge left to approve, no exception holding billing).
    The blockers join the core's billing holds: one refusal lists them all,
    one override (a Finance manager, with a reason) lifts them."""

    _inherit = "account.move"

    dispatch_pod_pending = fields.Boolean(
        string="Proofs of Delivery to Attach",
        copy=False,
        readonly=True,
        groups="account.group_account_invoice",
        help="Posted with many dispatch jobs: their proofs of delivery are "
        "attached by a scheduled job right after the posting.",
    )

    def _get_logistics_billing_blockers(self):
        blockers = super()._get_logistics_billing_blockers()
        invoices = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "draft"
                and not m.logistics_billing_hold_override_uid
            )
        )
        if not invoices:
            return blockers
        orders_of = {inv: inv._get_dispatch_billed_orders() for inv in invoices}
        orders = self.env["sale.order"].union(*orders_of.values())
        if not orders:
            return blockers
        by_order = self.env["logistics.dispatch.job"]._billing_blockers_by_order(orders)
        Job = self.env["logistics.dispatch.job"]
        for invoice, inv_orders in orders_of.items():
            items = blockers.get(invoice, [])
            for order in inv_orders:
                Job._merge_billing_blockers(items, by_order.get(order, []))
            if items:
                blockers[invoice] = items
        return blockers

    @api.model
    def _get_logistics_billing_advice(self, kinds):
        advice = super()._get_logistics_billing_advice(kinds)
        if "job" in kinds:
            advice.append(_("Deliver the jobs with their proof (or cancel them). "))
        if "charge" in kinds:
            advice.append(_("Approve or reject the charges. "))
        return advice

    def action_post(self):
        # The button: the refusal opens the blocking jobs. Other ways of
        # posting (the auto-post cron, code) get the core's UserError from
        # _post, which they know how to handle.
        if not self._logistics_billing_gate_skipped():
            blockers = self._get_logistics_billing_blockers()
            if blockers:
                raise self._get_logistics_billing_redirect(blockers)
        return super().action_post()

    def _get_logistics_billing_redirect(self, blockers):
        """With dispatch jobs among the blockers, the refusal has a button
        that opens the jobs that block (each shows why, its charges and its
        exceptions): the error dialog shows plain text, not links."""
        error = self._get_logistics_billing_error(blockers)
        jobs = self.env["logistics.dispatch.job"]
        for items in blockers.values():
            for item in items:
                for thread in item.get("threads", []):
                    if thread._name == jobs._name:
                        jobs |= thread
        if not jobs or not self.env["logistics.dispatch.job"].check_access_rights(
            "read", raise_exception=False
        ):
            return error
        action = {
            "type": "ir.actions.act_window",
            "name": _("Jobs Blocking the Invoice"),
            "res_model": "logistics.dispatch.job",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", jobs.ids)],
            "context": {"create": False},
        }
        return RedirectWarning(error.args[0], action, _("Show Blocking Jobs"))

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda m: m.move_type == "out_invoice")._link_dispatch_jobs()
        posted._sync_dispatch_charges()
        posted._clear_subcontract_flags()
        return posted

    def _get_dispatch_billed_orders(self):
        """The sales orders whose service this invoice bills: a down payment
        bills no service yet, the gate does not hold it."""
        self.ensure_one()
        return self.line_ids.sale_line_ids.filtered(
            lambda line: not line.is_downpayment
        ).order_id

    def button_draft(self):
        result = super().button_draft()
        self._sync_dispatch_charges()
        self._unlink_dispatch_jobs()
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self._sync_dispatch_charges()
        self._unlink_dispatch_jobs()
        return result

    def _unlink_dispatch_jobs(self):
        """An invoice reset to draft or cancelled no longer bills its jobs:
        they are invoiced again only while another posted invoice bills
        them (and back on the completed-but-unbilled board otherwise)."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return
        # sudo: whoever resets the invoice undoes the links posting made.
        jobs = (
            self.env["logistics.dispatch.job"]
            .sudo()
            .search([("invoice_ids", "in", invoices.ids)])
        )
        for job in jobs:
            remaining = job.invoice_ids.filtered(
                lambda m: m not in invoices and m.state == "posted"
            )
            vals = {"invoice_ids": [Command.set(remaining.ids)]}
            if not remaining:
                vals["date_invoiced"] = False
            job.write(vals)

    def _sync_dispatch_charges(self):
        """Dispatch charges follow the customer invoices that bill their
        sales order lines: invoiced when posted, approved again when reset
        or cancelled."""
        sale_lines = self.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund")
        ).invoice_line_ids.sale_line_ids
        if not sale_lines:
            return
        # sudo: whoever posts the invoice moves the state of the charges it
        # bills, without rights on dispatch charges.
        charges = (
            self.env["logistics.dispatch.charge"]
            .sudo()
            .search([("sale_line_id", "in", sale_lines.ids)])
        )
        charges._sync_invoiced_state()

    def _clear_subcontract_flags(self):
        """A posted vendor bill of a subcontracted job's purchase line
        answers its "no vendor bill" flag."""
        bills = self.filtered(lambda m: m.move_type == "in_invoice")
        lines = bills.invoice_line_ids.purchase_line_id
        engine = self.env["logistics.exception.engine"]
        if lines and engine._listens(EVENT_VENDOR_BILLED):
            # sudo: the accountant posting the bill may not read dispatch
            # jobs; the engine only clears the flags the bill answers.
            jobs = (
                self.env["logistics.dispatch.job"]
                .sudo()
                .search([("purchase_line_id", "in", lines.ids)])
            )
            engine._dispatch(EVENT_VENDOR_BILLED, jobs)

    def _link_dispatch_jobs(self):
        """Posted customer invoices bill the jobs of their orders: the jobs
        list them, date their first invoicing and the invoices get the
        proofs of delivery."""
        if not self:
            return
        orders_of = {inv: inv._get_dispatch_billed_orders() for inv in self}
        orders = self.env["sale.order"].union(*orders_of.values())
        if not orders:
            return
        # sudo: billing users read jobs but do not write them; the links are
        # what they post. A job not delivered yet is billed too when a
        # Finance manager overrode the gate (billed in advance: the order's
        # service is invoiced).
        jobs = (
            self.env["logistics.dispatch.job"]
            .sudo()
            .search([("sale_id", "in", orders.ids), ("state", "!=", "cancelled")])
        )
        if not jobs:
            return
        now = fields.Datetime.now()
        report = self.env.ref(
            "logistics_dispatch_billing.logistics_dispatch_job_report_pod"
        )
        for invoice, inv_orders in orders_of.items():
            inv_jobs = jobs.filtered(lambda j, o=inv_orders: j.sale_id in o)
            if not inv_jobs:
                continue
            inv_jobs.write({"invoice_ids": [Command.link(invoice.id)]})
            inv_jobs.filtered(lambda j: not j.date_invoiced).write(
                {"date_invoiced": now}
            )
            delivered = inv_jobs.filtered(lambda j: j.state == "delivered")
            if len(delivered) > POD_INLINE_LIMIT:
                # A long document: made by the scheduled job right after,
                # not while the billing clerk waits for the posting.
                invoice.sudo().dispatch_pod_pending = True
            else:
                invoice._attach_dispatch_pod(report, delivered)
        if any(self.sudo().mapped("dispatch_pod_pending")):
            self.env.ref(
                "logistics_dispatch_billing.ir_cron_dispatch_attach_pod"
            )._trigger()

    @api.model
    def _cron_attach_dispatch_pod(self, limit=5):
        """Attach the proofs of delivery of the posted invoices that bill
        many jobs, a few per run: the job runs again at once while some are
        left (a failing PDF is noted on its invoice, never retried)."""
        invoices = self.search(
            [("dispatch_pod_pending", "=", True), ("state", "=", "posted")],
            limit=limit,
        )
        report = self.env.ref(
            "logistics_dispatch_billing.logistics_dispatch_job_report_pod"
        )
        for invoice in invoices:
            jobs = (
                self.env["logistics.dispatch.job"]
                .sudo()
                .search(
                    [("invoice_ids", "in", invoice.ids), ("state", "=", "delivered")]
                )
            )
            invoice._attach_dispatch_pod(report, jobs)
            invoice.dispatch_pod_pending = False
        if len(invoices) == limit:
            self.env.ref(
                "logistics_dispatch_billing.ir_cron_dispatch_attach_pod"
            )._trigger()

    def _attach_dispatch_pod(self, report, jobs):
        """Attach the proofs of delivery of ``jobs`` to the invoice, as one
        PDF. A PDF that cannot be made (no PDF engine, a broken layout) does
        not stop the invoice: the invoice says so in its chatter."""
        self.ensure_one()
        name = _(
            "Proof of Delivery - %(invoice)s.pdf",
            invoice=(self.name or "").replace("/", "-"),
        )
        Attachment = self.env["ir.attachment"].sudo()
        if not jobs or Attachment.search_count(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "=", name),
            ]
        ):
            # Posted again after a reset to draft: the proofs are there.
            return
        try:
            with self.env.cr.savepoint():
                pdf, _report_type = (
                    self.env["ir.actions.report"]
                    .sudo()
                    ._render_qweb_pdf(report, res_ids=jobs.ids)
                )
        except (UserError, OSError, PdfReadError) as error:
            _logger.warning(
                "Proofs of delivery of %s not attached: %s", self.name, error
            )
            self._message_log(
                body=_(
                    "The proofs of delivery of %(jobs)s could not be attached: "
                    "%(error)s. Print them from the jobs.",
                    jobs=", ".join(jobs.mapped("name")),
                    error=error,
                )
            )
            return
        Attachment.create(
            {
                "name": name,
                "type": "binary",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
