# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Logistics Exceptions: Handheld Scanner",
    "summary": "Report and work logistics exceptions from a barcode scanner or a "
    "phone camera at the dock, offline included",
    "version": "17.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["logistics_exception", "barcodes"],
    "data": [
        "security/ir.model.access.csv",
        "security/logistics_exception_scanner_security.xml",
        "data/logistics_exception_document_type_data.xml",
        "views/logistics_exception_category_views.xml",
        "report/logistics_exception_reason_reports.xml",
        "report/logistics_exception_reason_templates.xml",
        "report/logistics_exception_reports.xml",
        "report/logistics_exception_templates.xml",
        "views/logistics_exception_reason_views.xml",
        "views/logistics_exception_scanner_action.xml",
    ],
    "demo": ["demo/product_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "logistics_exception_scanner/static/src/**/*",
        ],
        "web.assets_tests": [
            "logistics_exception_scanner/static/tests/tours/*.js",
        ],
    },
}
