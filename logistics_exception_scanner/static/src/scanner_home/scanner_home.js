/** @odoo-module */

import { Component, useState } from "@odoo/owl";
import { useBus, useService } from "@web/core/utils/hooks";
import { errorMessage, isRefusal } from "../services/scanner_service";
import { playError, playSuccess } from "../services/feedback";

/**
 * Home: report or work, the outbox badge, and a scan of a document (starts a
 * report on it) or of an exception label (opens it).
 */
export class ScannerHome extends Component {
    static template = "logistics_exception_scanner.ScannerHome";
    static props = ["*"];

    setup() {
        this.scanner = useService("logistics_exception_scanner");
        this.outbox = useState(this.scanner.state);
        this.state = useState({ error: false, busy: false });
        useBus(useService("barcode").bus, "barcode_scanned", (ev) =>
            this.onScan(ev.detail.barcode)
        );
    }

    async onScan(code) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        this.state.error = false;
        try {
            let document;
            try {
                document = await this.scanner.call("scan_document", [code]);
            } catch (error) {
                if (!isRefusal(error)) {
                    throw error;
                }
                // Not a document: an exception's label?
                let detail;
                try {
                    detail = await this.scanner.call("open_exception", [code]);
                } catch (labelError) {
                    throw isRefusal(labelError) ? error : labelError;
                }
                playSuccess();
                this.props.navigate("detail", { detail });
                return;
            }
            playSuccess();
            this.props.navigate("report", { draft: { document } });
        } catch (error) {
            playError();
            this.state.error = errorMessage(error);
        } finally {
            this.state.busy = false;
        }
    }
}
