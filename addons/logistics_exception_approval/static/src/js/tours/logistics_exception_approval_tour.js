/** @odoo-module */

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("logistics_exception_approval_tour", {
    test: true,
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Inventory",
            trigger: ".o_app[data-menu-xmlid='stock.menu_stock_root']",
        },
        {
            content: "Open the Operations menu",
            trigger: ".o_main_navbar button[data-menu-xmlid='stock.menu_stock_warehouse_mgmt']",
        },
        {
            content: "Open the adjustments to approve",
            trigger:
                ".o-dropdown--menu a[data-menu-xmlid='logistics_exception_approval.logistics_inventory_approval_menu_to_approve']",
        },
        {
            content: "Open the pending adjustment of Carla",
            trigger: ".o_list_view .o_data_row td:contains('Carla Counter')",
        },
        {
            content: "It shows the counted widget",
            trigger: ".o_form_view .o_field_one2many td:contains('Counted Widget')",
            isCheck: true,
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name=validate_tier]",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=comment] input",
            run: "text Recounted with the team lead",
        },
        {
            content: "Confirm",
            trigger: "button[name=add_comment]",
        },
        {
            content: "The counts are applied",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Applied')",
            isCheck: true,
        },
    ],
});
