"""The detection engine: the one place that runs detectors and turns what
they find into exceptions.

Flows fire events (``picking_done``, ``order_confirmed``, ``invoice_posted``,
...) with :meth:`LogisticsExceptionEngine._dispatch`; the scheduled job runs
:meth:`LogisticsExceptionEngine._cron_scan`. A detector never creates or
resolves an exception itself: it returns values and the exceptions that no
longer hold, and the engine applies the source key, the rule, the root-cause
links and the self-resolution behaviour the same way for all.
"""

import logging
import time
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import _, api, models, tools

_logger = logging.getLogger(__name__)

# The event of the scheduled job: detectors clear what no longer holds.
SCAN = "scan"
# Chains of consequences: an open exception on the supply of a product (root)
# causes the shortages and the promises at risk on that product (symptoms).
ROOT_CAUSE_CATEGORIES = ("RECEIPT_DISCREPANCY", "SUPPLIER_DELAY")
SYMPTOM_CATEGORIES = ("STOCK_SHORTAGE", "URGENT_EXPEDITE")
# How long the scheduled job goes on from batch to batch before it hands over
# to a new run (seconds).
SCAN_TIME_BUDGET = 60.0


class DetectionEvent:
    """What happened: the event's ``name``, the ``records`` it is about and
    what the flow that fired it knows (``payload``). ``memo`` is a scratch
    dict the hooks of one detector share while the event is dispatched, so
    that its clear hook reuses what its detect hook computed."""

    __slots__ = ("memo", "name", "payload", "records")

    def __init__(self, name, records, payload=None):
        self.name = name
        self.records = records
        self.payload = payload or {}
        self.memo = {}

    def __repr__(self):
        return f"DetectionEvent({self.name!r}, {self.records!r})"


