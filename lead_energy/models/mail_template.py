from odoo import fields, models

MAIL_PURPOSES = [
    ("appointment_confirmation", "Appointment Confirmation"),
    ("info_material", "Information Material"),
]


class MailTemplate(models.Model):
    _inherit = "mail.template"

    lead_energy_purpose = fields.Selection(
        MAIL_PURPOSES,
        string="Lead Mail Purpose",
        index="btree_not_null",
        help="Offer this template of the Leads model when sending an appointment "
        "confirmation or information material from a lead.",
    )
