from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class CrmLeadAppointmentEmployees(models.TransientModel):
    _name = "crm.lead.appointment.employees"
    _inherit = "crm.lead.energy.wizard"
    _description = "Add Employees to a Lead's Appointment"

    appointment_event_id = fields.Many2one(
        related="lead_id.appointment_event_id", string="Appointment"
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Employees",
        domain="[('share', '=', False)]",
        help="Each one becomes an attendee of the appointment and is notified.",
    )

    def _check_lead(self):
        super()._check_lead()
        self.lead_id._identified_appointment()
        return True

    def action_add_employees(self):
        self._check_lead_access()
        if not self.user_ids:
            raise UserError(_("Choose at least one employee to add."))
        lead = self.lead_id
        event = lead._identified_appointment()
        new_users = self.user_ids.filtered(
            lambda user: user.partner_id not in event.partner_ids
        )
        if new_users:
            event.write(
                {
                    "partner_ids": [
                        Command.link(user.partner_id.id) for user in new_users
                    ]
                }
            )
            lead.message_post(
                body=_(
                    "Added to the appointment: %(names)s",
                    names=", ".join(new_users.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        for user in new_users - self.env.user:
            lead._notify_appointment(event, user, "added")
        return {"type": "ir.actions.act_window_close"}