class LogisticsExceptionEngine(models.AbstractModel):
    _name = "logistics.exception.engine"
    _description = "Logistics Exception Detection Engine"

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------
    @api.model
    def _listens(self, event):
        """Whether an active rule listens to ``event`` (no query once cached):
        flows ask before they prepare what an event needs."""
        return bool(self.env["logistics.exception.rule"]._get_event_rule_ids(event))

    @api.model
    def _dispatch(self, event, records, **payload):
        """Run the detectors that listen to ``event`` on ``records``: raise
        what they detect, then resolve what they clear. Returns the open
        exceptions that stand for what they detected: new, or open already
        for the same source event (the flow may act on them)."""
        if not records:
            return self.env["logistics.exception"]
        runs = [
            (detector, rules, DetectionEvent(event, records, payload))
            for detector, rules in self.env[
                "logistics.exception.rule"
            ]._get_detector_rules(event)
        ]
        vals_list = []
        for detector, rules, detection in runs:
            vals_list += detector._detect(rules, detection)
        _raised, found = self._raise_found(vals_list)
        for detector, rules, detection in runs:
            self._resolve_cleared(detector._clear(rules, detection))
        return found

    # ------------------------------------------------------------------
    # Scheduled scan
    # ------------------------------------------------------------------
    @api.model
    def _cron_scan(self, batch_size=500, commit=False):
        """Run the scan of every active rule whose detector watches time
        passing, then let every detector clear what no longer holds.

        The batching contract: a detector's ``_scan`` returns the values of
        one batch of due documents and a cursor, or no cursor when nothing is
        left. With ``commit`` (the scheduled job), each batch is committed and
        the run goes on from the cursor for up to ``SCAN_TIME_BUDGET``
        seconds, then triggers the job again. Without it (a caller's own
        transaction), a rule stops after the first batch that raised
        exceptions: call again while it returns True. Batches that raise
        nothing are always skipped within the run. Documents that already
        have an exception of the rule are left out by the database, so a run
        where nothing changed reads nothing but the candidates queries.
        Returns whether work remains.
        """
        Rule = self.env["logistics.exception.rule"]
        deadline = time.monotonic() + (SCAN_TIME_BUDGET if commit else 0.0)
        remaining = False
        for detector, rules in Rule._get_detector_rules():
            for rule in rules:
                remaining |= self._scan_rule(
                    detector, rule, batch_size, commit, deadline
                )
        for detector, rules in Rule._get_detector_rules(SCAN):
            detection = DetectionEvent(
                SCAN, self.env["logistics.exception"], {"batch_size": batch_size}
            )
            self._resolve_cleared(detector._clear(rules, detection))
        if remaining:
            self.env.ref(
                "logistics_exception.ir_cron_logistics_exception_scan"
            )._trigger()
        return remaining

    @api.model
    def _scan_rule(self, detector, rule, batch_size, commit, deadline):
        """Scan the batches of ``rule`` until none is left or the run's time
        is up after a batch that raised exceptions. Returns whether work
        remains."""
        cursor = None
        while True:
            previous = cursor
            vals_list, cursor = detector._scan(rule, batch_size, cursor)
            if cursor is not None and cursor == previous:
                _logger.error(
                    "%s returned the cursor it was given: its scan stops.",
                    detector._name,
                )
                cursor = None
            raised = self._raise(vals_list)
            if commit:
                # Batch job designed for it: keep each batch's exceptions.
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if cursor is None:
                return False
            if raised and time.monotonic() >= deadline:
                return True

    # ------------------------------------------------------------------
    # Raising
    # ------------------------------------------------------------------
    @api.model
    def _raise(self, vals_list, once=False):
        """Create the exceptions of ``vals_list`` whose source event (company
        and ``source_key``) has no open exception (with ``once``: no exception
        at all, ever). Running a detector twice is harmless. Returns the new
        exceptions.

        Besides fields, values may carry directives:

        - ``log_on_open``: when an exception of the same rule is open on the
          same source document, post the summary in its chatter instead of
          raising another one (events that recur on a document: changes of an
          order, a vendor's date moving again).
        - ``parent_key``: the source key of the root cause, raised in the same
          call or open already: the new exception is linked as its
          consequence.
        - ``instead_of_rules``: rule ids; when an exception of one of them is
          open on the same source document, link that one to the root cause
          rather than raise a second exception about the same trouble.
        """
        return self._raise_found(vals_list, once=once)[0]

    @api.model
    def _raise_found(self, vals_list, once=False):
        """(new exceptions, exceptions that stand for ``vals_list``: the new
        ones and those open already for the same source event)."""
        vals_list = [dict(vals) for vals in vals_list if vals]
        Exception_ = self.env["logistics.exception"].sudo()
        if not vals_list:
            return Exception_, Exception_
        existing = self._open_by_key(vals_list, once)
        on_document = self._open_on_documents(vals_list)
        # Roots first, then what they cause: root causes raised in this call
        # are linked to their consequences like those open already.
        parent_keys = {vals.get("parent_key") for vals in vals_list}
        root_categories = self._get_category_ids(ROOT_CAUSE_CATEGORIES)
        roots, consequences = [], []
        for vals in vals_list:
            is_root = (
                vals["source_key"] in parent_keys
                or vals.get("category_id") in root_categories
            )
            (roots if is_root else consequences).append(vals)
        keys = [(vals["company_id"], vals["source_key"]) for vals in vals_list]
        raised = self._create_new(roots, existing, on_document)
        raised |= self._create_new(consequences, existing, on_document)
        found = Exception_.union(*(existing.get(key, Exception_) for key in keys))
        return raised, found

    @api.model
    def _open_by_key(self, vals_list, once):
        """{(company id, source key): exception} of the keys of ``vals_list``
        (the parents' too) that have an open exception (with ``once``: any)."""
        keys = {vals["source_key"] for vals in vals_list}
        keys.update(vals["parent_key"] for vals in vals_list if vals.get("parent_key"))
        domain = [("source_key", "in", list(keys))]
        if not once:
            domain.append(("is_open", "=", True))
        return {
            (exception.company_id.id, exception.source_key): exception
            for exception in self.env["logistics.exception"]
            .sudo()
            .with_context(active_test=False)
            .search(domain)
        }

    @api.model
    def _open_on_documents(self, vals_list):
        """{(rule id, source document): open exception} for the values that
        ask to log news on, or stand in for, an exception already open on
        their source document."""
        rule_ids = set()
        documents = set()
        for vals in vals_list:
            if vals.get("log_on_open"):
                rule_ids.add(vals["rule_id"])
                documents.add(vals["source_ref"])
            if vals.get("instead_of_rules"):
                rule_ids.update(vals["instead_of_rules"])
                documents.add(vals["source_ref"])
        if not rule_ids:
            return {}
        exceptions = (
            self.env["logistics.exception"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("rule_id", "in", list(rule_ids)),
                    ("source_ref", "in", list(documents)),
                    ("is_open", "=", True),
                ],
                order="date_detected desc, id desc",
            )
        )
        found = {}
        for exception in exceptions:
            document = f"{exception.source_ref._name},{exception.source_ref.id}"
            found.setdefault((exception.rule_id.id, document), exception)
        return found

    @api.model
    def _create_new(self, vals_list, existing, on_document):
        """Create the exceptions of ``vals_list`` the directives and the open
        ones leave to create; ``existing`` learns the new keys."""
        Exception_ = self.env["logistics.exception"].sudo()
        by_key = {key: exception for (_company, key), exception in existing.items()}
        to_create = []
        to_link = defaultdict(lambda: Exception_)
        for vals in vals_list:
            company_id = vals["company_id"]
            # A root may belong to another company (a purchase of a sister
            # company): the key alone names it.
            parent = by_key.get(vals.pop("parent_key", None))
            instead_of = vals.pop("instead_of_rules", ())
            if vals.pop("log_on_open", False):
                open_one = on_document.get((vals["rule_id"], vals["source_ref"]))
                if open_one:
                    open_one.message_post(
                        body=Markup("<p>%s</p>") % escape(vals["summary"]),
                        subtype_xmlid="mail.mt_note",
                    )
                    existing[company_id, vals["source_key"]] = open_one
                    continue
            if (company_id, vals["source_key"]) in existing:
                continue
            if parent:
                vals["parent_id"] = parent.id
            stand_in = next(
                (
                    on_document[rule_id, vals["source_ref"]]
                    for rule_id in instead_of
                    if (rule_id, vals["source_ref"]) in on_document
                ),
                None,
            )
            if stand_in:
                if parent and not stand_in.parent_id:
                    to_link[parent] |= stand_in
                existing[company_id, vals["source_key"]] = stand_in
                continue
            existing[company_id, vals["source_key"]] = Exception_
            to_create.append(vals)
        for parent, exceptions in to_link.items():
            exceptions.write({"parent_id": parent.id})
        if not to_create:
            return Exception_
        self._link_root_causes(to_create)
        exceptions = Exception_.create(to_create)
        for exception in exceptions:
            existing[exception.company_id.id, exception.source_key] = exception
        _logger.info(
            "Detection raised %d logistics exception(s): %s",
            len(exceptions),
            ", ".join(exceptions.mapped("name")),
        )
        return exceptions

    @api.model
    @tools.ormcache("codes")
    def _get_category_ids(self, codes):
        """Ids of the categories of ``codes`` (cached: categories clear the
        cache when their codes change)."""
        return tuple(
            self.env["logistics.exception.category"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(codes))])
            .ids
        )

    @api.model
    def _link_root_causes(self, vals_list):
        """A shortage or an order at risk on a product whose supply already
        has an open exception (a short or late receipt, a vendor delay) is a
        consequence of it: link it as such. Override me for other chains."""
        symptoms = self._get_category_ids(SYMPTOM_CATEGORIES)
        candidates = [
            vals
            for vals in vals_list
            if vals.get("product_id")
            and not vals.get("parent_id")
            and vals.get("category_id") in symptoms
        ]
        if not candidates:
            return
        roots = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("is_open", "=", True),
                    (
                        "category_id",
                        "in",
                        self._get_category_ids(ROOT_CAUSE_CATEGORIES),
                    ),
                    ("product_id", "in", [vals["product_id"] for vals in candidates]),
                ],
                order="date_detected desc, id desc",
            )
        )
        latest = {}
        for root in roots:
            latest.setdefault((root.company_id.id, root.product_id.id), root)
        for vals in candidates:
            root = latest.get((vals["company_id"], vals["product_id"]))
            if root:
                vals["parent_id"] = root.id

    # ------------------------------------------------------------------
    # Clearing
    # ------------------------------------------------------------------
    @api.model
    def _resolve_cleared(self, cleared):
        """``cleared``: (exceptions, message) pairs whose condition has cleared
        by itself. Resolve them, saying why and telling their owner; where the
        category requires a root cause or evidence, ask the owner to confirm
        instead. Exceptions closed meanwhile, or reported by a person, are
        left alone."""
        for exceptions, message in cleared:
            exceptions = exceptions.sudo().filtered(
                lambda e: e.is_open and e.detected_by == "rule"
            )
            if exceptions:
                self._resolve(exceptions, message)

    @api.model
    def _resolve(self, exceptions, message):
        """Resolve what cleared by itself; ask a person to confirm where the
        category wants a root cause, evidence or its playbook's required steps
        done first."""
        needs_cause = exceptions.filtered(
            lambda e: (
                (e.category_id.requires_root_cause and not e.root_cause_id)
                or e.category_id.requires_evidence
            )
        )
        demanding = (exceptions - needs_cause).filtered(
            "category_id.requires_playbook_done"
        )
        if demanding:
            # sudo: the steps may be assigned to anyone.
            with_open_steps = {
                res_id
                for res_id, _count in self.env["mail.activity"]
                .sudo()
                ._read_group(
                    [
                        ("res_model", "=", exceptions._name),
                        ("res_id", "in", demanding.ids),
                        ("logistics_required", "=", True),
                    ],
                    groupby=["res_id"],
                    aggregates=["__count"],
                )
            }
            needs_cause |= demanding.filtered(lambda e: e.id in with_open_steps)
        resolvable = exceptions - needs_cause
        body = Markup("<p>%s</p>") % escape(message)
        for exception in resolvable:
            exception.message_post(body=body, subtype_xmlid="mail.mt_note")
        resolvable.with_context(logistics_exception_auto=True).write(
            {"state": "resolved"}
        )
        # Whoever answers for it is told (at once or in their digest): the
        # owner, else the team leader, the escalation contact, a manager.
        told = {}
        for exception, user in resolvable._get_responsible_users().items():
            told.setdefault(user, resolvable.browse())
            told[user] |= exception
        for user, records in told.items():
            records._notify_logistics_users(user, "cleared", message)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        responsible = needs_cause._get_responsible_users()
        for exception in needs_cause:
            exception.message_post(body=body, subtype_xmlid="mail.mt_note")
            user = responsible.get(exception)
            if not user:
                continue
            already = exception.activity_ids.filtered(
                lambda a, u=user: a.activity_type_id == activity_type and a.user_id == u
            )
            if not already:
                # The activity's notice counts as the "cleared" event.
                exception.with_context(
                    logistics_exception_notify_event="cleared"
                ).activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=_("Confirm the resolution"),
                    note=_(
                        "%(message)s Check what the category asks (root cause, "
                        "evidence, playbook steps) and resolve the exception.",
                        message=message,
                    ),
                )
