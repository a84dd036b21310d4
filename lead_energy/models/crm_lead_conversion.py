from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

# Quotations in these states were sent to the customer (or confirmed by him).
OFFER_STATES = ("sent", "sale")


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Business partner, contact persons, then the inquiry and the offer."""

    _inherit = "crm.lead"

    further_contact_ids = fields.Many2many(
        "res.partner",
        "crm_lead_further_contact_rel",
        "lead_id",
        "partner_id",
        string="Further Contacts",
        check_company=True,
        help="Further contact persons of the lead, besides the main contact.",
    )

    # Stored for the board's funnel: a column to count, not a subquery on the
    # quotations per lead. A fact of the lead, whoever may read its quotations.
    offer_sent = fields.Boolean(
        compute="_compute_offer_sent",
        store=True,
        help="A quotation of this opportunity was sent to the customer or "
        "confirmed.",
    )

    @api.depends("order_ids.state")
    def _compute_offer_sent(self):
        for lead in self:
            lead.offer_sent = any(
                order.state in OFFER_STATES for order in lead.sudo().order_ids
            )

    @api.constrains("partner_id", "further_contact_ids")
    def _check_further_contacts(self):
        for lead in self.filtered("partner_id"):
            if lead.partner_id in lead.further_contact_ids:
                raise ValidationError(
                    _(
                        "%(contact)s is the main contact of this lead and cannot "
                        "be a further contact as well.",
                        contact=lead.partner_id.display_name,
                    )
                )

    def _check_has_main_contact(self):
        for lead in self:
            if not lead.partner_id:
                raise UserError(
                    _(
                        "Lead “%(lead)s” has no main contact yet: create the contact "
                        "person first.",
                        lead=lead.display_name,
                    )
                )

    def action_open_further_contacts(self):
        self._check_has_main_contact()
        return self._open_wizard(
            "crm.lead.further.contacts", _("Add Further Contact Persons")
        )

    def _add_further_contacts(self, partners):
        """Add partners as further contacts; the main contact and those already
        there are left out, so repeating it changes nothing."""
        self.ensure_one()
        self._check_has_main_contact()
        new = partners - self.partner_id - self.further_contact_ids
        if new:
            self.further_contact_ids = [Command.link(partner.id) for partner in new]
        return new

    def action_open_convert_contact(self):
        self.ensure_one()
        if self.partner_id:
            raise UserError(
                _(
                    "Lead “%(lead)s” already has its contact person %(contact)s.",
                    lead=self.display_name,
                    contact=self.partner_id.display_name,
                )
            )
        return self._open_wizard("crm.lead.convert.contact", _("Create Contact Person"))

    def _check_converted(self):
        for lead in self:
            if lead.lead_state != "converted" or not lead.partner_id:
                raise UserError(
                    _(
                        "Lead “%(lead)s” is not converted yet: create its business "
                        "partner and contact person first.",
                        lead=lead.display_name,
                    )
                )

    def action_create_inquiry(self):
        """The inquiry is the opportunity: Odoo's own conversion of the lead."""
        self.ensure_one()
        self._check_converted()
        if self.type == "lead":
            # Passing the salesperson and team keeps them: CRM would otherwise
            # pick the default team for opportunities.
            self.convert_opportunity(
                self.partner_id, user_ids=self.user_id.ids, team_id=self.team_id.id
            )
            self.message_post(body=_("Inquiry created from the lead."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.id,
            "views": [(self.env.ref("crm.crm_lead_view_form").id, "form")],
            "name": _("Inquiry"),
        }

    def action_create_offer(self):
        """A new quotation for the business partner, on the inquiry."""
        self.ensure_one()
        self._check_converted()
        if self.type == "lead":
            self.action_create_inquiry()
        action = self.action_new_quotation()
        action["context"]["default_partner_id"] = (
            self.partner_id.commercial_partner_id.id
        )
        # Lines to review, from the estimate (see crm_energy_offer_line.py).
        lines = self.env["crm.energy.offer.line"]._order_lines_for(self)
        if lines:
            action["context"]["default_order_line"] = lines
        return action
