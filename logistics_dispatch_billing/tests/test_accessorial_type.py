# Copyright 2026 Logistics Exception Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError

from .rate_common import RateCardCommon

SHIPPED = {
    "WAIT": "minutes",
    "REDELIVERY": "occurrence",
    "TEMP_CONTROL": "occurrence",
    "SPECIAL_EQUIPMENT": "occurrence",
    "AFTER_HOURS": "occurrence",
    "TAIL_LIFT": "occurrence",
}


class TestAccessorialType(RateCardCommon):
    def test_shipped_types_have_service_products(self):
        types = self.env["logistics.accessorial.type"].search(
            [("code", "in", list(SHIPPED))]
        )
        self.assertEqual({t.code: t.unit for t in types}, SHIPPED)
        for accessorial in types:
            self.assertEqual(accessorial.product_id.type, "service")
            self.assertTrue(accessorial.product_id.sale_ok)
            self.assertFalse(accessorial.company_id)

    def test_duplicate_code_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "WAIT already exists"):
            self.env["logistics.accessorial.type"].create(
                {
                    "name": "Waiting again",
                    "code": "WAIT",
                    "product_id": self.wait.product_id.id,
                }
            )

    def test_goods_product_is_refused(self):
        goods = self.env["product.product"].create({"name": "Pallet", "type": "consu"})
        with self.assertRaisesRegex(ValidationError, "service product"):
            self.env["logistics.accessorial.type"].create(
                {"name": "Pallet exchange", "code": "PALLET_X", "product_id": goods.id}
            )
