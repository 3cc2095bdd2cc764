/** @odoo-module */

import { Component } from "@odoo/owl";

const MAX_LENGTH = 9;

/** A number pad with keys big enough for gloves. Edits a decimal string. */
export class NumberPad extends Component {
    static template = "logistics_exception_scanner.NumberPad";
    static props = {
        value: String,
        onChange: Function,
        unit: { type: String, optional: true },
    };
    static KEYS = ["7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "back"];

    press(key) {
        let value = this.props.value;
        if (key === "back") {
            value = value.slice(0, -1);
        } else if (key === ".") {
            if (value.includes(".")) {
                return;
            }
            value = (value || "0") + ".";
        } else {
            if (value.length >= MAX_LENGTH) {
                return;
            }
            value = value === "0" ? key : value + key;
        }
        this.props.onChange(value);
    }

    clear() {
        this.props.onChange("");
    }
}
