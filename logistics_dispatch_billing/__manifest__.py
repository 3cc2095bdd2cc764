# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Logistics Dispatch Billing",
    "summary": "Dispatch jobs with proof of delivery, accessorial charges from real "
    "timestamps, rate cards, and invoices released only when the service is proven",
    "version": "17.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["logistics_exception", "fleet"],
    "data": [
        "security/logistics_dispatch_billing_groups.xml",
        "security/ir.model.access.csv",
        "security/logistics_dispatch_billing_security.xml",
        "data/logistics_dispatch_job_data.xml",
        "data/logistics_accessorial_type_data.xml",
        "views/logistics_dispatch_zone_views.xml",
        "views/logistics_dispatch_job_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/logistics_accessorial_type_views.xml",
        "views/logistics_rate_card_views.xml",
        "views/logistics_dispatch_charge_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/logistics_rate_card_simulate_views.xml",
        "views/logistics_dispatch_gate_views.xml",
        "report/logistics_dispatch_job_reports.xml",
        "report/logistics_dispatch_job_templates.xml",
        "views/logistics_dispatch_billing_menus.xml",
    ],
    "demo": [
        "demo/logistics_dispatch_job_demo.xml",
        "demo/logistics_rate_card_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_dispatch_billing/static/src/js/tours/*.js",
        ],
    },
}
