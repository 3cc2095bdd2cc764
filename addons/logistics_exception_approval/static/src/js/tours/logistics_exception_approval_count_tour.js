/** @odoo-module */

import {registry} from "@web/core/registry";

// A stock manager scans the reason of a counted quantity (a wedge scanner
// types the barcode and Enter into the focused field) and applies the count.
registry.category("web_tour.tours").add("logistics_exception_approval_count_tour", {
    test: true,
    url: "/web#action=stock.action_view_inventory_tree",
    steps: () => [
        {
            content: "Open the counted widget's reason cell",
            trigger: ".o_list_view .o_data_row:contains('Counted Widget') td[name=logistics_reason_id]",
        },
        {
            content: "Scan the reason's barcode",
            trigger: ".o_data_row.o_selected_row td[name=logistics_reason_id] input",
            run: "text LXR-INVENTORY-RECORD-ERROR",
        },
        {
            content: "The scanned reason is found",
            trigger: ".o-autocomplete--dropdown-item a:contains('Inventory Record Error')",
        },
        {
            content: "The reason is set on the line",
            trigger:
                ".o_data_row.o_selected_row td[name=logistics_reason_id] input:propValue('[INVENTORY_RECORD_ERROR] Inventory Record Error')",
            isCheck: true,
        },
        {
            content: "Apply the count (the line is saved first)",
            trigger: ".o_data_row:contains('Counted Widget') button[name=action_apply_inventory]",
        },
        {
            content: "The stock is now the counted quantity",
            trigger: ".o_data_row:contains('Counted Widget') td[name=quantity]:contains('495')",
            isCheck: true,
        },
    ],
});
