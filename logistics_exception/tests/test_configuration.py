from odoo.exceptions import ValidationError

from .common import LogisticsExceptionCommon

CODED_MODELS = (
    "logistics.exception.category",
    "logistics.exception.reason",
    "logistics.exception.root.cause",
)


class TestConfiguration(LogisticsExceptionCommon):
    """What the configuration records (categories, reasons, root causes, tags,
    teams, SLA policies) share: archiving, ordering, company and codes."""

    def _coded_values(self, model, code, **values):
        vals = {"name": f"{model} {code}", "code": code, **values}
        if model == "logistics.exception.reason":
            vals.setdefault("category_id", self.category_shortage.id)
        return vals

    def test_code_reused_in_same_company_is_refused(self):
        for model in CODED_MODELS:
            with self.subTest(model=model):
                Model = self.env[model]
                Model.create(
                    self._coded_values(model, "LEX_DUP", company_id=self.company.id)
                )
                with self.assertRaisesRegex(ValidationError, "already used"):
                    Model.create(
                        self._coded_values(model, "LEX_DUP", company_id=self.company.id)
                    )

    def test_code_may_repeat_across_companies_and_when_archived(self):
        for model in CODED_MODELS:
            with self.subTest(model=model):
                Model = self.env[model]
                first = Model.create(
                    self._coded_values(model, "LEX_TWICE", company_id=self.company.id)
                )
                other_company = Model.create(
                    self._coded_values(
                        model, "LEX_TWICE", company_id=self.other_company.id
                    )
                )
                self.assertEqual(first.code, other_company.code)
                archived = Model.create(
                    self._coded_values(
                        model,
                        "LEX_TWICE",
                        company_id=self.company.id,
                        active=False,
                    )
                )
                with self.assertRaisesRegex(ValidationError, "already used"):
                    archived.active = True
                first.active = False
                archived.active = True
                self.assertTrue(archived.active)

    def test_shared_records_have_no_company_by_default(self):
        category = self.env["logistics.exception.category"].create(
            {"name": "Shared", "code": "LEX_SHARED"}
        )
        reason = self.env["logistics.exception.reason"].create(
            {
                "name": "Shared reason",
                "code": "LEX_SHARED",
                "category_id": category.id,
            }
        )
        root_cause = self.env["logistics.exception.root.cause"].create(
            {"name": "Shared cause", "code": "LEX_SHARED"}
        )
        for record in (category, reason, root_cause):
            self.assertFalse(record.company_id)
            self.assertTrue(record.active)
            self.assertEqual(record.sequence, 10)

    def test_teams_and_policies_belong_to_the_current_company(self):
        team = self.env["logistics.exception.team"].create({"name": "Yard"})
        policy = self.env["logistics.exception.sla.policy"].create(
            {"name": "Yard policy", "resolution_hours": 8}
        )
        for record in (team, policy):
            self.assertEqual(record.company_id, self.env.company)
            self.assertTrue(record.active)
            self.assertEqual(record.sequence, 10)
        for model in ("logistics.exception.team", "logistics.exception.sla.policy"):
            self.assertTrue(self.env[model]._fields["company_id"].required)
        tag = self.env["logistics.exception.tag"].create({"name": "LEX fragile"})
        self.assertTrue(tag.active)
        self.assertNotIn("company_id", tag._fields)
        self.assertNotIn("sequence", tag._fields)

    def test_reason_is_found_by_code_or_barcode_and_shows_its_code(self):
        Reason = self.env["logistics.exception.reason"]
        reason = Reason.create(
            {
                "name": "Pallet wrapped wrong",
                "code": "LEX_WRAP",
                "barcode": "LEX-4711",
                "category_id": self.category_damage.id,
            }
        )
        self.assertEqual(reason.display_name, "[LEX_WRAP] Pallet wrapped wrong")
        domain = [("category_id", "=", self.category_damage.id)]
        for term in ("lex_wrap", "LEX-4711", "wrapped"):
            with self.subTest(term=term):
                found = Reason.name_search(term, domain)
                self.assertEqual([rec_id for rec_id, _name in found], reason.ids)
        self.assertFalse(Reason.name_search("LEX_WR", domain))

    def test_category_is_found_by_code_or_full_name(self):
        Category = self.env["logistics.exception.category"]
        child = Category.create(
            {
                "name": "Crushed cartons",
                "code": "LEX_CRUSHED",
                "parent_id": self.category_damage.id,
            }
        )
        domain = [("id", "=", child.id)]
        for term in ("lex_crushed", "Crushed", self.category_damage.name):
            with self.subTest(term=term):
                found = Category.name_search(term, domain)
                self.assertEqual([rec_id for rec_id, _name in found], child.ids)
        self.assertFalse(Category.name_search("LEX_CRUSH", domain))

    def test_search_by_code_without_a_domain(self):
        # A many2one without a domain (a filter, an import) searches with none.
        for model, code in (
            ("logistics.exception.category", "STOCK_SHORTAGE"),
            ("logistics.exception.reason", "SHORT_PICK"),
        ):
            with self.subTest(model=model):
                record = self.env[model].search([("code", "=", code)], limit=1)
                found = self.env[model].name_search(code.lower())
                self.assertIn(record.id, [rec_id for rec_id, _name in found])
