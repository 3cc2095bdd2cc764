# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Logistics Dispatch Billing: Dashboard",
    "summary": "Dispatch-to-cash figures on the logistics exceptions KPI dashboard: "
    "invoice cycle, unbilled jobs, POD compliance, accessorial revenue, disputes, "
    "margin",
    "version": "17.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["logistics_dispatch_billing", "logistics_exception_dashboard"],
    "data": [],
    "assets": {
        "web.assets_backend": [
            "logistics_dispatch_billing_dashboard/static/src/**/*",
        ],
        "web.assets_tests": [
            "logistics_dispatch_billing_dashboard/static/tests/tours/*.js",
        ],
    },
}
