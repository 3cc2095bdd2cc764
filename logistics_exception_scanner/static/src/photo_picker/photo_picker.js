/** @odoo-module */

import { Component, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { downscalePhoto } from "../services/photo";

/** Photos from the device's camera, made small before they are kept. */
export class PhotoPicker extends Component {
    static template = "logistics_exception_scanner.PhotoPicker";
    static props = {
        photos: Array,
        onAdd: Function,
        onRemove: Function,
        max: { type: Number, optional: true },
        required: { type: Boolean, optional: true },
    };

    setup() {
        this.input = useRef("input");
        this.state = useState({ busy: false, error: false });
    }

    get full() {
        return this.props.max && this.props.photos.length >= this.props.max;
    }

    takePhoto() {
        this.input.el.click();
    }

    async onChange(ev) {
        const files = [...ev.target.files];
        ev.target.value = "";
        this.state.error = false;
        this.state.busy = true;
        try {
            for (const file of files) {
                if (this.full) {
                    break;
                }
                try {
                    this.props.onAdd(await downscalePhoto(file));
                } catch {
                    this.state.error = _t("%s is not a photo the scanner can read.", file.name);
                }
            }
        } finally {
            this.state.busy = false;
        }
    }

    src(photo) {
        return `data:${photo.mimetype};base64,${photo.data}`;
    }
}
