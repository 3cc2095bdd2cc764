/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_dispatch_driver_tour", {
    test: true,
    steps: () => [
        {
            content: "Only today's stops are listed",
            trigger:
                ".o_kanban_renderer:has(.o_logistics_dispatch_driver_card:contains('Tour Dock Customer'))" +
                ":not(:has(.o_logistics_dispatch_driver_card:contains('Earlier Stop Customer')))",
            isCheck: true,
        },
        {
            content: "The driver opens today's stop",
            trigger: ".o_logistics_dispatch_driver_card:contains('Tour Dock Customer')",
        },
        {
            content: "Stamp the arrival",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_arrive]",
        },
        {
            content: "The arrival is stamped",
            trigger: ".o_form_view .o_field_widget[name=date_arrival] span:not(:empty)",
            isCheck: true,
        },
        {
            content: "Type the receiver's name",
            trigger: ".o_field_widget[name=pod_receiver_name] input",
            run: "text Jane Receiver",
        },
        {
            content: "Leave the name field",
            trigger: ".o_form_view .o_field_widget[name=pod_note] textarea",
            run: "text Left at the dock door",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name=pod_signature] .o_signature",
        },
        {
            content: "The receiver signs on the pad",
            trigger: ".o_web_sign_signature canvas",
            run() {
                const canvas = document.querySelector(".o_web_sign_signature canvas");
                const rect = canvas.getBoundingClientRect();
                const at = (x, y) => ({
                    bubbles: true,
                    cancelable: true,
                    clientX: rect.left + x,
                    clientY: rect.top + y,
                    pageX: rect.left + x,
                    pageY: rect.top + y,
                    button: 0,
                });
                canvas.dispatchEvent(new MouseEvent("mousedown", at(20, 40)));
                for (let x = 30; x <= 200; x += 10) {
                    canvas.dispatchEvent(new MouseEvent("mousemove", at(x, 40 + (x % 40))));
                }
                canvas.dispatchEvent(new MouseEvent("mouseup", at(200, 60)));
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal-footer .btn-primary:not([disabled]):contains(Adopt)",
        },
        {
            content: "The signature is on the job",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=pod_signature] img.o_signature",
            in_modal: false,
            isCheck: true,
        },
        {
            content: "Deliver",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_deliver]",
        },
        {
            content: "The delivery is stamped",
            trigger: ".o_form_view .o_field_widget[name=date_delivered] span:not(:empty)",
            isCheck: true,
        },
    ],
});
