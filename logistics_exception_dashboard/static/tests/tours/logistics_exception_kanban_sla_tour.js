/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_kanban_sla_tour", {
    test: true,
    steps: () => [
        {
            content: "The columns carry the progress bar by SLA status",
            trigger: ".o_kanban_group .o_column_progress .progress-bar.bg-danger",
            isCheck: true,
        },
        {
            content: "A breached card: red SLA colour, its age in days",
            trigger:
                ".o_logistics_exception_card.border-danger:contains('Tour: pallet crushed')" +
                " .o_logistics_exception_age:contains('3 d')",
            isCheck: true,
        },
        {
            content: "An on-track card: green SLA colour, its age in hours",
            trigger:
                ".o_logistics_exception_card.border-success:contains('Tour: label missing')" +
                " .o_logistics_exception_age:contains('5 h')",
            isCheck: true,
        },
    ],
});
