# Copyright 2026 Logistics Exception Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Logistics Exceptions: Helpdesk",
    "summary": "Helpdesk tickets raise logistics exceptions, exceptions open "
    "tickets, and each follows the other (OCA helpdesk_mgmt)",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["logistics_exception", "helpdesk_mgmt"],
    "data": [
        "security/ir.model.access.csv",
        "data/logistics_exception_helpdesk_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/logistics_exception_views.xml",
        "views/logistics_exception_team_views.xml",
        "views/logistics_exception_rule_views.xml",
        "wizards/logistics_exception_merge_views.xml",
    ],
    "demo": [
        "demo/helpdesk_ticket_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_exception_helpdesk/static/src/js/tours/*.js",
        ],
    },
}
