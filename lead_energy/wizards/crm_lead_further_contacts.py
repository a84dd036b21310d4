from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLeadFurtherContacts(models.TransientModel):
    _name = "crm.lead.further.contacts"
    _inherit = "crm.lead.energy.wizard"
    _description = "Add Further Contact Persons to a Lead"

    main_contact_id = fields.Many2one(
        related="lead_id.partner_id", string="Main Contact"
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Contact Persons",
        help="Existing contacts, or new ones created here; the main contact stays.",
    )

    def _check_lead(self):
        super()._check_lead()
        self.lead_id._check_has_main_contact()
        return True

    def action_add(self):
        self._check_lead_access()
        if not self.partner_ids:
            raise UserError(_("Choose at least one contact person to add."))
        lead = self.lead_id
        added = lead._add_further_contacts(self.partner_ids)
        if added:
            lead.message_post(
                body=_(
                    "Further contact persons added: %(names)s",
                    names=", ".join(added.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
