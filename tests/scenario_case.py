"""Base class of the cross-module scenario tests.

Odoo tags the test classes of addons by their module; these tests live outside
any addon, so they carry the same attributes themselves.
"""

from odoo.tests.common import TransactionCase


class ScenarioCase(TransactionCase):
    test_tags = {"standard", "at_install"}
    test_module = "logistics_scenarios"
    test_sequence = 0

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.test_class = cls.__name__
