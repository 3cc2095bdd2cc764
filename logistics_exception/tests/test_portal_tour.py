from .common import LogisticsExceptionTourCase
from .test_portal import setup_portal_data


class TestPortalTour(LogisticsExceptionTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)

    def test_customer_opens_their_exception_and_replies(self):
        self.start_tour("/my", "logistics_exception_portal_tour", login="lex_portal_a")
        reply = self.exc_a.message_ids.filtered(
            lambda message: "our dock opens at 7" in (message.body or "")
        )
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.author_id, self.portal_a.partner_id)
        self.assertEqual(reply.message_type, "comment")
        self.assertFalse(reply.subtype_id.internal)
