/** @odoo-module */

import { registry } from "@web/core/registry";
import { attachPhoto, scanStep } from "./scanner_tour_utils";

const step = (name) => `.o_logistics_report[data-step='${name}']`;

registry.category("web_tour.tours").add("logistics_exception_scanner_report_tour", {
    test: true,
    steps: () => [
        {
            content: "Home: report an exception",
            trigger: ".o_logistics_home .o_logistics_home_report",
        },
        scanStep(step("document"), "LEXSCAN/IN/0001", "Scan the receipt"),
        {
            content: "The receipt is shown: partner and lines",
            trigger: `${step("product")} .o_logistics_document_partner:contains('Scanner Vendor Ltd')`,
            extra_trigger: ".o_logistics_line:contains('Scanner Widget')",
            isCheck: true,
        },
        scanStep(step("product"), "LEXSCAN-WIDGET-001", "Scan the lot-tracked product"),
        scanStep(step("lot"), "LOT-SCAN-42", "Scan its lot"),
        scanStep(step("location"), "LEXSCAN-LOC-S1", "Scan the shelf"),
        {
            content: "The reasons that fit a receipt are offered",
            trigger: `${step("reason")} .o_logistics_reason[data-code='DAMAGED_IN_TRANSIT']`,
            isCheck: true,
        },
        {
            content: "No reason of stock shortage on a receipt",
            trigger: `${step("reason")}:not(:has(.o_logistics_reason[data-code='SHORT_PICK']))`,
            isCheck: true,
        },
        scanStep(step("reason"), "LXR-DAMAGED-IN-TRANSIT", "Scan the reason from the sheet"),
        {
            content: "Quantity: press 1",
            trigger: `${step("quantity")} .o_logistics_number_key[data-key='1']`,
        },
        {
            content: "Press 2",
            trigger: ".o_logistics_number_key[data-key='2']",
        },
        {
            content: "Twelve units, next",
            trigger: ".o_logistics_next:not([disabled])",
            extra_trigger: ".o_logistics_number_value:contains('12')",
        },
        {
            content: "Damaged goods need a photo: the report cannot be sent yet",
            trigger: `${step("evidence")} .o_logistics_submit[disabled]`,
            extra_trigger: ".o_logistics_photo_required",
            isCheck: true,
        },
        {
            content: "Take a photo",
            trigger: ".o_logistics_photo_take",
            run: () => attachPhoto(),
        },
        {
            content: "Write a note",
            trigger: ".o_logistics_photo img",
            run: () => {
                const note = document.querySelector(".o_logistics_note");
                note.value = "Two boxes crushed on the pallet";
                note.dispatchEvent(new Event("input", { bubbles: true }));
            },
        },
        {
            content: "Send the report",
            trigger: ".o_logistics_submit:not([disabled])",
            extra_trigger: ".o_logistics_summary_reason:contains('Damaged in Transit')",
        },
        {
            content: "The reference of the new exception is shown",
            trigger: ".o_logistics_result .o_logistics_result_name:contains('LEX/')",
            isCheck: true,
        },
        {
            content: "Report next",
            trigger: ".o_logistics_report_next",
        },
        {
            content: "A new report starts",
            trigger: step("document"),
            isCheck: true,
        },
    ],
});
