/** @odoo-module */

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import {
    isBarcodeScannerSupported,
    scanBarcode,
} from "@web/webclient/barcode/barcode_scanner";

/**
 * What each scan step offers besides the hardware scanner: the camera, and a
 * field to type the code with an OK button.
 */
export class ScanBox extends Component {
    static template = "logistics_exception_scanner.ScanBox";
    static props = {
        onScan: Function,
        placeholder: { type: String, optional: true },
        disabled: { type: Boolean, optional: true },
    };

    setup() {
        this.notification = useService("notification");
        this.state = useState({ code: "" });
        this.cameraSupported = Boolean(isBarcodeScannerSupported());
    }

    async submit() {
        const code = this.state.code.trim();
        if (!code || this.props.disabled) {
            return;
        }
        this.state.code = "";
        await this.props.onScan(code);
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this.submit();
        }
    }

    async openCamera() {
        let code;
        try {
            code = await scanBarcode(this.env, "environment");
        } catch (error) {
            this.notification.add(error?.message || _t("The camera could not be opened."), {
                type: "danger",
            });
            return;
        }
        if (code) {
            await this.props.onScan(code);
        }
    }
}
