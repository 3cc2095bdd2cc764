/** @odoo-module */

import { registry } from "@web/core/registry";
import { scanStep } from "./scanner_tour_utils";

const step = (name) => `.o_logistics_report[data-step='${name}']`;
const refused = (where, text) => ({
    content: `Refused: ${text}`,
    trigger: `${where} .o_logistics_scanner_error:contains(${JSON.stringify(text)})`,
    isCheck: true,
});

registry.category("web_tour.tours").add("logistics_exception_scanner_bad_barcode_tour", {
    test: true,
    steps: () => [
        scanStep(".o_logistics_home", "NOPE-DOC-404", "Scan an unknown document on the home screen"),
        refused(".o_logistics_home", "has the reference NOPE-DOC-404"),
        {
            content: "Report an exception",
            trigger: ".o_logistics_home_report",
        },
        scanStep(step("document"), "NOPE-DOC-405", "Scan an unknown document"),
        refused(step("document"), "has the reference NOPE-DOC-405"),
        scanStep(step("document"), "LEXSCAN/IN/0001", "Scan the receipt"),
        scanStep(`${step("product")} .o_logistics_document`, "LEXSCAN-GADGET-002", "Scan a product not on it"),
        refused(step("product"), "Scanner Gadget is not on LEXSCAN/IN/0001"),
        scanStep(step("product"), "LEXSCAN-WIDGET-001", "Scan a product of the receipt"),
        {
            content: "Type an unknown lot",
            trigger: `${step("lot")} .o_logistics_scan_input`,
            run: "text LOT-DOES-NOT-EXIST",
        },
        {
            content: "OK",
            trigger: `${step("lot")} .o_logistics_scan_ok:not([disabled])`,
        },
        refused(step("lot"), "There is no lot or serial number LOT-DOES-NOT-EXIST"),
        {
            content: "The lot is not known: skip it",
            trigger: `${step("lot")} .o_logistics_skip`,
        },
        scanStep(step("location"), "NOPE-LOC-1", "Scan an unknown location"),
        refused(step("location"), "There is no location NOPE-LOC-1"),
        {
            content: "Skip the location",
            trigger: `${step("location")} .o_logistics_skip`,
        },
        scanStep(step("reason"), "LXR-TEST-ARCHIVED", "Scan an archived reason"),
        refused(step("reason"), "is no longer used"),
        scanStep(step("reason"), "LXR-TEST-OTHERCO", "Scan a reason of another company"),
        refused(step("reason"), "No reason code has the barcode LXR-TEST-OTHERCO"),
        scanStep(step("reason"), "LXR-SHORT-PICK", "Scan a reason that does not fit a receipt"),
        refused(step("reason"), "is not used on a receipt"),
        {
            content: "Leave the report: open the outbox",
            trigger: `${step("reason")} .o_logistics_outbox_badge`,
        },
        {
            content: "Nothing was kept: back home",
            trigger: ".o_logistics_outbox .o_logistics_outbox_empty",
            extra_trigger: ".o_logistics_outbox .o_logistics_back",
            run: () => document.querySelector(".o_logistics_outbox .o_logistics_back").click(),
        },
        {
            content: "Open my queue",
            trigger: ".o_logistics_home .o_logistics_home_queue",
        },
        scanStep(".o_logistics_queue .o_logistics_queue_refresh", "LEX/1999/99999", "Scan an unknown label"),
        refused(".o_logistics_queue", "No exception you can see has the reference LEX/1999/99999"),
    ],
});
