/** @odoo-module */

import { browser } from "@web/core/browser/browser";

/**
 * A keyboard-wedge scan as Community's barcode service hears it: the code's
 * characters as fast keydowns on the page, then Enter.
 */
export function scan(barcode) {
    for (const key of barcode) {
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    }
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
}

/** Steps: scan `barcode` once `trigger` is shown. */
export function scanStep(trigger, barcode, content) {
    return {
        content: content || `Scan ${barcode}`,
        trigger,
        run: () => scan(barcode),
    };
}

const realXHR = browser.XMLHttpRequest;
const realFetch = browser.fetch;

/** The network drops: every request fails as when the Wi-Fi is gone. */
export function goOffline() {
    class OfflineXHR extends realXHR {
        send() {
            browser.setTimeout(() => this.dispatchEvent(new ProgressEvent("error")), 10);
        }
    }
    browser.XMLHttpRequest = OfflineXHR;
    browser.fetch = () => Promise.reject(new TypeError("Failed to fetch"));
}

/**
 * The server gets the reports but their answers are lost on the way back:
 * submit_report requests are sent, and fail on the device as a lost connection.
 */
export function loseAnswers() {
    class LostAnswerXHR extends realXHR {
        open(method, url, ...args) {
            this._lexLoseAnswer = String(url).includes("/submit_report");
            return super.open(method, url, ...args);
        }
        addEventListener(type, listener, ...args) {
            if (type === "error") {
                this._lexOnError = listener;
            }
            if (type === "load") {
                return super.addEventListener(
                    "load",
                    (ev) => (this._lexLoseAnswer ? this._lexOnError(ev) : listener(ev)),
                    ...args
                );
            }
            return super.addEventListener(type, listener, ...args);
        }
    }
    browser.XMLHttpRequest = LostAnswerXHR;
}

/** Requests go through again (the page is not told). */
export function restoreNetwork() {
    browser.XMLHttpRequest = realXHR;
    browser.fetch = realFetch;
}

/** The network is back: requests go through and the page hears "online". */
export function goOnline() {
    restoreNetwork();
    window.dispatchEvent(new Event("online"));
}

/** A small photo, given to the file input as the camera would. */
export function attachPhoto(name = "damage.png") {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext("2d");
    context.fillStyle = "#c0262d";
    context.fillRect(0, 0, 64, 48);
    const dataUrl = canvas.toDataURL("image/png");
    const bytes = Uint8Array.from(atob(dataUrl.split(",")[1]), (c) => c.charCodeAt(0));
    const file = new File([bytes], name, { type: "image/png" });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const input = document.querySelector(".o_logistics_photo_input");
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}
