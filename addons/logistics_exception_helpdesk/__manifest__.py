# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Logistics Exceptions: Helpdesk",
    "summary": "Helpdesk tickets raise logistics exceptions, exceptions open "
    "tickets, and each follows the other (OCA helpdesk_mgmt)",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/logistics-exception-suite/logistics-exception",
    "author": "Logistics Exception Suite contributors",
    "maintainers": ["logistics-exception-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["logistics_exception", "helpdesk_mgmt"],
    "data": [],
}
