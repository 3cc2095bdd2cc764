"""17.0.1.2.0: two SLA clocks and an escalation ladder.

- The scheduled job "refresh SLA status" became "SLA clocks and escalation"
  (its record is not updated by the module: it is rewritten here).
- The shipped "Damaged goods" playbook is linked to the shipped Damaged Goods
  category where it has no playbook (shipped categories are not updated).
- Every company but the main one gets its own copy of the shipped queues and
  SLA policies, unless it has queues already.
- The resolution status no longer says "breached" when only the response is
  late (the response clock has its own status now): the open exceptions are
  marked for the job to recompute their deadlines, statuses and next check.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(
        "logistics_exception.ir_cron_logistics_exception_sla_status",
        raise_if_not_found=False,
    )
    if cron:
        cron.write(
            {
                "name": "Logistics Exceptions: SLA clocks and escalation",
                "code": "model._cron_sla(commit=True)",
                "interval_number": 5,
                "interval_type": "minutes",
            }
        )
    playbook = env.ref(
        "logistics_exception.playbook_damaged_goods", raise_if_not_found=False
    )
    category = env.ref(
        "logistics_exception.category_damaged_goods", raise_if_not_found=False
    )
    if playbook and category and not category.playbook_id:
        category.playbook_id = playbook
    env["res.company"]._logistics_exception_setup_all()
    Exception_ = env["logistics.exception"].with_context(active_test=False)
    teamless = Exception_.search([("team_id", "=", False), ("is_open", "=", True)])
    env.add_to_compute(Exception_._fields["team_id"], teamless)
    teamless.flush_recordset(["team_id"])
    env["logistics.exception"]._sla_mark_outdated([])
