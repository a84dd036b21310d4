from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged, users, warmup

from .common import ALL_LEADS, LeadEnergyCase

START = datetime(2027, 3, 2, 9, 0)
STOP = START + timedelta(hours=1)


class AppointmentCase(LeadEnergyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.sales_user(
            "le_employee", "Eva Employee", ALL_LEADS, notification_type="email"
        )
        cls.colleague = cls.sales_user("le_colleague", "Carl Colleague", ALL_LEADS)
        cls.contact = cls.env["res.partner"].create(
            {"name": "Sabine Krüger", "email": "sabine@rheinau.example"}
        )

    def plan(self, user, **values):
        values = {
            "name": "PV for the depot",
            "partner_name": "Stadtwerke Rheinau GmbH",
            "contact_name": "Sabine Krüger",
            "description": "<p>Bring the roof plans.</p>",
            "meeting_user_id": self.employee.id,
            "appointment_start": START,
            "appointment_stop": STOP,
            **values,
        }
        return self.Lead.with_user(user).create(values)

    def inbox(self, user, event):
        """Inbox notifications of ``user`` about ``event`` (Odoo's own
        invitation goes to the employee of this test by e-mail)."""
        self.env.flush_all()
        return self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", user.partner_id.id),
                ("notification_type", "=", "inbox"),
                ("mail_message_id.model", "=", "calendar.event"),
                ("mail_message_id.res_id", "=", event.id),
                ("mail_message_id.message_type", "=", "user_notification"),
            ]
        )


