from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class LogisticsExceptionPortal(CustomerPortal):
    """The customer's side of exceptions under "My Account": the delivery
    issues of their company, each with its public summary, status, promised
    date, next step and a conversation with the team.

    What a portal user may see is decided by the record rule and the
    field-level protection of ``logistics.exception``; the pages only read
    what the rule let through."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_exception_count" in counters:
            Exception_ = request.env["logistics.exception"]
            values["logistics_exception_count"] = (
                Exception_.search_count(self._prepare_logistics_exception_domain())
                if Exception_.check_access_rights("read", raise_exception=False)
                else 0
            )
        return values

    def _prepare_logistics_exception_domain(self):
        partner = request.env.user.partner_id
        return request.env["logistics.exception"]._get_portal_domain(partner)

    def _get_logistics_exception_searchbar_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "date_detected desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "status": {
                "label": _("Status"),
                "order": "is_open desc, date_detected desc, id desc",
            },
        }

    def _get_logistics_exception_searchbar_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("is_open", "=", True)]},
            "solved": {
                "label": _("Solved"),
                "domain": [("state", "in", ("resolved", "closed"))],
            },
        }

    @http.route(
        ["/my/exceptions", "/my/exceptions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_logistics_exceptions(self, page=1, sortby=None, filterby=None, **kw):
        Exception_ = request.env["logistics.exception"]
        values = self._prepare_portal_layout_values()
        sortings = self._get_logistics_exception_searchbar_sortings()
        if sortby not in sortings:
            sortby = "date"
        filters = self._get_logistics_exception_searchbar_filters()
        if filterby not in filters:
            filterby = "all"
        domain = (
            self._prepare_logistics_exception_domain() + filters[filterby]["domain"]
        )
        pager = portal_pager(
            url="/my/exceptions",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Exception_.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        exceptions = Exception_.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_logistics_exceptions_history"] = exceptions.ids[:100]
        values.update(
            {
                # sudo: read for display only what the rule let through; the
                # template shows the customer fields, never internal ones.
                "exceptions": exceptions.sudo(),
                "page_name": "logistics_exception",
                "default_url": "/my/exceptions",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("logistics_exception.portal_my_exceptions", values)

    @http.route(
        ["/my/exceptions/<int:exception_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_logistics_exception(self, exception_id, access_token=None, **kw):
        try:
            exception_sudo = self._document_check_access(
                "logistics.exception", exception_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        user = request.env.user
        if user.share and not exception_sudo._is_customer_visible():
            # A link (with its token) outlives what the customer may see: an
            # exception cancelled, made internal or moved to another customer.
            return request.redirect("/my")
        values = {
            "exception": exception_sudo,
            "page_name": "logistics_exception",
            # An internal user previews the customer's page.
            "preview": not user.share,
            "customer_visible": exception_sudo._is_customer_visible(),
            "backend_url": (
                f"/web#model={exception_sudo._name}&id={exception_sudo.id}"
                f"&action={exception_sudo._get_portal_return_action().id}"
                "&view_type=form"
            ),
        }
        values = self._get_page_view_values(
            exception_sudo,
            access_token,
            values,
            "my_logistics_exceptions_history",
            False,
            **kw,
        )
        return request.render("logistics_exception.portal_my_exception", values)
