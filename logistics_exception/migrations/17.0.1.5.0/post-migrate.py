"""17.0.1.5.0: customers see and hear of their exceptions.

- The shipped categories about our own operations (credit hold, pricing
  variance, transfer and receipt discrepancies) become *Internal Only*
  (shipped categories are not updated by the module: it is done here, by
  their XML ids, for the categories that still exist).
- Every category gets the shipped customer email template (the field's
  default could not apply: the template is loaded after the column is made).
  Customer notifications stay off until an admin switches them on.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

INTERNAL_CATEGORIES = (
    "category_credit_hold",
    "category_pricing_variance",
    "category_transfer_discrepancy",
    "category_receipt_discrepancy",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Category = env["logistics.exception.category"].with_context(active_test=False)
    internal = Category.browse()
    for xmlid in INTERNAL_CATEGORIES:
        internal |= (
            env.ref(f"logistics_exception.{xmlid}", raise_if_not_found=False)
            or Category.browse()
        )
    internal.write({"internal_only": True, "customer_notify": False})
    _logger.info("Categories made internal only: %s", internal.mapped("code"))
    template = env.ref(
        "logistics_exception.mail_template_exception_customer_update",
        raise_if_not_found=False,
    )
    if template:
        Category.search([("customer_notify_template_id", "=", False)]).write(
            {"customer_notify_template_id": template.id}
        )
