/** @odoo-module */

import { registry } from "@web/core/registry";
import { scan } from "./scanner_tour_utils";

// The reference of the exception whose label is scanned, read from the queue.
let labelName = null;

registry.category("web_tour.tours").add("logistics_exception_scanner_queue_tour", {
    test: true,
    steps: () => [
        {
            content: "My queue shows how many exceptions wait",
            trigger: ".o_logistics_home .o_logistics_home_queue:has(.o_logistics_queue_count:contains('2'))",
        },
        {
            content: "Read the reference printed on the second one's label",
            trigger: ".o_logistics_queue_item:contains('label scan')",
            run: function () {
                labelName = this.$anchor[0].dataset.name;
            },
        },
        {
            content: "Open the first one",
            trigger: ".o_logistics_queue_item:contains('pallet leaning')",
        },
        {
            content: "Start it",
            trigger: ".o_logistics_detail .o_logistics_action_start",
            extra_trigger: ".o_logistics_detail_summary:contains('pallet leaning')",
        },
        {
            content: "Add a note",
            trigger: ".o_logistics_action_note",
            extra_trigger: ".o_logistics_detail_state:contains('In Progress')",
        },
        {
            content: "Write it",
            trigger: ".o_logistics_add_note",
            run: "text Checked the pallet, two cartons short",
        },
        {
            content: "Save it",
            trigger: ".o_logistics_note_save:not([disabled])",
        },
        {
            content: "Waiting for the supplier",
            trigger: ".o_logistics_action_wait",
            extra_trigger: ".o_logistics_detail_message",
        },
        {
            content: "Resolve",
            trigger: ".o_logistics_action_resolve",
            extra_trigger: ".o_logistics_detail_state:contains('Waiting')",
        },
        {
            content: "A root cause is needed before resolving",
            trigger: ".o_logistics_resolve_confirm[disabled]",
            isCheck: true,
        },
        {
            content: "Choose the root cause",
            trigger: ".o_logistics_root_cause:contains('Inventory Inaccuracy')",
        },
        {
            content: "Say what was done",
            trigger: ".o_logistics_resolve_note",
            run: "text Recounted aisle 3, stock corrected",
        },
        {
            content: "Resolve it",
            trigger: ".o_logistics_resolve_confirm:not([disabled])",
        },
        {
            content: "Resolved; back to the queue",
            trigger: ".o_logistics_detail .o_logistics_back",
            extra_trigger: ".o_logistics_detail_state:contains('Resolved')",
        },
        {
            content: "Back home",
            trigger: ".o_logistics_queue .o_logistics_back",
            extra_trigger: ".o_logistics_queue_item:contains('label scan')",
        },
        {
            content: "Scan the label of the other exception on the home screen",
            trigger: ".o_logistics_home",
            run: () => scan(labelName),
        },
        {
            content: "It opens; start it",
            trigger: ".o_logistics_detail .o_logistics_action_start",
            extra_trigger: ".o_logistics_detail_summary:contains('label scan')",
        },
        {
            content: "In progress",
            trigger: ".o_logistics_detail_state:contains('In Progress')",
            isCheck: true,
        },
    ],
});
