/** @odoo-module */

import { registry } from "@web/core/registry";

// An operations manager whose sales rights cover their own orders only finds
// an exception by the reference of another seller's order and opens it: the
// order's name shows, without a link; the transfer they may read links.
registry.category("web_tour.tours").add("logistics_exception_document_access_tour", {
    test: true,
    steps: () => [
        {
            content: "Search the exceptions by the order's reference",
            trigger: ".o_searchview_input",
            run: "text LEXTOUR-SO-77",
        },
        {
            content: "Search it as a document",
            trigger: ".o_searchview_autocomplete .o_menu_item:contains('Document')",
        },
        {
            content: "Open the exception found",
            trigger: ".o_kanban_record:contains('Pallet of jars dropped at the dock')",
        },
        {
            content: "The order's name shows",
            trigger: ".o_form_view .o_field_widget[name=sale_id]:contains('LEXTOUR-SO-77')",
            isCheck: true,
        },
        {
            content: "without a link to an order they may not open",
            trigger: ".o_form_view .o_field_widget[name=sale_id]:not(:has(a))",
            isCheck: true,
        },
        {
            content: "The document it was detected on is named, not linked",
            trigger: ".o_form_view .o_field_widget[name=source_ref_name]:contains('LEXTOUR-SO-77')",
            extra_trigger: ".o_form_view:not(:has(button[name=action_open_source_document]))",
            isCheck: true,
        },
        {
            content: "The transfer they may read links to it",
            trigger: ".o_form_view .o_field_widget[name=picking_id] button.o_external_button",
        },
        {
            content: "The transfer opens",
            trigger: ".o_form_view .o_field_widget[name=origin] input:propValue('LEXTOUR-SO-77')",
            isCheck: true,
        },
    ],
});
