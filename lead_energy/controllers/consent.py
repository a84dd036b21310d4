from odoo import http
from odoo.http import request

from ..tools.consent_token import TokenError

ANSWERS = {"confirm": "confirmed", "decline": "declined"}


class ConsentController(http.Controller):
    """The pages of the opt-in links: no login, a signed and expiring token,
    answers by POST with Odoo's CSRF token. A refused link changes nothing."""

    @http.route(
        "/lead_energy/consent/<any(answer,withdraw):action>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def consent(self, action, token, answer=None, **_post):
        """GET shows the page; POST (Odoo checks its CSRF token) answers:
        confirm or decline on an answer link, withdraw on a withdrawal link."""
        try:
            consents = request.env["crm.lead.consent"].sudo()._from_token(token, action)
        except TokenError as error:
            return self._refused(error.reason)
        posted = request.httprequest.method == "POST"
        if posted and request.env.user._is_internal():
            # The link is in the lead's chatter too: an employee signed in
            # must not answer for the person asked.
            return self._refused("employee")
        if not posted or (action == "answer" and answer not in ANSWERS):
            return self._render(
                consents, "lead_energy.consent_page", action=action, token=token
            )
        remote_addr = request.httprequest.remote_addr
        if action == "answer":
            consents._answer(ANSWERS[answer], remote_addr)
        else:
            consents._withdraw(remote_addr)
            answer = "withdraw"
        return self._render(consents, "lead_energy.consent_done", answer=answer)

    def _render(self, consents, template, **values):
        lang = consents[:1].lang
        if lang in dict(request.env["res.lang"].get_installed()):
            request.update_context(lang=lang)  # the recipient's language
        return request.render(
            template,
            {
                "consents": consents,
                "company_name": consents[:1].company_id.name,
                "consent_text": consents[:1].consent_text,
                # Someone who never consented unsubscribes (see the objections).
                "objection": consents[:1].is_objection,
                **values,
            },
        )

    def _refused(self, reason):
        return request.render(
            "lead_energy.consent_refused", {"reason": reason}, status=403
        )
