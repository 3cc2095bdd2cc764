from .common import LogisticsExceptionCommon


class TestExceptionVendor(LogisticsExceptionCommon):
    """The supplier at stake, one definition for every figure that counts
    exceptions by vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.supplier = Partner.create({"name": "Crate Supplier", "is_company": True})
        cls.supplier_contact = Partner.create(
            {"name": "Dock Contact", "parent_id": cls.supplier.id}
        )
        cls.other_supplier = Partner.create(
            {"name": "Box Supplier", "is_company": True}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    def _picking(self, picking_type, partner):
        return self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
            }
        )

    def _exception(self, **values):
        return self.env["logistics.exception"].create(
            {"summary": "Vendor test", "category_id": self.category_delay.id, **values}
        )

    def test_the_purchase_orders_vendor_as_a_company(self):
        purchase = self.env["purchase.order"].create(
            {"partner_id": self.supplier_contact.id}
        )
        # A receipt of another partner does not win over the order.
        receipt = self._picking(self.warehouse.in_type_id, self.other_supplier)
        exception = self._exception(purchase_id=purchase.id, picking_id=receipt.id)
        self.assertEqual(exception.vendor_id, self.supplier)
        purchase.partner_id = self.other_supplier
        self.assertEqual(exception.vendor_id, self.other_supplier)

    def test_the_receipts_partner_without_a_purchase_order(self):
        receipt = self._picking(self.warehouse.in_type_id, self.supplier_contact)
        self.assertEqual(
            self._exception(picking_id=receipt.id).vendor_id, self.supplier
        )

    def test_no_vendor_for_a_delivery(self):
        delivery = self._picking(self.warehouse.out_type_id, self.supplier_contact)
        exception = self._exception(picking_id=delivery.id)
        self.assertFalse(exception.vendor_id)
        self.assertFalse(self._exception().vendor_id)