@tagged("post_install", "-at_install")
class TestLeadAppointment(AppointmentCase):
    def test_employee_plans_own_appointment_without_notification(self):
        lead = self.plan(self.employee, partner_id=self.contact.id)
        event = lead.appointment_event_id
        self.assertTrue(event.is_lead_appointment)
        self.assertEqual(event.opportunity_id, lead)
        self.assertEqual((event.start, event.stop), (START, STOP))
        self.assertEqual(event.user_id, self.employee)
        self.assertEqual(event.partner_ids, self.employee.partner_id | self.contact)
        self.assertIn("Bring the roof plans.", event.description)
        self.assertIn("Sabine Krüger", event.description)
        self.assertIn("Stadtwerke Rheinau GmbH", event.description)
        self.assertEqual(event.name, "PV for the depot (Stadtwerke Rheinau GmbH)")
        self.assertFalse(self.inbox(self.employee, event))

    def test_someone_else_plans_it_and_the_employee_is_notified_once(self):
        lead = self.plan(self.salesman_all)
        event = lead.appointment_event_id
        notification = self.inbox(self.employee, event)
        self.assertEqual(len(notification), 1)
        # In the inbox although the employee gets notifications by e-mail,
        # and not sent by e-mail as well.
        self.assertFalse(
            self.env["mail.mail"].search(
                [("mail_message_id", "=", notification.mail_message_id.id)]
            )
        )
        self.assertIn("Alma All-Leads", notification.mail_message_id.body)
        self.assertIn("New appointment", notification.mail_message_id.subject)
        # Saving again without a change of the appointment notifies no one.
        lead.with_user(self.salesman_all).write({"description": "<p>Call first.</p>"})
        self.assertEqual(len(self.inbox(self.employee, event)), 1)

    def test_partial_planning_creates_no_event(self):
        lead = self.plan(self.employee, appointment_stop=False)
        self.assertFalse(lead.appointment_event_id)
        lead.with_user(self.employee).appointment_stop = STOP
        self.assertTrue(lead.appointment_event_id.is_lead_appointment)

    def test_change_by_someone_else_updates_and_notifies(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        later = START + timedelta(days=1)
        lead.with_user(self.colleague).write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=2)}
        )
        self.assertEqual((event.start, event.stop), (later, later + timedelta(hours=2)))
        notification = self.inbox(self.employee, event)
        self.assertEqual(len(notification), 1)
        self.assertIn("changed", notification.mail_message_id.subject)
        self.assertEqual(
            self.env["calendar.event"].search_count([("opportunity_id", "=", lead.id)]),
            1,
        )

    def test_change_by_the_employee_notifies_no_one(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        lead.with_user(self.employee).appointment_stop = STOP + timedelta(hours=1)
        self.assertEqual(event.stop, STOP + timedelta(hours=1))
        self.assertFalse(self.inbox(self.employee, event))

    def test_employee_swap_swaps_organizer_and_attendee(self):
        lead = self.plan(self.employee, partner_id=self.contact.id)
        event = lead.appointment_event_id
        lead.with_user(self.employee).meeting_user_id = self.colleague
        self.assertEqual(event.user_id, self.colleague)
        self.assertEqual(event.partner_ids, self.colleague.partner_id | self.contact)
        self.assertEqual(len(self.inbox(self.colleague, event)), 1)
        self.assertFalse(self.inbox(self.employee, event))

    def test_deleted_event_changes_nothing_and_says_so(self):
        lead = self.plan(self.employee)
        lead.appointment_event_id.unlink()
        later = START + timedelta(days=2)
        lead.with_user(self.colleague).write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=1)}
        )
        self.assertEqual(lead.appointment_start, later)  # the lead is saved
        self.assertFalse(
            self.env["calendar.event"].search([("opportunity_id", "=", lead.id)])
        )
        self.assertIn("was deleted", lead.message_ids[0].body)
        self.env.cr.precommit.run()
        warning = self.env["bus.bus"].search(
            [("message", "ilike", "was not updated")], order="id desc", limit=1
        )
        self.assertIn("Appointment not updated", warning.message)

    def test_copied_event_does_not_claim_the_lead(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        copy = event.copy()
        self.assertFalse(copy.is_lead_appointment)
        later = START + timedelta(days=3)
        lead.with_user(self.employee).write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=1)}
        )
        self.assertEqual(event.start, later)
        self.assertEqual(copy.start, START)
        self.assertEqual(lead.appointment_event_id, event)
        lead.with_user(self.employee).action_open_add_appointment_employees()

    def test_recurring_event_only_the_first_is_the_appointment(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        event.write(
            {
                "recurrency": True,
                "rrule_type": "daily",
                "end_type": "count",
                "count": 3,
            }
        )
        occurrences = event.recurrence_id.calendar_event_ids
        self.assertEqual(len(occurrences), 3)
        self.assertEqual(occurrences.filtered("is_lead_appointment"), event)
        later = START + timedelta(hours=4)
        lead.with_user(self.employee).write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=1)}
        )
        self.assertEqual(event.start, later)
        self.assertEqual(
            sorted((occurrences - event).mapped("start")),
            [START + timedelta(days=1), START + timedelta(days=2)],
        )
        # Moving another occurrence leaves the lead alone.
        other = (occurrences - event)[0]
        other.write(
            {
                "start": other.start + timedelta(hours=1),
                "stop": other.stop + timedelta(hours=1),
            }
        )
        self.assertEqual(lead.appointment_start, later)

    def test_only_the_module_makes_an_event_a_lead_appointment(self):
        lead = self.plan(self.employee)
        lead.user_id = self.employee
        Event = self.env["calendar.event"].with_user(self.salesman)
        values = {"name": "Mine now", "start": START, "stop": STOP}
        with self.assertRaisesRegex(UserError, "Lead Appointment"):
            Event.create(
                {**values, "opportunity_id": lead.id, "is_lead_appointment": True}
            )
        own = Event.create(values)
        with self.assertRaisesRegex(UserError, "Lead Appointment"):
            own.write({"opportunity_id": lead.id, "is_lead_appointment": True})
        with self.assertRaisesRegex(UserError, "appointment of a lead"):
            lead.appointment_event_id.with_user(self.salesman).opportunity_id = False
        with self.assertRaisesRegex(UserError, "Appointment"):
            lead.with_user(self.employee).appointment_event_id = own
        self.assertFalse(own.is_lead_appointment)
        self.assertEqual(lead.appointment_event_id.opportunity_id, lead)

    def test_duplicated_lead_books_no_second_appointment(self):
        lead = self.plan(self.employee, partner_id=self.contact.id)
        copy = lead.with_user(self.employee).copy()
        self.assertFalse(copy.meeting_user_id)
        self.assertFalse(copy.appointment_start or copy.appointment_stop)
        self.assertFalse(copy.appointment_event_id)
        self.assertEqual(
            self.env["calendar.event"].search_count(
                [("opportunity_id", "in", (lead | copy).ids)]
            ),
            1,
        )

    def test_event_moved_by_someone_who_may_not_edit_the_lead(self):
        lead = self.plan(self.employee)
        lead.user_id = self.employee  # the salesman (own leads) may not edit it
        event = lead.appointment_event_id
        later = START + timedelta(days=7)
        event.with_user(self.salesman).write(
            {"start": later, "stop": later + timedelta(hours=1)}
        )
        self.assertEqual(event.start, later)
        self.assertEqual((lead.appointment_start, lead.appointment_stop), (START, STOP))
        self.assertFalse(self.inbox(self.employee, event))

    def test_moving_the_event_moves_the_lead(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        later = START + timedelta(days=7)
        event.with_user(self.colleague).write(
            {"start": later, "stop": later + timedelta(hours=1)}
        )
        self.assertEqual(
            (lead.appointment_start, lead.appointment_stop),
            (later, later + timedelta(hours=1)),
        )
        self.assertEqual(len(self.inbox(self.employee, event)), 1)
        event.with_user(self.employee).write({"stop": later + timedelta(hours=2)})
        self.assertEqual(lead.appointment_stop, later + timedelta(hours=2))
        self.assertEqual(len(self.inbox(self.employee, event)), 1)

    @users("le_employee")
    @warmup
    def test_batch_creation_one_event_each_linear_queries(self):
        def create(count, offset):
            return self.Lead.with_user(self.employee).create(
                [
                    {
                        "name": f"Wallbox {offset + i}",
                        "meeting_user_id": self.employee.id,
                        "appointment_start": START + timedelta(hours=i),
                        "appointment_stop": START + timedelta(hours=i, minutes=30),
                    }
                    for i in range(count)
                ]
            )

        # Exact budgets, measured warm (@warmup, as Odoo's own tests do).
        # Each lead costs 16 queries that no batch can share: mail.thread's
        # creation message, crm's default team and stage, crm's log_meeting
        # message for each calendar event, the nextval of the lead number.
        # Odoo writes 100 rows per INSERT or UPDATE: 10 statements per 100
        # leads. The batch's own work (the events in one create, one UPDATE
        # linking them, the lock on the scoring criteria, ...) is 23 queries,
        # whatever its size; the first
        # batch reads 18 more into the cache (user, company, sequence,
        # scoring options, ...). One query more per lead breaks both budgets.
        with self.assertQueryCount(le_employee=1651):  # 18 + 23 + 100 * 16 + 10
            create(100, 0)
        with self.assertQueryCount(le_employee=16123):  # 23 + 1000 * 16 + 100
            big = create(1000, 100)
        self.assertEqual(len(big.appointment_event_id), 1000)
        self.assertEqual(big.appointment_event_id.opportunity_id, big)
        self.assertTrue(
            all(
                lead.appointment_event_id.start == lead.appointment_start
                for lead in big
            )
        )

    def test_meetings_button_shows_the_leads_meetings(self):
        lead = self.plan(self.employee)
        action = lead.with_user(self.employee).action_schedule_meeting()
        self.assertEqual(action["context"]["default_opportunity_id"], lead.id)
        self.assertEqual(action["context"]["search_default_opportunity_id"], lead.id)
        lead.invalidate_recordset(["calendar_event_ids"])
        self.assertEqual(lead.calendar_event_ids, lead.appointment_event_id)
        opened = lead.with_user(self.employee).action_open_appointment()
        self.assertEqual(opened["res_id"], lead.appointment_event_id.id)

    def test_merged_leads_keep_one_appointment(self):
        leads = self.plan(self.employee) | self.plan(self.employee, name="PV, again")
        kept = leads.with_user(self.salesman_all).merge_opportunity()
        merged_away = leads - kept
        self.assertFalse(merged_away.exists())
        own_event = kept.appointment_event_id
        other_event = self.env["calendar.event"].search(
            [("opportunity_id", "=", kept.id), ("id", "!=", own_event.id)]
        )
        self.assertEqual(len(other_event), 1)
        self.assertTrue(own_event.is_lead_appointment)
        self.assertFalse(other_event.is_lead_appointment)
        later = START + timedelta(days=2)
        kept.write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=1)}
        )
        self.assertEqual((own_event.start, other_event.start), (later, START))

    def test_appointment_employee_opens_a_colleagues_lead(self):
        lead = self.plan(
            self.salesman_all,
            user_id=self.salesman_all.id,
            meeting_user_id=self.salesman.id,
        )
        as_salesman = lead.with_user(self.salesman)
        self.assertEqual(as_salesman.read(["name"])[0]["name"], lead.name)
        self.assertEqual(len(self.inbox(self.salesman, lead.appointment_event_id)), 1)
        later = START + timedelta(days=1)
        as_salesman.write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=1)}
        )
        self.assertEqual(lead.appointment_event_id.start, later)

    def test_appointment_must_end_after_start(self):
        start = datetime(2026, 12, 1, 10, 0)
        form = self.lead_form()
        form.name = "Heat pump and PV"
        form.appointment_start = start
        form.appointment_stop = start - timedelta(hours=1)
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            form.save()
        form.appointment_stop = start + timedelta(hours=1)
        lead = form.save()
        self.assertEqual(lead.appointment_stop, start + timedelta(hours=1))


