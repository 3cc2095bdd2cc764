/** @odoo-module */

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { useBus, useService } from "@web/core/utils/hooks";
import { ScanBox } from "../scan_box/scan_box";
import { playError, playSuccess } from "../services/feedback";
import { errorMessage } from "../services/scanner_service";

/** My queue: the open exceptions of the user and their teams, most urgent first. */
export class QueueScreen extends Component {
    static template = "logistics_exception_scanner.QueueScreen";
    static components = { ScanBox };
    static props = ["*"];

    setup() {
        this.scanner = useService("logistics_exception_scanner");
        this.outbox = useState(this.scanner.state);
        this.state = useState({ items: [], loaded: false, error: false, busy: false });
        useBus(useService("barcode").bus, "barcode_scanned", (ev) =>
            this.openLabel(ev.detail.barcode)
        );
        onWillStart(() => this.load());
    }

    get title() {
        return _t("My queue");
    }

    async load() {
        this.state.error = false;
        try {
            this.state.items = await this.scanner.call("get_my_queue", []);
        } catch (error) {
            this.state.error = errorMessage(error);
        }
        this.state.loaded = true;
    }

    onBack() {
        this.props.navigate("home");
    }

    open(item) {
        this.props.navigate("detail", { exceptionId: item.id });
    }

    async openLabel(code) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        this.state.error = false;
        try {
            const detail = await this.scanner.call("open_exception", [code]);
            playSuccess();
            this.props.navigate("detail", { detail });
        } catch (error) {
            playError();
            this.state.error = errorMessage(error);
        } finally {
            this.state.busy = false;
        }
    }

    formatDate(value) {
        return value ? deserializeDateTime(value).toLocaleString(luxon.DateTime.DATETIME_SHORT) : "";
    }
}
