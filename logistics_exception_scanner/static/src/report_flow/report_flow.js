/** @odoo-module */

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { useBus, useService } from "@web/core/utils/hooks";
import { NumberPad } from "../number_pad/number_pad";
import { PhotoPicker } from "../photo_picker/photo_picker";
import { ScanBox } from "../scan_box/scan_box";
import { playError, playSuccess } from "../services/feedback";
import { errorMessage } from "../services/scanner_service";

// The questions of a report, in order; some are asked only when they apply.
const STEPS = ["document", "product", "lot", "location", "reason", "quantity", "evidence"];

/**
 * Report an exception, one question per screen: document, product, lot,
 * location, reason, quantity, photos and note; then the result.
 *
 * props.draft reloads a report (a document scanned on the home screen, or a
 * report of the outbox to fix, with its device id).
 */
export class ReportFlow extends Component {
    static template = "logistics_exception_scanner.ReportFlow";
    static components = { NumberPad, PhotoPicker, ScanBox };
    static props = ["*"];

    setup() {
        this.scanner = useService("logistics_exception_scanner");
        this.outbox = useState(this.scanner.state);
        const draft = this.props.draft || {};
        this.state = useState({
            step: "document",
            history: [],
            document: draft.document || null,
            product: draft.product || null,
            lot: draft.lot || null,
            location: draft.location || null,
            reason: draft.reason || null,
            quantity: draft.quantity || "",
            note: draft.note || "",
            photos: this.props.photos ? [...this.props.photos] : [],
            uuid: this.props.uuid || null,
            error: this.props.error || false,
            busy: false,
            outcome: null,
        });
        if (this.props.uuid) {
            // A report of the outbox to fix: straight to its summary, Back
            // goes through its answers.
            this.state.step = "evidence";
            this.state.history = STEPS.filter((step) => step !== "evidence" && this.applies(step));
        } else if (draft.document) {
            this.state.step = "product";
        }
        useBus(useService("barcode").bus, "barcode_scanned", (ev) =>
            this.onScan(ev.detail.barcode)
        );
    }

    // ------------------------------------------------------------------
    // Steps
    // ------------------------------------------------------------------
    applies(step) {
        const { product, document } = this.state;
        const session = this.props.session;
        switch (step) {
            case "lot":
                return Boolean(product?.needs_lot);
            case "location":
                if (product) {
                    return Boolean(product.needs_location);
                }
                return session.uses_locations && (!document || document.model === "stock.picking");
            case "quantity":
                return Boolean(product);
            default:
                return true;
        }
    }

    goTo(step) {
        this.state.history.push(this.state.step);
        this.state.step = step;
        this.state.error = false;
    }

    next() {
        let index = STEPS.indexOf(this.state.step) + 1;
        while (index < STEPS.length && !this.applies(STEPS[index])) {
            index++;
        }
        this.goTo(STEPS[Math.min(index, STEPS.length - 1)]);
    }

    onBack() {
        if (this.state.step === "result" || !this.state.history.length) {
            this.props.navigate("home");
            return;
        }
        this.state.step = this.state.history.pop();
        this.state.error = false;
    }

    skip() {
        const step = this.state.step;
        if (step === "document") {
            this.state.document = null;
        } else if (step === "product") {
            this.state.product = this.state.lot = null;
            this.state.quantity = "";
        } else if (step === "lot") {
            this.state.lot = null;
        } else if (step === "location") {
            this.state.location = null;
        } else if (step === "quantity") {
            this.state.quantity = "";
        }
        this.next();
    }

    get title() {
        return {
            document: _t("Document"),
            product: _t("Product"),
            lot: _t("Lot / serial number"),
            location: _t("Location"),
            reason: _t("Reason"),
            quantity: _t("Quantity affected"),
            evidence: _t("Photos and note"),
            result: _t("Report"),
        }[this.state.step];
    }

    get stepNumber() {
        const steps = STEPS.filter((step) => this.applies(step));
        return { index: steps.indexOf(this.state.step) + 1, count: steps.length };
    }