@tagged("post_install", "-at_install")
class TestAddAppointmentEmployees(AppointmentCase):
    def add(self, lead, users, user=None):
        action = lead.with_user(
            user or self.employee
        ).action_open_add_appointment_employees()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user or self.employee)
            .with_context(**action["context"])
        )
        for added in users:
            wizard.user_ids.add(added)
        return wizard.save().action_add_employees()

    def test_offered_only_with_a_planned_appointment(self):
        lead = self.plan(self.employee, appointment_stop=False)
        with self.assertRaisesRegex(UserError, "no planned appointment"):
            lead.with_user(self.employee).action_open_add_appointment_employees()
        with self.assertRaisesRegex(UserError, "no planned appointment"):
            self.env["crm.lead.appointment.employees"].with_user(self.employee).create(
                {"lead_id": lead.id}
            )

    def test_added_employees_attend_and_are_notified_once(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        third = new_test_user(self.env, login="le_third", name="Tom Third")
        self.add(lead, [self.colleague, third])
        self.assertEqual(
            event.partner_ids,
            self.employee.partner_id | self.colleague.partner_id | third.partner_id,
        )
        self.assertEqual(len(self.inbox(self.colleague, event)), 1)
        self.assertIn("added you", self.inbox(third, event).mail_message_id.body)
        # Adding them again does nothing twice.
        self.add(lead, [self.colleague])
        self.assertEqual(len(event.partner_ids), 3)
        self.assertEqual(len(self.inbox(self.colleague, event)), 1)
        self.assertFalse(self.inbox(self.employee, event))

    def test_portal_users_are_never_added(self):
        lead = self.plan(self.employee)
        portal = new_test_user(
            self.env, login="le_portal", name="Pia Portal", groups="base.group_portal"
        )
        with self.assertRaisesRegex(ValidationError, "Pia Portal"):
            self.env["crm.lead.appointment.employees"].with_user(self.employee).create(
                {"lead_id": lead.id, "user_ids": [Command.set(portal.ids)]}
            )
        self.assertNotIn(portal.partner_id, lead.appointment_event_id.partner_ids)

    def test_private_event_hidden_from_others(self):
        lead = self.plan(self.employee)
        event = lead.appointment_event_id
        event.privacy = "private"
        # The colleague may edit the lead but is neither organizer nor attendee.
        with self.assertRaisesRegex(UserError, "private"):
            self.add(lead, [self.colleague], user=self.colleague)
        with self.assertRaisesRegex(UserError, "private"):
            self.env["crm.lead.appointment.employees"].with_user(self.colleague).create(
                {"lead_id": lead.id, "user_ids": [Command.set(self.colleague.ids)]}
            )
        self.assertNotIn(self.colleague.partner_id, event.partner_ids)
        self.assertFalse(self.inbox(self.colleague, event))
        # The organizer may.
        self.add(lead, [self.colleague])
        self.assertIn(self.colleague.partner_id, event.partner_ids)

    def test_user_without_access_to_the_lead(self):
        lead = self.plan(self.employee)  # owned by the employee
        lead.user_id = self.employee
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).action_open_add_appointment_employees()
        with self.assertRaises(AccessError):
            self.env["crm.lead.appointment.employees"].with_user(self.salesman).create(
                {"lead_id": lead.id, "user_ids": [(6, 0, self.colleague.ids)]}
            )
