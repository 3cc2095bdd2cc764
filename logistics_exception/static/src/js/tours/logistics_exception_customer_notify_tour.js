/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_customer_notify_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the category",
            trigger: ".o_list_view .o_data_cell:contains('Late Delivery (tour)')",
        },
        {
            content: "Customers are not notified by default",
            trigger: ".o_field_widget[name=customer_notify] input:not(:checked)",
            isCheck: true,
        },
        {
            content: "Notify the customer",
            trigger: ".o_field_widget[name=customer_notify] input",
        },
        {
            content: "The shipped template is proposed",
            trigger:
                ".o_field_widget[name=customer_notify_template_id] input:propValue('Logistics Exception: Customer Update')",
            isCheck: true,
        },
        {
            content: "Make the category internal only",
            trigger: ".o_field_widget[name=internal_only] input",
        },
        {
            content: "An internal category never notifies: the setting is gone",
            trigger:
                ".o_form_sheet:has(.o_field_widget[name=internal_only] input:checked):not(:has(.o_field_widget[name=customer_notify]))",
            isCheck: true,
        },
        {
            content: "Customers may hear of it after all",
            trigger: ".o_field_widget[name=internal_only] input",
        },
        {
            content: "Switching internal only on switched notifications off",
            trigger: ".o_field_widget[name=customer_notify] input:not(:checked)",
        },
        {
            content: "The customer is notified",
            trigger: ".o_field_widget[name=customer_notify] input:checked",
            isCheck: true,
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
            isCheck: true,
        },
    ],
});