    // ------------------------------------------------------------------
    // Scans
    // ------------------------------------------------------------------
    async run(fn) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        this.state.error = false;
        try {
            await fn();
            playSuccess();
        } catch (error) {
            playError();
            this.state.error = errorMessage(error);
        } finally {
            this.state.busy = false;
        }
    }

    get docArgs() {
        const document = this.state.document;
        return document ? [document.model, document.id] : [false, false];
    }

    onScan(code) {
        const handler = {
            document: this.scanDocument,
            product: this.scanProduct,
            lot: this.scanLot,
            location: this.scanLocation,
            reason: this.scanReason,
            quantity: this.scanPackaging,
        }[this.state.step];
        return handler ? handler.call(this, code) : undefined;
    }

    scanDocument(code) {
        return this.run(async () => {
            const document = await this.scanner.call("scan_document", [code]);
            if (this.state.document?.id !== document.id || this.state.document?.model !== document.model) {
                this.state.product = this.state.lot = this.state.location = null;
                this.state.quantity = "";
                if (this.state.reason && !document.reasons.some((r) => r.id === this.state.reason.id)) {
                    this.state.reason = null;
                }
            }
            this.state.document = document;
            this.next();
        });
    }

    setProduct(product) {
        if (this.state.product?.product_id !== product.product_id) {
            this.state.lot = null;
            this.state.quantity = "";
        }
        this.state.product = product;
        if (product.packaging_qty) {
            this.state.quantity = String(product.packaging_qty);
        }
    }

    scanProduct(code) {
        return this.run(async () => {
            const product = await this.scanner.call("scan_product", [...this.docArgs, code]);
            this.setProduct(product);
            this.next();
        });
    }

    /** A line of the document tapped instead of scanned. */
    pickLine(line) {
        const document = this.state.document;
        this.setProduct({
            product_id: line.product_id,
            product_name: line.product_name,
            uom_name: line.uom_name,
            tracking: line.tracking,
            quantity: line.quantity,
            packaging_qty: false,
            needs_lot: line.tracking !== "none",
            needs_location: this.props.session.uses_locations && document.model === "stock.picking",
        });
        playSuccess();
        this.next();
    }

    get line() {
        const product = this.state.product;
        return (this.state.document?.lines || []).find((l) => l.product_id === product?.product_id);
    }

    scanLot(code) {
        return this.run(async () => {
            this.state.lot = await this.scanner.call("scan_lot", [this.state.product.product_id, code]);
            this.next();
        });
    }

    scanLocation(code) {
        return this.run(async () => {
            this.state.location = await this.scanner.call("scan_location", [code, ...this.docArgs]);
            this.next();
        });
    }

    get reasons() {
        return this.state.document ? this.state.document.reasons : this.props.session.reasons;
    }

    scanReason(code) {
        return this.run(async () => {
            this.state.reason = await this.scanner.call("scan_reason", [code, ...this.docArgs]);
            this.next();
        });
    }

    pickReason(reason) {
        this.state.reason = reason;
        playSuccess();
        this.next();
    }

    /** On the quantity screen, a packaging barcode proposes its quantity. */
    scanPackaging(code) {
        return this.run(async () => {
            const product = await this.scanner.call("scan_product", [...this.docArgs, code]);
            if (product.product_id !== this.state.product.product_id || !product.packaging_qty) {
                throw new Error(_t("Scan a packaging of %s, or type the quantity.", this.state.product.product_name));
            }
            this.state.quantity = String(product.packaging_qty);
        });
    }

    // ------------------------------------------------------------------
    // Quantity, photos, note
    // ------------------------------------------------------------------
    get quantityValue() {
        const value = parseFloat(this.state.quantity);
        return Number.isFinite(value) && value > 0 ? value : false;
    }

    setQuantity(value) {
        this.state.quantity = value;
    }

    addPhoto(photo) {
        this.state.photos.push(photo);
    }

    removePhoto(index) {
        this.state.photos.splice(index, 1);
    }

    get requiresEvidence() {
        return Boolean(this.state.reason?.requires_evidence);
    }

    get missingEvidence() {
        return this.requiresEvidence && !this.state.photos.length;
    }

    formatDate(value) {
        return value ? deserializeDateTime(value).toLocaleString(luxon.DateTime.DATETIME_SHORT) : "";
    }

    // ------------------------------------------------------------------
    // Submit
    // ------------------------------------------------------------------
    async submit() {
        const { document, product, lot, location, reason } = this.state;
        if (!reason) {
            this.goTo("reason");
            return;
        }
        if (this.state.busy || this.missingEvidence) {
            return;
        }
        this.state.busy = true;
        this.state.error = false;
        if (!this.state.uuid) {
            this.state.uuid = this.scanner.newDeviceUuid();
        }
        const values = {
            device_uuid: this.state.uuid,
            model: document?.model || false,
            res_id: document?.id || false,
            product_id: product?.product_id || false,
            lot_id: lot?.lot_id || false,
            location_id: location?.location_id || false,
            reason_id: reason.id,
            quantity: product ? this.quantityValue : false,
            note: this.state.note,
            photos: this.state.photos.map(({ name, mimetype, data }) => ({ name, mimetype, data })),
        };
        const draft = {
            document,
            product,
            lot,
            location,
            reason,
            quantity: this.state.quantity,
            note: this.state.note,
        };
        try {
            const outcome = await this.scanner.submit(values, draft);
            if (outcome.state === "refused") {
                playError();
                this.state.error = outcome.error;
                return;
            }
            playSuccess();
            this.state.outcome = outcome;
            this.state.history = [];
            this.state.step = "result";
        } catch (error) {
            // The device could not even keep the report (storage full...).
            playError();
            this.state.error = errorMessage(error);
        } finally {
            this.state.busy = false;
        }
    }

    reportNext() {
        this.props.navigate("report", {});
    }
}
