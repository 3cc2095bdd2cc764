/** @odoo-module */

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { useService } from "@web/core/utils/hooks";
import { PhotoPicker } from "../photo_picker/photo_picker";
import { playError, playSuccess } from "../services/feedback";
import { errorMessage } from "../services/scanner_service";

/** One exception: what it is, and start, wait, resolve, note or photo. */
export class ExceptionDetail extends Component {
    static template = "logistics_exception_scanner.ExceptionDetail";
    static components = { PhotoPicker };
    static props = ["*"];

    setup() {
        this.scanner = useService("logistics_exception_scanner");
        this.outbox = useState(this.scanner.state);
        this.state = useState({
            detail: this.props.detail || null,
            // "resolve" or "note" while the user fills it in
            mode: false,
            rootCauseId: false,
            note: "",
            photos: [],
            error: false,
            message: false,
            busy: false,
        });
        onWillStart(async () => {
            if (!this.state.detail) {
                try {
                    this.state.detail = await this.scanner.call("open_exception", [this.props.exceptionId]);
                } catch (error) {
                    this.state.error = errorMessage(error);
                }
            }
        });
    }

    get title() {
        return this.state.detail?.name || _t("Exception");
    }

    onBack() {
        if (this.state.mode) {
            this.state.mode = false;
            this.state.error = false;
            return;
        }
        this.props.navigate("queue");
    }

    can(action) {
        return this.state.detail?.actions.includes(action);
    }

    setMode(mode) {
        Object.assign(this.state, { mode, rootCauseId: false, note: "", photos: [], error: false, message: false });
    }

    async act(action, values = {}) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        this.state.error = false;
        this.state.message = false;
        try {
            this.state.detail = await this.scanner.call("exception_action", [
                this.state.detail.id,
                action,
                values,
            ]);
            playSuccess();
            this.state.mode = false;
            this.state.message = {
                start: _t("Started: it is in progress."),
                wait: _t("Set to waiting."),
                resolve: _t("Resolved."),
                note: _t("Added to the exception."),
            }[action];
        } catch (error) {
            playError();
            this.state.error = errorMessage(error);
        } finally {
            this.state.busy = false;
        }
    }

    resolve() {
        return this.act("resolve", { root_cause_id: this.state.rootCauseId, note: this.state.note });
    }

    saveNote() {
        return this.act("note", {
            note: this.state.note,
            photos: this.state.photos.map(({ name, mimetype, data }) => ({ name, mimetype, data })),
        });
    }

    addPhoto(photo) {
        this.state.photos.push(photo);
    }

    removePhoto(index) {
        this.state.photos.splice(index, 1);
    }

    formatDate(value) {
        return value ? deserializeDateTime(value).toLocaleString(luxon.DateTime.DATETIME_SHORT) : "";
    }
}
