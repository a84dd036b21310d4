from odoo import http
from odoo.http import request

from ..tools.consent_token import TokenError

ANSWERS = {"confirm": "confirmed", "decline": "declined"}


class ConsentController(http.Controller):
    """The pages of the opt-in links: no login, a signed and expiring token,
    answers by POST with Odoo's CSRF token. A refused link changes nothing."""

    @http.route(
        "/lead_energy/consent/answer/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def consent_answer_page(self, token):
        return self._page(token, "answer")

    @http.route(
        "/lead_energy/consent/answer/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def consent_answer(self, token, answer=None, **_post):
        try:
            consents = self._consents(token, "answer")
        except TokenError as error:
            return self._refused(error.reason)
        if answer not in ANSWERS:
            return self._page(token, "answer")
        consents._answer(ANSWERS[answer], request.httprequest.remote_addr)
        return self._render(consents, "lead_energy.consent_done", answer=answer)

    @http.route(
        "/lead_energy/consent/withdraw/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def consent_withdraw_page(self, token):
        return self._page(token, "withdraw")

    @http.route(
        "/lead_energy/consent/withdraw/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def consent_withdraw(self, token, **_post):
        try:
            consents = self._consents(token, "withdraw")
        except TokenError as error:
            return self._refused(error.reason)
        consents._withdraw(request.httprequest.remote_addr)
        return self._render(consents, "lead_energy.consent_done", answer="withdraw")

    def _consents(self, token, action):
        return request.env["crm.lead.consent"].sudo()._from_token(token, action)

    def _page(self, token, action):
        try:
            consents = self._consents(token, action)
        except TokenError as error:
            return self._refused(error.reason)
        return self._render(
            consents, "lead_energy.consent_page", action=action, token=token
        )

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
                **values,
            },
        )

    def _refused(self, reason):
        return request.render(
            "lead_energy.consent_refused", {"reason": reason}, status=403
        )
