from odoo import api, models


def _mark_calendars_outdated(env, calendars, companies=None):
    """Working hours changed: the open exceptions counted on ``calendars``
    (a queue's hours, or the company's for exceptions outside a queue), and
    every open exception of ``companies`` (a public holiday for all
    calendars), get their deadlines recomputed."""
    domain = []
    if calendars:
        domain = [
            "|",
            ("team_id.resource_calendar_id", "in", calendars.ids),
            "&",
            ("team_id", "=", False),
            ("company_id.resource_calendar_id", "in", calendars.ids),
        ]
    if companies:
        company_domain = [("company_id", "in", companies.ids)]
        domain = ["|", *company_domain, *domain] if domain else company_domain
    if domain:
        env["logistics.exception"]._sla_mark_outdated(domain)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    _logistics_sla_fields = {
        "attendance_ids",
        "leave_ids",
        "tz",
        "two_weeks_calendar",
        "hours_per_day",
    }

    def write(self, vals):
        res = super().write(vals)
        if self._logistics_sla_fields & set(vals):
            _mark_calendars_outdated(self.env, self)
        return res


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        _mark_calendars_outdated(self.env, attendances.calendar_id)
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        _mark_calendars_outdated(self.env, calendars | self.calendar_id)
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        _mark_calendars_outdated(self.env, calendars)
        return res


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    def _logistics_sla_scope(self):
        """(calendars, companies) whose working time these closures change:
        a person's leave does not move a queue's clock."""
        closures = self.filtered(lambda leave: not leave.resource_id)
        with_calendar = closures.filtered("calendar_id")
        return with_calendar.calendar_id, (closures - with_calendar).company_id

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        _mark_calendars_outdated(self.env, *leaves._logistics_sla_scope())
        return leaves

    def write(self, vals):
        calendars, companies = self._logistics_sla_scope()
        res = super().write(vals)
        new_calendars, new_companies = self._logistics_sla_scope()
        _mark_calendars_outdated(
            self.env, calendars | new_calendars, companies | new_companies
        )
        return res

    def unlink(self):
        calendars, companies = self._logistics_sla_scope()
        res = super().unlink()
        _mark_calendars_outdated(self.env, calendars, companies)
        return res
