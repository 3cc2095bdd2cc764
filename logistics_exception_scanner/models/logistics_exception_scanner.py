# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii
import re
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, html2plaintext, plaintext2html

from odoo.addons.logistics_exception.models.logistics_exception import (
    CLOSED_STATES,
    TRANSITIONS,
)

# The documents a handheld scans, in the order a reference is looked up.
DOCUMENT_MODELS = ("stock.picking", "purchase.order", "sale.order")
PICKING_KINDS = {"incoming": "receipt", "outgoing": "delivery", "internal": "internal"}
DEVICE_UUID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
MAX_BARCODE = 128
MAX_NOTE = 4000
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# A quantity this many times the document's is a typing or scanning slip.
ABSURD_FACTOR = 10
MAX_QUANTITY = 1e7
# How long a report may have waited on a device without network.
MAX_OFFLINE_DAYS = 14
# Most urgent first in "My queue".
SLA_URGENCY = {"breached": 0, "at_risk": 1, "on_track": 2, "paused": 3}


class LogisticsExceptionScanner(models.AbstractModel):
    """What the handheld Exception Scanner asks the server.

    Every method runs under the user's own rights (the ORM service calls them
    as any model method): what the user cannot read is reported as not found,
    and what the user may not do is refused with a sentence the screen shows as
    it is. No method changes anything when it refuses.
    """

    _name = "logistics.exception.scanner"
    _description = "Logistics Exception Scanner"

    # ------------------------------------------------------------------
    # Session
    # ------------------------------------------------------------------
    @api.model
    def load_session(self):
        self._check_scanner_user()
        Exception_ = self.env["logistics.exception"]
        return {
            "user_name": self.env.user.name,
            "company_name": self.env.company.name,
            "can_report": Exception_.check_access_rights("create", False),
            "uses_locations": self._uses_locations(),
            "max_photo_bytes": MAX_PHOTO_BYTES,
            "max_photos": MAX_PHOTOS,
            "queue_count": Exception_.search_count(self._queue_domain()),
            "reasons": self._reason_data(self._get_reasons(False)),
        }

    # ------------------------------------------------------------------
    # Scans
    # ------------------------------------------------------------------
    @api.model
    def scan_document(self, barcode):
        self._check_scanner_user()
        code = self._clean_code(barcode, _("document"))
        document = self._find_document(code)
        return self._document_data(document)

    @api.model
    def scan_product(self, model, res_id, barcode):
        self._check_scanner_user()
        code = self._clean_code(barcode, _("product"))
        document = self._get_document(model, res_id)
        product, packaging = self._find_product(code)
        quantities = self._get_document_quantities(document) if document else {}
        if document and product not in quantities:
            raise UserError(
                _(
                    "%(product)s is not on %(document)s: scan a product of this "
                    "document.",
                    product=product.display_name,
                    document=document.display_name,
                )
            )
        return {
            "product_id": product.id,
            "product_name": product.display_name,
            "uom_name": product.uom_id.name,
            "tracking": product.tracking,
            "quantity": quantities[product] if document else False,
            "packaging_qty": packaging.qty if packaging else False,
            "needs_lot": product.tracking != "none",
            "needs_location": self._uses_locations()
            and (not document or document._name == "stock.picking"),
        }

    @api.model
    def scan_lot(self, product_id, barcode):
        self._check_scanner_user()
        code = self._clean_code(barcode, _("lot or serial number"))
        product = self._get_record("product.product", product_id, _("product"))
        lots = self.env["stock.lot"].search(
            [("product_id", "=", product.id), ("name", "=", code)], limit=2
        )
        if len(lots) > 1:
            lots = lots.filtered(lambda lot: lot.company_id == self.env.company)[:1]
        if not lots:
            raise UserError(
                _(
                    "There is no lot or serial number %(code)s of %(product)s.",
                    code=code,
                    product=product.display_name,
                )
            )
        return {"lot_id": lots.id, "name": lots.name}

    @api.model
    def scan_location(self, barcode, model=False, res_id=False):
        self._check_scanner_user()
        code = self._clean_code(barcode, _("location"))
        document = self._get_document(model, res_id)
        company = document.company_id if document else self.env.company
        Location = self.env["stock.location"].with_context(active_test=False)
        locations = Location.search(
            [("barcode", "=", code), ("company_id", "in", [company.id, False])], limit=1
        ) or Location.search(
            [
                ("complete_name", "=ilike", self._escape_like(code)),
                ("company_id", "in", [company.id, False]),
            ],
            limit=1,
        )
        if not locations:
            raise UserError(
                _(
                    "There is no location %(code)s in %(company)s.",
                    code=code,
                    company=company.name,
                )
            )
        if not locations.active:
            raise UserError(
                _(
                    "Location %(location)s is archived.",
                    location=locations.complete_name,
                )
            )
        if locations.usage != "internal":
            raise UserError(
                _(
                    "%(location)s is not a location of your warehouse: scan a shelf, "
                    "bin or dock location.",
                    location=locations.complete_name,
                )
            )
        return {"location_id": locations.id, "name": locations.complete_name}

    @api.model
    def scan_reason(self, barcode, model=False, res_id=False):
        self._check_scanner_user()
        code = self._clean_code(barcode, _("reason code"))
        document = self._get_document(model, res_id)
        reason = self._find_reason(code)
        self._check_reason(reason, document)
        return self._reason_data(reason)[0]

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    @api.model
    def submit_report(self, values):
        """Create the exception a handheld reports, once per device id.

        The device id is claimed first (INSERT ... ON CONFLICT DO NOTHING): a
        second call with the same id returns the exception of the first. When
        two calls race, the second waits for the first to commit and then
        fails to serialize; the RPC layer retries it, and the retry finds the
        first one's exception.
        """
        self._check_scanner_user()
        if not isinstance(values, dict):
            raise UserError(_("The report could not be read: send it again."))
        uuid = values.get("device_uuid")
        if not isinstance(uuid, str) or not DEVICE_UUID.match(uuid):
            raise UserError(_("The report has no valid device id: send it again."))
        done = self._get_submission(uuid)
        if done:
            return done
        vals, photos = self._prepare_report(values)
        self.env.cr.execute(
            SQL(
                """INSERT INTO logistics_exception_scanner_submission
                       (device_uuid, user_id, company_id, create_uid, create_date,
                        write_uid, write_date)
                   VALUES (%s, %s, %s, %s, now() at time zone 'UTC', %s,
                           now() at time zone 'UTC')
                   ON CONFLICT (device_uuid) DO NOTHING
                   RETURNING id""",
                uuid,
                self.env.uid,
                vals["company_id"],
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            # Committed by another call since this one started reading.
            return self._get_submission(uuid)
        # The people told of the new exception get their emails from the mail
        # queue: the handheld does not wait for the mail server.
        exception = (
            self.env["logistics.exception"]
            .with_context(mail_notify_force_send=False)
            .create(vals)
        )
        self._attach_photos(exception, photos)
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_exception_scanner_submission SET exception_id = %s "
                "WHERE id = %s",
                exception.id,
                row[0],
            )
        )
        return self._result_data(exception, duplicate=False)

    def _get_submission(self, uuid):
        """The answer already given to device id ``uuid``, if any."""
        self.env.cr.execute(
            SQL(
                "SELECT user_id, exception_id "
                "FROM logistics_exception_scanner_submission "
                "WHERE device_uuid = %s",
                uuid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        user_id, exception_id = row
        if user_id != self.env.uid:
            raise UserError(
                _("This report was already sent by another user: report it again.")
            )
        # sudo: the reporter gets the reference of what they reported, even
        # when routing gave it to a team they cannot see.
        exception = self.env["logistics.exception"].sudo().browse(exception_id)
        return self._result_data(exception, duplicate=True)

    def _labels(self, records, field_name):
        """{value: label} of a selection field, in the user's language."""
        return dict(records._fields[field_name]._description_selection(self.env))

    def _result_data(self, exception, duplicate):
        state = self._labels(exception, "state")
        return {
            "id": exception.id,
            "name": exception.name,
            "team": exception.team_id.name or False,
            "owner": exception.user_id.name or False,
            "state_label": state.get(exception.state, ""),
            "duplicate": duplicate,
        }

    def _prepare_report(self, values):
        """Validate a report and return the new exception's values and its
        photos as [(name, mimetype, bytes)]."""
        document = self._get_document(values.get("model"), values.get("res_id"))
        reason = self._get_record(
            "logistics.exception.reason",
            values.get("reason_id"),
            _("reason code"),
            required=_("Choose the reason of the exception before sending it."),
        )
        self._check_reason(reason, document)
        product = self._get_record(
            "product.product", values.get("product_id"), _("product")
        )
        quantities = self._get_document_quantities(document) if document else {}
        if product and document and product not in quantities:
            raise UserError(
                _(
                    "%(product)s is not on %(document)s.",
                    product=product.display_name,
                    document=document.display_name,
                )
            )
        lot = self._get_record("stock.lot", values.get("lot_id"), _("lot"))
        if lot and lot.product_id != product:
            raise UserError(
                _(
                    "Lot %(lot)s is not a lot of %(product)s.",
                    lot=lot.name,
                    product=product.display_name or _("the product"),
                )
            )
        location = self._get_record(
            "stock.location", values.get("location_id"), _("location")
        )
        quantity = self._check_quantity(values.get("quantity"), product, quantities)
        note = self._check_note(values.get("note"))
        photos = self._check_photos(values.get("photos"))
        if reason.category_id.requires_evidence and not photos:
            raise UserError(
                _(
                    "%(category)s needs a photo as evidence: take one before sending.",
                    category=reason.category_id.display_name,
                )
            )
        vals = document._get_logistics_exception_defaults() if document else {}
        # _check_reason made sure the reason is of this company (or shared).
        company = document.company_id if document else self.env.company
        vals.update(
            {
                "company_id": company.id,
                "detected_by": "scanner",
                "category_id": reason.category_id.id,
                "reason_id": reason.id,
                "summary": self._summary(reason, product, quantity, document),
                "product_id": product.id or vals.get("product_id") or False,
                "lot_id": lot.id,
                "location_id": location.id,
            }
        )
        if note:
            vals["description"] = plaintext2html(note)
        if quantity:
            expected = quantities.get(product, quantity)
            vals["quantity_expected"] = expected
            vals["quantity_actual"] = expected - quantity
        reported_at = self._check_reported_at(values.get("reported_at"))
        if reported_at:
            vals["date_detected"] = reported_at
        return vals, photos

    def _summary(self, reason, product, quantity, document):
        parts = [reason.name]
        if product:
            what = product.display_name
            if quantity:
                what = _(
                    "%(quantity)s %(uom)s of %(product)s",
                    quantity=f"{quantity:g}",
                    uom=product.uom_id.name,
                    product=what,
                )
            parts.append(what)
        if document:
            parts.append(document.display_name)
        return " - ".join(parts)[:200]

    def _check_quantity(self, quantity, product, quantities):
        if quantity in (None, False, ""):
            return 0.0
        if isinstance(quantity, bool) or not isinstance(quantity, int | float):
            raise UserError(_("The quantity must be a number."))
        if quantity <= 0:
            raise UserError(_("The quantity affected must be more than zero."))
        if not product:
            raise UserError(_("Scan the product before giving a quantity."))
        limit = MAX_QUANTITY
        if quantities.get(product, 0.0) > 0:
            limit = min(limit, quantities[product] * ABSURD_FACTOR)
        if float_compare(quantity, limit, precision_digits=6) > 0:
            raise UserError(
                _(
                    "%(quantity)s %(uom)s of %(product)s is far more than the "
                    "document holds: check the quantity.",
                    quantity=f"{quantity:g}",
                    uom=product.uom_id.name,
                    product=product.display_name,
                )
            )
        return float(quantity)

    def _check_photos(self, photos):
        if not photos:
            return []
        if not isinstance(photos, list) or len(photos) > MAX_PHOTOS:
            raise UserError(
                _("Send at most %(max)s photos with one report.", max=MAX_PHOTOS)
            )
        checked = []
        for index, photo in enumerate(photos, start=1):
            if not isinstance(photo, dict):
                raise UserError(_("Photo %(index)s could not be read.", index=index))
            mimetype = photo.get("mimetype") or ""
            if not isinstance(mimetype, str) or not mimetype.startswith("image/"):
                raise UserError(_("Photo %(index)s is not an image.", index=index))
            data = photo.get("data") or ""
            if not isinstance(data, str) or len(data) > MAX_PHOTO_BYTES * 4 // 3 + 4:
                raise UserError(
                    _(
                        "Photo %(index)s is too large: the limit is %(max)s MB.",
                        index=index,
                        max=MAX_PHOTO_BYTES // (1024 * 1024),
                    )
                )
            try:
                raw = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError) as error:
                raise UserError(
                    _("Photo %(index)s could not be read.", index=index)
                ) from error
            if not raw:
                raise UserError(_("Photo %(index)s is empty.", index=index))
            name = photo.get("name") if isinstance(photo.get("name"), str) else ""
            name = (name or _("photo-%(index)s.jpg", index=index))[:120]
            checked.append((name, mimetype, raw))
        return checked

    def _attach_photos(self, exception, photos):
        if not photos:
            return
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "mimetype": mimetype,
                    "raw": raw,
                    "res_model": exception._name,
                    "res_id": exception.id,
                }
                for name, mimetype, raw in photos
            ]
        )
        # Logged, not posted: dock hands often have no email address, which
        # message_post requires of its author.
        exception._message_log(
            body=_("Photos taken on the handheld scanner."),
            attachment_ids=attachments.ids,
            message_type="comment",
        )

    def _check_reported_at(self, reported_at):
        if not reported_at:
            return False
        try:
            moment = fields.Datetime.to_datetime(reported_at)
        except (TypeError, ValueError):
            return False
        now = fields.Datetime.now()
        # A device clock a little ahead, or a report kept for too long: the
        # server's time then says when it was reported.
        if moment > now or moment < now - timedelta(days=MAX_OFFLINE_DAYS):
            return False
        return moment

    # ------------------------------------------------------------------
    # Work
    # ------------------------------------------------------------------
    @api.model
    def get_my_queue(self, limit=80):
        self._check_scanner_user()
        limit = min(int(limit or 80), 200)
        exceptions = self.env["logistics.exception"].search(
            self._queue_domain(), order="sla_deadline, priority desc, id", limit=500
        )
        exceptions = exceptions.sorted(
            lambda e: (
                SLA_URGENCY.get(e.sla_status, 4),
                e.sla_deadline or fields.Datetime.now() + timedelta(days=3650),
                -int(e.priority or 0),
                e.id,
            )
        )[:limit]
        return [self._queue_item(exception) for exception in exceptions]

    @api.model
    def open_exception(self, barcode_or_id):
        self._check_scanner_user()
        Exception_ = self.env["logistics.exception"]
        if isinstance(barcode_or_id, int) and not isinstance(barcode_or_id, bool):
            exception = Exception_.browse(barcode_or_id).exists()
        else:
            code = self._clean_code(barcode_or_id, _("exception"))
            exception = Exception_.with_context(active_test=False).search(
                [("name", "=ilike", self._escape_like(code))], limit=1
            )
        if not exception:
            raise UserError(
                _(
                    "No exception you can see has the reference %(code)s.",
                    code=barcode_or_id,
                )
            )
        try:
            exception.check_access_rights("read")
            exception.check_access_rule("read")
        except AccessError as error:
            # Not its reference either: an id must not reveal what it is.
            raise UserError(
                _("This exception is not in your queues: ask your team lead.")
            ) from error
        return self._detail(exception)

    @api.model
    def exception_action(self, exception_id, action, values=None):
        self._check_scanner_user()
        values = values or {}
        if not isinstance(values, dict):
            raise UserError(_("The request could not be read: try again."))
        exception = self._get_record(
            "logistics.exception", exception_id, _("exception"), required=True
        )
        exception.check_access_rule("write")
        exception = exception.with_context(mail_notify_force_send=False)
        if action == "start":
            exception.action_start()
        elif action == "wait":
            exception.action_wait()
        elif action == "resolve":
            root_cause = self._get_record(
                "logistics.exception.root.cause",
                values.get("root_cause_id"),
                _("root cause"),
            )
            note = self._check_note(values.get("note"))
            write = {}
            if root_cause:
                if (
                    root_cause.category_id
                    and root_cause.category_id != exception.category_id
                ):
                    raise UserError(
                        _(
                            "Root cause %(cause)s is not one of %(category)s.",
                            cause=root_cause.name,
                            category=exception.category_id.display_name,
                        )
                    )
                write["root_cause_id"] = root_cause.id
            if note:
                write["resolution_note"] = plaintext2html(note)
            if write:
                exception.write(write)
            exception.action_resolve()
        elif action == "note":
            note = self._check_note(values.get("note"))
            photos = self._check_photos(values.get("photos"))
            if not note and not photos:
                raise UserError(_("Write a note or take a photo first."))
            if photos:
                self._attach_photos(exception, photos)
            if note:
                exception._message_log(
                    body=plaintext2html(note), message_type="comment"
                )
        else:
            raise UserError(_("The scanner does not know this action."))
        return self._detail(exception)

    def _check_note(self, note):
        if not note:
            return ""
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise UserError(
                _(
                    "The note is too long: keep it under %(max)s characters.",
                    max=MAX_NOTE,
                )
            )
        return note.strip()

    def _queue_domain(self):
        user = self.env.user
        return [
            ("is_open", "=", True),
            "|",
            "|",
            ("user_id", "=", user.id),
            ("team_id.member_ids", "in", user.id),
            ("team_id.leader_id", "=", user.id),
        ]

    def _queue_item(self, exception):
        states = self._labels(exception, "state")
        sla = self._labels(exception, "sla_status")
        severities = self._labels(exception, "severity")
        return {
            "id": exception.id,
            "name": exception.name,
            "summary": exception.summary,
            "state": exception.state,
            "state_label": states.get(exception.state, ""),
            "sla_status": exception.sla_status or False,
            "sla_status_label": sla.get(exception.sla_status, ""),
            "sla_deadline": fields.Datetime.to_string(exception.sla_deadline)
            if exception.sla_deadline
            else False,
            "severity": exception.severity,
            "severity_label": severities.get(exception.severity, ""),
            "team": exception.team_id.name or False,
            "owner": exception.user_id.name or False,
            "document": exception.document_ref or False,
            "product": exception.product_id.display_name or False,
        }

    def _detail(self, exception):
        data = self._queue_item(exception)
        actions = []
        allowed = TRANSITIONS.get(exception.state, set())
        if "in_progress" in allowed:
            actions.append("start")
        if "waiting" in allowed:
            actions.append("wait")
        if "resolved" in allowed:
            actions.append("resolve")
        if exception.state not in CLOSED_STATES:
            actions.append("note")
        root_causes = self.env["logistics.exception.root.cause"].search(
            [
                "|",
                ("category_id", "=", False),
                ("category_id", "=", exception.category_id.id),
                ("company_id", "in", [exception.company_id.id, False]),
            ]
        )
        photo_count = self.env["ir.attachment"].search_count(
            [
                ("res_model", "=", exception._name),
                ("res_id", "=", exception.id),
                ("mimetype", "=like", "image/%"),
            ]
        )
        data.update(
            {
                "category": exception.category_id.display_name or False,
                "reason": exception.reason_id.display_name or False,
                "quantity": (exception.quantity_expected - exception.quantity_actual)
                or False,
                "uom": exception.product_uom_id.name or False,
                "note": html2plaintext(exception.description or "").strip(),
                "photo_count": photo_count,
                "actions": actions,
                "requires_root_cause": exception.requires_root_cause,
                "requires_evidence": exception.requires_evidence,
                "root_causes": [{"id": c.id, "name": c.name} for c in root_causes],
            }
        )
        return data

    # ------------------------------------------------------------------
    # Look-ups
    # ------------------------------------------------------------------
    def _check_scanner_user(self):
        if not self.env.user.has_group(
            "logistics_exception.logistics_exception_group_user"
        ):
            raise AccessError(
                _(
                    "The Exception Scanner is for logistics exception users: ask your "
                    "administrator."
                )
            )

    def _uses_locations(self):
        return self.env.user.has_group("stock.group_stock_multi_locations")

    @api.model
    def _clean_code(self, barcode, what):
        if not isinstance(barcode, str) or not barcode.strip():
            raise UserError(_("Scan or type a %(what)s.", what=what))
        code = barcode.strip()
        if len(code) > MAX_BARCODE:
            raise UserError(_("This barcode is too long to be a %(what)s.", what=what))
        return code

    @staticmethod
    def _escape_like(code):
        return code.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")

    def _get_record(self, model, res_id, what, required=None):
        """The active record ``res_id`` of ``model`` the user can read, or an
        empty recordset when ``res_id`` is empty and nothing is required."""
        if not res_id:
            if required:
                raise UserError(
                    required
                    if isinstance(required, str)
                    else _("Choose a %(what)s.", what=what)
                )
            return self.env[model]
        if isinstance(res_id, bool) or not isinstance(res_id, int):
            raise UserError(
                _("The %(what)s could not be read: scan it again.", what=what)
            )
        Model = self.env[model].with_context(active_test=False)
        # One query: the search applies the user's record rules.
        record = Model.browse()
        if Model.check_access_rights("read", raise_exception=False):
            record = Model.search([("id", "=", res_id)])
        if not record:
            raise UserError(
                _(
                    "This %(what)s does not exist or is not yours to use: scan it "
                    "again.",
                    what=what,
                )
            )
        if "active" in record._fields and not record.active:
            raise UserError(
                _(
                    "%(record)s is archived: choose another %(what)s.",
                    record=record.display_name,
                    what=what,
                )
            )
        return record.with_context(active_test=True)

    def _get_document(self, model, res_id):
        if not model and not res_id:
            return None
        if model not in DOCUMENT_MODELS:
            raise UserError(
                _(
                    "The scanner reports on transfers, purchase orders and sales "
                    "orders only."
                )
            )
        return self._get_record(model, res_id, _("document"), required=True)

    def _find_document(self, code):
        found = self.env["stock.picking"].browse()
        readable = [
            model
            for model in DOCUMENT_MODELS
            if self.env[model].check_access_rights("read", False)
        ]
        for model in readable:
            records = self.env[model].search([("name", "=", code)], limit=5) or (
                self.env[model].search(
                    [("name", "=ilike", self._escape_like(code))], limit=5
                )
            )
            if records:
                found = records
                break
        if len(found) > 1:
            in_company = found.filtered(lambda r: r.company_id == self.env.company)
            if len(in_company) != 1:
                raise UserError(
                    _(
                        "%(code)s exists in several companies: switch the scanner "
                        "to the company of the document.",
                        code=code,
                    )
                )
            found = in_company
        if not found:
            raise UserError(
                _(
                    "No transfer, purchase order or sales order you can see has the "
                    "reference %(code)s.",
                    code=code,
                )
            )
        if found.state == "cancel":
            raise UserError(
                _("%(document)s is cancelled.", document=found.display_name)
            )
        return found

    def _find_product(self, code):
        Product = self.env["product.product"].with_context(active_test=False)
        product = Product.search([("barcode", "=", code)], limit=1)
        packaging = self.env["product.packaging"]
        if not product:
            packaging = packaging.search([("barcode", "=", code)], limit=1)
            product = packaging.product_id.with_context(active_test=False)
        if not product:
            product = Product.search([("default_code", "=", code)], limit=1)
        if not product:
            raise UserError(_("No product has the barcode %(code)s.", code=code))
        if not product.active:
            raise UserError(_("%(product)s is archived.", product=product.display_name))
        return product.with_context(active_test=True), packaging

    def _find_reason(self, code):
        Reason = self.env["logistics.exception.reason"].with_context(active_test=False)
        reason = Reason.search([("barcode", "=", code)], limit=1)
        if not reason:
            reasons = Reason.search([("code", "=ilike", self._escape_like(code))])
            reason = (
                reasons.filtered(lambda r: r.company_id == self.env.company)[:1]
                or (reasons[:1])
            )
        if not reason:
            raise UserError(_("No reason code has the barcode %(code)s.", code=code))
        return reason

    def _check_reason(self, reason, document):
        company = document.company_id if document else self.env.company
        if not reason.active or not reason.category_id.active:
            raise UserError(
                _(
                    "Reason %(reason)s is no longer used: pick another one.",
                    reason=reason.display_name,
                )
            )
        if reason.company_id and reason.company_id != company:
            raise UserError(
                _(
                    "Reason %(reason)s is a reason of %(company)s, not of %(own)s.",
                    reason=reason.display_name,
                    company=reason.company_id.name,
                    own=company.name,
                )
            )
        if document:
            kind = self._get_document_kind(document)
            kinds = reason.category_id._get_document_kinds()
            if kinds and kind not in kinds:
                labels = self._labels(
                    self.env["logistics.exception.document.type"], "code"
                )
                raise UserError(
                    _(
                        "Reason %(reason)s is not used on a %(kind)s: pick a reason "
                        "that fits %(document)s.",
                        reason=reason.display_name,
                        kind=labels[kind].lower(),
                        document=document.display_name,
                    )
                )

    def _get_reasons(self, document):
        company = document.company_id if document else self.env.company
        reasons = self.env["logistics.exception.reason"].search(
            [
                ("company_id", "in", [company.id, False]),
                ("category_id.active", "=", True),
            ]
        )
        if not document:
            return reasons
        kind = self._get_document_kind(document)
        kinds_by_category = {}
        for category in reasons.category_id:
            kinds_by_category[category] = category._get_document_kinds()
        return reasons.filtered(
            lambda r: (
                not kinds_by_category[r.category_id]
                or kind in kinds_by_category[r.category_id]
            )
        )

    def _reason_data(self, reasons):
        severities = self._labels(reasons, "severity")
        return [
            {
                "id": reason.id,
                "code": reason.code,
                "name": reason.name,
                "barcode": reason.barcode or False,
                "category_id": reason.category_id.id,
                "category_name": reason.category_id.display_name,
                "requires_evidence": reason.category_id.requires_evidence,
                "severity": reason.severity or reason.category_id.default_severity,
                "severity_label": severities.get(
                    reason.severity or reason.category_id.default_severity, ""
                ),
            }
            for reason in reasons
        ]

    @api.model
    def _get_document_kind(self, document):
        if document._name == "stock.picking":
            return PICKING_KINDS.get(document.picking_type_code, "internal")
        return "purchase" if document._name == "purchase.order" else "sale"

    def _get_document_quantities(self, document):
        """{product: quantity} of a document, in the product's unit: what a
        scan or a report checks, without the lots and locations the screen
        shows (one grouped read for a transfer)."""
        if document._name != "stock.picking":
            return {
                product: line["quantity"]
                for product, line in self._get_document_lines(document).items()
            }
        return dict(
            self.env["stock.move"]._read_group(
                [("picking_id", "=", document.id), ("state", "!=", "cancel")],
                groupby=["product_id"],
                aggregates=["product_qty:sum"],
            )
        )

    def _get_document_lines(self, document):
        """{product: {"quantity", "lots", "location"}} of a document, quantities
        in the product's unit."""
        lines = defaultdict(lambda: {"quantity": 0.0, "lots": set(), "location": False})
        if document._name == "stock.picking":
            incoming = document.picking_type_code == "incoming"
            for move in document.move_ids:
                if move.state == "cancel":
                    continue
                line = lines[move.product_id]
                line["quantity"] += move.product_qty
                line["lots"].update(move.move_line_ids.lot_id.mapped("name"))
                location = move.location_dest_id if incoming else move.location_id
                line["location"] = line["location"] or location.complete_name
        else:
            qty_field = (
                "product_qty"
                if document._name == "purchase.order"
                else ("product_uom_qty")
            )
            for order_line in document.order_line:
                if order_line.display_type or not order_line.product_id:
                    continue
                quantity = order_line.product_uom._compute_quantity(
                    order_line[qty_field], order_line.product_id.uom_id
                )
                lines[order_line.product_id]["quantity"] += quantity
        return dict(lines)

    def _document_data(self, document):
        kind = self._get_document_kind(document)
        labels = self._labels(self.env["logistics.exception.document.type"], "code")
        states = self._labels(document, "state")
        if document._name == "stock.picking":
            scheduled = document.scheduled_date
            warehouse = document.picking_type_id.warehouse_id
        elif document._name == "purchase.order":
            scheduled = document.date_planned
            warehouse = document.picking_type_id.warehouse_id
        else:
            scheduled = document.commitment_date or document.expected_date
            warehouse = document.warehouse_id
        lines = self._get_document_lines(document)
        return {
            "model": document._name,
            "id": document.id,
            "name": document.name,
            "kind": kind,
            "kind_label": labels[kind],
            "partner": document.partner_id.display_name or False,
            "scheduled_date": fields.Datetime.to_string(scheduled)
            if scheduled
            else False,
            "state_label": states.get(document.state, ""),
            "warehouse": warehouse.name or False,
            "company_id": document.company_id.id,
            "lines": [
                {
                    "product_id": product.id,
                    "product_name": product.display_name,
                    "default_code": product.default_code or False,
                    "barcode": product.barcode or False,
                    "quantity": line["quantity"],
                    "uom_id": product.uom_id.id,
                    "uom_name": product.uom_id.name,
                    "tracking": product.tracking,
                    "lots": sorted(line["lots"]),
                    "location": line["location"],
                }
                for product, line in lines.items()
            ],
            "reasons": self._reason_data(self._get_reasons(document)),
        }
