# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Logistics Exceptions: Approvals",
    "summary": "Tiered approval of inventory adjustments, promise-date changes, "
    "expedites, returns, billing overrides and credit releases on OCA "
    "base_tier_validation",
    "version": "17.0.1.1.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["logistics_exception", "base_tier_validation", "stock"],
    "data": [
        "security/logistics_exception_approval_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/logistics_exception_category_data.xml",
        "data/tier_definition_data.xml",
        "views/logistics_approval_request_views.xml",
        "views/logistics_inventory_approval_views.xml",
        "views/stock_quant_views.xml",
        "views/stock_change_product_qty_views.xml",
        "views/stock_warehouse_views.xml",
        "views/logistics_exception_category_views.xml",
        "views/logistics_exception_views.xml",
        "views/res_config_settings_views.xml",
        "views/logistics_exception_approval_menus.xml",
        "data/tier_definition_override.xml",
        "data/tier_definition_return.xml",
        "views/return_approval_views.xml",
        "data/tier_definition_promise_date.xml",
        "views/sale_order_promise_date_views.xml",
        "wizards/logistics_promise_date_change_views.xml",
        "data/tier_definition_expedite.xml",
        "views/res_config_settings_expedite_views.xml",
        "views/purchase_order_views.xml",
    ],
    "demo": ["demo/logistics_approval_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "logistics_exception_approval/static/src/js/tours/*.js",
        ],
    },
}
