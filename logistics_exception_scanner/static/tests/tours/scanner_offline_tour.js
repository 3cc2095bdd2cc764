/** @odoo-module */

import { registry } from "@web/core/registry";
import { goOffline, goOnline, loseAnswers, restoreNetwork, scanStep } from "./scanner_tour_utils";

const step = (name) => `.o_logistics_report[data-step='${name}']`;

/** From the home screen or a result: a report on the receipt's bolts, up to
 * the quantity screen. */
function reportUpToQuantity(start) {
    return [
        {
            content: "Start a report",
            trigger: start,
        },
        scanStep(step("document"), "LEXSCAN/IN/0001", "Scan the receipt"),
        scanStep(`${step("product")} .o_logistics_document`, "LEXSCAN-BOLT-003", "Scan the bolts"),
        {
            content: "No location",
            trigger: `${step("location")} .o_logistics_skip`,
        },
        {
            content: "Tap the reason",
            trigger: `${step("reason")} .o_logistics_reason[data-code='TRANSFER_QTY_MISMATCH']`,
        },
    ];
}

function note(text) {
    return {
        content: `Note: ${text}`,
        trigger: `${step("evidence")} .o_logistics_note`,
        run: `text ${text}`,
    };
}

function quantity(keys) {
    return [
        ...[...keys].map((key) => ({
            content: `Press ${key}`,
            trigger: `${step("quantity")} .o_logistics_number_key[data-key='${key}']`,
        })),
        {
            content: "Next",
            trigger: `${step("quantity")} .o_logistics_next:not([disabled])`,
            extra_trigger: `.o_logistics_number_value:contains('${keys}')`,
        },
    ];
}

const notCounted = {
    content: "Not counted",
    trigger: `${step("quantity")} .o_logistics_skip`,
};

const submit = {
    content: "Send the report",
    trigger: `${step("evidence")} .o_logistics_submit:not([disabled])`,
};

const savedOnDevice = {
    content: "Kept on the device: one report waits",
    trigger: ".o_logistics_result_offline:contains('Saved on this device, will be sent when the network is back')",
    extra_trigger: ".o_logistics_outbox_waiting .o_logistics_outbox_count:contains('1')",
    isCheck: true,
};

registry.category("web_tour.tours").add("logistics_exception_scanner_offline_tour", {
    test: true,
    steps: () => [
        // A. The network drops before the report is sent.
        ...reportUpToQuantity(".o_logistics_home .o_logistics_home_report"),
        notCounted,
        note("Offline report A"),
        {
            content: "The Wi-Fi drops",
            trigger: submit.trigger,
            run: () => goOffline(),
        },
        submit,
        savedOnDevice,
        {
            content: "Home",
            trigger: ".o_logistics_go_home",
        },
        {
            content: "The home screen says a report waits",
            trigger: ".o_logistics_home .o_logistics_home_outbox_count:contains('1')",
            run: () => goOnline(),
        },
        {
            content: "The network is back: it is sent by itself",
            trigger: ".o_logistics_home .o_logistics_home_outbox:contains('every report is sent')",
            isCheck: true,
        },
        // B. The server gets the report but its answer is lost: sent twice.
        ...reportUpToQuantity(".o_logistics_home .o_logistics_home_report"),
        notCounted,
        note("Lost answer B"),
        {
            content: "Answers get lost",
            trigger: submit.trigger,
            run: () => loseAnswers(),
        },
        submit,
        savedOnDevice,
        {
            content: "Answers come back; open the outbox",
            trigger: ".o_logistics_outbox_badge",
            run: (actions) => {
                restoreNetwork();
                actions.click();
            },
        },
        {
            content: "The report waits in the outbox: send it now",
            trigger: ".o_logistics_outbox .o_logistics_outbox_send",
            extra_trigger: ".o_logistics_outbox_pending .o_logistics_outbox_what:contains('Scanner Bolt')",
        },
        {
            content: "Sent (the server knew it): the outbox is empty",
            trigger: ".o_logistics_outbox .o_logistics_outbox_empty",
            extra_trigger: ".o_logistics_outbox_count:contains('0')",
            run: () => document.querySelector(".o_logistics_outbox .o_logistics_back").click(),
        },
        // C. A report refused when the network is back: fixed and sent.
        ...reportUpToQuantity(".o_logistics_home .o_logistics_home_report"),
        ...quantity("999"),
        note("Refused then fixed C"),
        {
            content: "The Wi-Fi drops",
            trigger: submit.trigger,
            run: () => goOffline(),
        },
        submit,
        savedOnDevice,
        {
            content: "The network is back; open the outbox",
            trigger: ".o_logistics_outbox_badge",
            run: (actions) => {
                goOnline();
                actions.click();
            },
        },
        {
            content: "The server refused it: its message is shown, fix it",
            trigger: ".o_logistics_outbox_refused .o_logistics_outbox_fix",
            extra_trigger: ".o_logistics_outbox_error:contains('far more than the document holds')",
        },
        {
            content: "Back in the report with the message: go back to the quantity",
            trigger: `${step("evidence")} .o_logistics_back`,
            extra_trigger: `${step("evidence")} .o_logistics_scanner_error:contains('far more than the document holds')`,
        },
        {
            content: "Clear the quantity",
            trigger: `${step("quantity")} .o_logistics_number_clear`,
        },
        ...quantity("5"),
        {
            content: "The note is kept",
            trigger: `${step("evidence")} .o_logistics_summary`,
            run: () => {
                if (document.querySelector(".o_logistics_note").value !== "Refused then fixed C") {
                    throw new Error("The fixed report lost its note");
                }
            },
        },
        submit,
        {
            content: "Sent: its reference is shown, the outbox is empty",
            trigger: ".o_logistics_result .o_logistics_result_name:contains('LEX/')",
            extra_trigger: ".o_logistics_outbox_count:contains('0')",
            isCheck: true,
        },
        // D. A refused report discarded.
        ...reportUpToQuantity(`${step("result")} .o_logistics_report_next`),
        ...quantity("999"),
        note("Discarded D"),
        submit,
        {
            content: "Refused at once: the message is on screen, the report is in the outbox",
            trigger: `${step("evidence")} .o_logistics_scanner_error:contains('far more than the document holds')`,
            extra_trigger: ".o_logistics_outbox_waiting .o_logistics_outbox_count:contains('1')",
        },
        {
            content: "Open the outbox",
            trigger: ".o_logistics_outbox_badge",
        },
        {
            content: "Discard it",
            trigger: ".o_logistics_outbox_refused .o_logistics_outbox_discard",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary:contains('Discard')",
            in_modal: false,
        },
        {
            content: "The outbox is empty",
            trigger: ".o_logistics_outbox .o_logistics_outbox_empty",
            extra_trigger: ".o_logistics_outbox_count:contains('0')",
            isCheck: true,
        },
    ],
});
