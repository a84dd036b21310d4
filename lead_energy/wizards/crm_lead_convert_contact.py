from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import email_domain_extract

from ..tools.company_matching import (
    company_email_domain,
    core_name,
    match_points,
    match_reasons,
    web_domain,
)


class CrmLeadConvertContact(models.TransientModel):
    """Create Contact Person: business partner, then contact person, prefilled
    from the lead; then the inquiry and the offer."""

    _name = "crm.lead.convert.contact"
    _inherit = "crm.lead.energy.wizard"
    _description = "Convert a Lead into Business Partner and Contact Person"

    step = fields.Selection(
        [
            ("company", "Business Partner"),
            ("contact", "Contact Person"),
            ("done", "Done"),
        ],
        default="company",
        required=True,
    )
    suggestion_ids = fields.One2many(
        "crm.lead.convert.suggestion", "wizard_id", string="Existing Companies"
    )
    company_mode = fields.Selection(
        [("existing", "Link an existing company"), ("new", "Create a new company")],
        default="new",
        required=True,
    )
    company_id = fields.Many2one(
        "res.partner",
        string="Business Partner",
        domain="[('is_company', '=', True)]",
    )
    # The new company, prefilled from the lead and editable.
    company_name = fields.Char()
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    country_id = fields.Many2one("res.country")
    phone = fields.Char()
    email = fields.Char()
    website = fields.Char()
    industry_id = fields.Many2one("res.partner.industry")
    # The contact person.
    contact_mode = fields.Selection(
        [("new", "Create a new contact"), ("existing", "Pick an existing contact")],
        default="new",
        required=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        domain="[('parent_id', '=', company_id), ('is_company', '=', False)]",
    )
    contact_name = fields.Char(string="Name")
    function = fields.Char(string="Job Position")
    contact_email = fields.Char(string="Contact E-mail")
    contact_phone = fields.Char(string="Contact Telephone")
    contact_mobile = fields.Char(string="Mobile")
    image = fields.Image(string="Business Card")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        lead = self.env["crm.lead"].browse(values.get("lead_id"))
        if lead:
            values.update(self._values_from_lead(lead))
            suggestions = self._suggest_companies(lead)
            values["suggestion_ids"] = [Command.create(vals) for vals in suggestions]
            if suggestions:
                values["company_mode"] = "existing"
                values["company_id"] = suggestions[0]["partner_id"]
        return values

    @api.model
    def _values_from_lead(self, lead):
        return {
            "company_name": lead.partner_name or lead.contact_name,
            "street": lead.street,
            "zip": lead.zip,
            "city": lead.city,
            "country_id": lead.country_id.id,
            "phone": lead.phone,
            "email": lead.email_from,
            "website": lead.website,
            "industry_id": lead.industry_id.id,
            "contact_name": lead.contact_name,
            "function": lead.function,
            "contact_email": lead.email_from,
            "contact_phone": lead.phone,
            "contact_mobile": lead.mobile,
            "image": lead.business_card,
        }

    def _check_lead(self):
        super()._check_lead()
        if self.lead_id.partner_id:
            raise UserError(
                _(
                    "Lead “%(lead)s” already has its contact person.",
                    lead=self.lead_id.display_name,
                )
            )
        return True

    # -- step 1: the business partner -------------------------------------------

    @api.model
    def _suggest_companies(self, lead, limit=5):
        """Existing companies that look like the lead's, best first, with why."""
        name = core_name(lead.partner_name)
        email_domain = company_email_domain(
            email_domain_extract(lead.email_from or "") or False
        )
        site = web_domain(lead.website)
        phone = lead.phone_sanitized
        conditions = []
        if name:
            conditions.append(("name", "ilike", name.split()[0]))
        for domain in {email_domain, site} - {False}:
            conditions += [
                ("email", "=ilike", f"%@{domain}"),
                ("website", "ilike", domain),
            ]
        if phone:
            conditions.append(("phone_sanitized", "=", phone))
        if not conditions:
            return []
        candidates = self.env["res.partner"].search(
            [("is_company", "=", True), *(["|"] * (len(conditions) - 1)), *conditions],
            limit=200,
        )
        scored = []
        for partner in candidates:
            reasons = match_reasons(
                name, email_domain, site, phone, self._match_keys(partner)
            )
            if reasons:
                scored.append((match_points(reasons), partner, reasons))
        scored.sort(key=lambda item: (-item[0], item[1].name))
        labels = {
            "name": _("same name"),
            "similar_name": _("similar name"),
            "domain": _("same e-mail domain"),
            "website": _("same website"),
            "phone": _("same phone number"),
        }
        return [
            {
                "partner_id": partner.id,
                "points": points,
                "reason": ", ".join(labels[key] for key in reasons),
                "sequence": rank,
            }
            for rank, (points, partner, reasons) in enumerate(scored[:limit])
        ]

    @staticmethod
    def _match_keys(partner):
        return {
            "name": partner.name,
            "domains": {
                email_domain_extract(partner.email or "") or False,
                web_domain(partner.website),
            }
            - {False},
            "phone": partner.phone_sanitized,
        }

    def _check_company_choice(self):
        self.ensure_one()
        if self.company_mode == "existing" and not self.company_id:
            raise UserError(_("Choose the existing company, or create a new one."))
        if self.company_mode == "new" and not self.company_name:
            raise UserError(_("Give the new company a name."))
        return True

    def _company(self):
        """The business partner: the chosen company, or a new one from the
        wizard's fields, whatever was suggested."""
        self.ensure_one()
        if self.company_mode == "existing":
            return self.company_id
        return self.env["res.partner"].create(
            {
                "name": self.company_name,
                "is_company": True,
                "street": self.street,
                "zip": self.zip,
                "city": self.city,
                "country_id": self.country_id.id,
                "phone": self.phone,
                "email": self.email,
                "website": self.website,
                "industry_id": self.industry_id.id,
            }
        )

    def action_company_next(self):
        self._check_lead_access()
        if self.step != "company":
            return self._reopen()
        self._check_lead()  # another wizard may have converted the lead since
        self._check_company_choice()
        values = {"step": "contact"}
        if self.company_mode == "new":
            # The new company is created together with the contact person, so
            # nothing is left behind when the lead is converted elsewhere first.
            values.update(company_id=False, contact_mode="new")
        elif not self.company_id.child_ids:
            values["contact_mode"] = "new"
        self.write(values)
        return self._reopen()

    # -- step 2: the contact person --------------------------------------------

    def _check_contact_choice(self):
        self.ensure_one()
        if self.contact_mode == "new":
            if not self.contact_name:
                raise UserError(_("Give the contact person a name."))
            return True
        if not self.contact_id:
            raise UserError(_("Choose the existing contact, or create a new one."))
        if self.company_mode == "new" or self.contact_id.parent_id != self.company_id:
            raise UserError(
                _(
                    "“%(contact)s” is not a contact person of the business partner: "
                    "choose one of its contacts, or create a new one.",
                    contact=self.contact_id.display_name,
                )
            )
        return True

    def _contact(self, company):
        self.ensure_one()
        if self.contact_mode == "existing":
            return self.contact_id, False
        contact = self.env["res.partner"].create(
            {
                "name": self.contact_name,
                "parent_id": company.id,
                "type": "contact",
                "function": self.function,
                "email": self.contact_email,
                "phone": self.contact_phone,
                "mobile": self.contact_mobile,
                "image_1920": self.image,
            }
        )
        return contact, True

    def action_contact_confirm(self):
        self._check_lead_access()
        lead = self.lead_id
        if self.step == "done":
            return self._reopen()
        if self.step != "contact":
            raise UserError(_("Choose the business partner first."))
        # Converted by another wizard meanwhile: create nothing.
        self._check_lead()
        self._check_company_choice()
        self._check_contact_choice()
        company = self._company()
        contact, created = self._contact(company)
        lead.write({"partner_id": contact.id})
        lead._set_lead_state("converted")
        lead.message_post(
            body=_(
                "Converted: business partner %(company)s, contact person %(contact)s "
                "(%(how)s).",
                company=company.display_name,
                contact=contact.name,
                how=_("created") if created else _("linked"),
            )
        )
        self.write(
            {
                "company_mode": "existing",
                "company_id": company.id,
                "contact_mode": "existing",
                "contact_id": contact.id,
                "step": "done",
            }
        )
        return self._reopen()

    # -- step 3: inquiry and offer ------------------------------------------------

    def action_create_inquiry(self):
        self._check_lead_access()
        return self.lead_id.action_create_inquiry()

    def action_create_offer(self):
        self._check_lead_access()
        return self.lead_id.action_create_offer()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
            "name": _("Create Contact Person"),
        }


class CrmLeadConvertSuggestion(models.TransientModel):
    _name = "crm.lead.convert.suggestion"
    _description = "Existing Company Suggested for a Lead"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "crm.lead.convert.contact", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Company", required=True)
    city = fields.Char(related="partner_id.city")
    email = fields.Char(related="partner_id.email")
    points = fields.Integer(string="Match")
    reason = fields.Char(string="Why")
    sequence = fields.Integer()

    def action_choose(self):
        self.ensure_one()
        self.check_access("write")
        self.wizard_id._check_lead_access()
        self.wizard_id.write(
            {"company_mode": "existing", "company_id": self.partner_id.id}
        )
        return self.wizard_id.action_company_next()
