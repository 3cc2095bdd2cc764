from odoo import fields, models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _logistics_next_names(self, count, sequence_date=None):
        """``count`` successive references of this sequence, as ``_next``
        draws them one by one, but in one query for a standard sequence:
        detection creates exceptions by the thousand."""
        self.ensure_one()
        if count <= 1 or self.implementation != "standard":
            return [self._next(sequence_date=sequence_date) for _index in range(count)]
        sequence = self
        name = f"ir_sequence_{self.id:03d}"
        if self.use_date_range:
            day = sequence_date or self.env.context.get(
                "ir_sequence_date", fields.Date.today()
            )
            date_range = self.env["ir.sequence.date_range"].search(
                [
                    ("sequence_id", "=", self.id),
                    ("date_from", "<=", day),
                    ("date_to", ">=", day),
                ],
                limit=1,
            ) or self._create_date_range_seq(day)
            name = f"ir_sequence_{self.id:03d}_{date_range.id:03d}"
            sequence = self.with_context(ir_sequence_date_range=date_range.date_from)
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", name, count)
        )
        numbers = sorted(row[0] for row in self.env.cr.fetchall())
        return [sequence.get_next_char(number) for number in numbers]
