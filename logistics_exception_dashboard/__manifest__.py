# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Logistics Exceptions: Dashboards and Costs",
    "summary": "KPI dashboard, cost lines from credit notes and bills, analysis "
    "reports, recurring-pattern reviews and scorecards for logistics exceptions",
    "version": "17.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["logistics_exception"],
    "data": [
        "security/ir.model.access.csv",
        "security/logistics_exception_dashboard_security.xml",
        "data/logistics_exception_cost_type_data.xml",
        "data/logistics_exception_data.xml",
        "views/logistics_exception_cost_type_views.xml",
        "views/logistics_exception_cost_views.xml",
        "views/account_move_views.xml",
        "data/logistics_exception_review_data.xml",
        "data/logistics_exception_weekly_digest_data.xml",
        "views/logistics_exception_category_views.xml",
        "views/res_partner_views.xml",
        "views/stock_warehouse_views.xml",
        "views/res_users_views.xml",
        "report/logistics_exception_report_views.xml",
        "data/logistics_exception_report_filters.xml",
        "views/logistics_exception_dashboard_menus.xml",
        "views/logistics_exception_dashboard_views.xml",
    ],
    "demo": [
        "demo/logistics_exception_cost_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "logistics_exception_dashboard/static/src/**/*",
        ],
        "web.assets_tests": [
            "logistics_exception_dashboard/static/tests/tours/*.js",
        ],
    },
}
