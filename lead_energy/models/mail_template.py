from odoo import fields, models

MAIL_PURPOSES = [
    ("appointment_confirmation", "Appointment Confirmation"),
    ("info_material", "Information Material"),
    ("opt_in", "Opt-in Request"),
]


class MailTemplate(models.Model):
    _inherit = "mail.template"

    lead_energy_purpose = fields.Selection(
        MAIL_PURPOSES,
        string="Lead Mail Purpose",
        index="btree_not_null",
        help="Offer this template of the Leads model when sending an appointment "
        "confirmation, information material or an opt-in request from a lead. An "
        "opt-in request's template must carry the confirmation link "
        "(object._opt_in_url()).",
    )
