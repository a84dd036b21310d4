import re

from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..hooks import post_init_hook
from ..models.crm_lead_number import draw_numbers
from ..tools.internal_flow import MAINTAINED, internal_context
from .common import LeadEnergyCase

NUMBER = re.compile(r"^L\d{4}-\d{5}$")


@tagged("post_install", "-at_install")
class TestLeadNumber(LeadEnergyCase):
    def test_number_assigned_on_create(self):
        lead = self.create_lead()
        self.assertRegex(lead.lead_number, NUMBER)

    def test_batch_create_numbers_every_lead_once(self):
        leads = self.Lead.with_user(self.salesman).create(
            [{"name": f"Storage {i}"} for i in range(5)]
        )
        numbers = leads.mapped("lead_number")
        self.assertEqual(len(set(numbers)), 5)
        self.assertTrue(all(NUMBER.match(n) for n in numbers))
        # Assigned in creation order, from one sequence.
        self.assertEqual(numbers, sorted(numbers))

    def test_numbers_of_a_batch_continue_the_sequence(self):
        """A batch draws its numbers at once, as next_by_id would one by one,
        also from a sequence an administrator made gapless or yearly."""
        sequence = self.env.company._lead_number_sequence()[self.env.company]
        for settings in ({}, {"implementation": "no_gap"}, {"use_date_range": True}):
            with self.subTest(**settings):
                sequence.write(settings)
                first = int(sequence.next_by_id().rsplit("-", 1)[1])
                numbers = draw_numbers(sequence, 3)
                following = int(sequence.next_by_id().rsplit("-", 1)[1])
                year = fields.Date.today().year
                self.assertEqual(
                    numbers,
                    [f"L{year}-{n:05d}" for n in range(first + 1, first + 4)],
                )
                self.assertEqual(following, first + 4)

    def test_number_assigned_on_import(self):
        result = self.Lead.with_user(self.salesman).load(
            ["name", "contact_name"],
            [["Wind farm import", "Jens Hansen"], ["PV import", "Eva Bauer"]],
        )
        self.assertFalse(result["messages"])
        leads = self.Lead.browse(result["ids"])
        self.assertEqual(len(leads), 2)
        self.assertTrue(all(NUMBER.match(n) for n in leads.mapped("lead_number")))

    def test_copy_gets_a_new_number(self):
        lead = self.create_lead()
        duplicate = lead.copy()
        self.assertRegex(duplicate.lead_number, NUMBER)
        self.assertNotEqual(duplicate.lead_number, lead.lead_number)

    def test_number_is_readonly_in_the_form_and_searchable(self):
        lead = self.create_lead(name="Searchable lead")
        found = self.Lead.search([("lead_number", "ilike", lead.lead_number[-5:])])
        self.assertIn(lead, found)
        form_view = self.env.ref("lead_energy.crm_lead_view_form_energy")
        fields_info = self.Lead.get_views([(form_view.id, "form")])["models"][
            "crm.lead"
        ]
        self.assertTrue(fields_info["fields"]["lead_number"]["readonly"])

    def test_number_unique_per_company(self):
        first = self.create_lead()
        second = self.create_lead()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                second.sudo().with_context(**internal_context(MAINTAINED)).write(
                    {"lead_number": first.lead_number}
                )

    def test_each_company_numbers_on_its_own(self):
        # A company created as the settings do: its lead numbers come with it.
        with Form(self.env["res.company"]) as company_form:
            company_form.name = "Solar Tochter GmbH"
        other = company_form.record
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "lead_energy.lead_number"),
                    ("company_id", "=", other.id),
                ]
            )
        )
        self.assertEqual(len(sequence), 1)
        default = self.env.ref("lead_energy.ir_sequence_lead_number")
        self.assertEqual(
            (sequence.prefix, sequence.padding, sequence.number_next_actual),
            (default.prefix, default.padding, 1),
        )
        main_lead = self.create_lead()
        self.env.user.company_ids |= other
        other_lead = self.Lead.with_company(other).create(
            {"name": "Other company lead", "company_id": other.id}
        )
        year = fields.Date.today().year
        self.assertEqual(other_lead.lead_number, f"L{year}-00001")
        self.assertEqual(sequence.number_next_actual, 2)
        self.assertNotEqual(main_lead.lead_number, other_lead.lead_number)

    def test_install_numbers_existing_leads(self):
        older, newer = self.create_lead(), self.create_lead()
        self.env.cr.execute(
            "UPDATE crm_lead SET lead_number = NULL WHERE id IN %s",
            [tuple((older | newer).ids)],
        )
        (older | newer).invalidate_recordset(["lead_number"])
        post_init_hook(self.env)
        self.assertRegex(older.lead_number, NUMBER)
        self.assertRegex(newer.lead_number, NUMBER)
        self.assertLess(older.lead_number, newer.lead_number)

    def moved_message(self, lead):
        return lead.sudo().message_ids.filtered(
            lambda message: "moved to" in (message.body or "")
        )

    def test_moving_between_companies_renumbers_both_ways(self):
        main = self.env.company
        other = self.env["res.company"].create({"name": "Wind Tochter GmbH"})
        self.env.user.company_ids |= other
        # Each company has numbered a lead, so both hold the other's next number.
        self.Lead.with_company(other).create(
            {"name": "Other's own lead", "company_id": other.id}
        )
        lead = self.Lead.create({"name": "Moving lead", "company_id": main.id})
        first = lead.lead_number
        other_sequence = other._lead_number_sequence()[other]
        expected = other_sequence.get_next_char(other_sequence.number_next_actual)

        lead.write({"company_id": other.id})
        self.env.flush_all()
        self.assertEqual(lead.company_id, other)
        self.assertEqual(lead.lead_number, expected)
        self.assertIn(first, self.moved_message(lead).body)
        self.assertIn(expected, self.moved_message(lead).body)

        lead.write({"company_id": main.id})
        self.env.flush_all()
        self.assertEqual(lead.company_id, main)
        self.assertRegex(lead.lead_number, NUMBER)
        self.assertNotIn(lead.lead_number, (first, expected))
        self.assertEqual(len(self.moved_message(lead)), 2)
        numbers = self.Lead.search([("company_id", "=", main.id)]).mapped("lead_number")
        self.assertEqual(len(numbers), len(set(numbers)))

    def test_moving_to_a_team_of_another_company_renumbers(self):
        other = self.env["res.company"].create({"name": "Speicher Tochter GmbH"})
        self.env.user.company_ids |= other
        self.Lead.with_company(other).create(
            {"name": "Other's first lead", "company_id": other.id}
        )
        team = self.env["crm.team"].create({"name": "Speicher", "company_id": other.id})
        lead = self.Lead.create({"name": "Lead changing team"})
        number = lead.lead_number
        lead.write({"team_id": team.id, "user_id": False})
        self.env.flush_all()
        self.assertEqual(lead.company_id, other)
        self.assertNotEqual(lead.lead_number, number)
        self.assertTrue(lead.lead_number.endswith("-00002"))

    def test_changes_within_the_company_keep_the_number(self):
        lead = self.create_lead()
        number = lead.lead_number
        lead.write({"user_id": self.salesman_all.id, "name": "Renamed"})
        self.assertEqual(lead.lead_number, number)
        self.assertFalse(self.moved_message(lead))

    def test_moving_onto_a_number_the_other_company_uses(self):
        other = self.env["res.company"].create({"name": "Netz Tochter GmbH"})
        self.env.user.company_ids |= other
        lead = self.Lead.create({"name": "Lead to move"})
        taken = self.Lead.with_company(other).create(
            {"name": "Holds the same number", "company_id": other.id}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET lead_number = %s WHERE id = %s",
            [lead.lead_number, taken.id],
        )
        taken.invalidate_recordset(["lead_number"])
        lead.write({"company_id": other.id})
        self.env.flush_all()
        self.assertEqual(lead.company_id, other)
        self.assertNotEqual(lead.lead_number, taken.lead_number)

    def test_numbering_in_sql_comes_after_pending_writes(self):
        lead = self.create_lead()
        # A number written through the ORM and not yet in the database must
        # not overwrite the one the SQL UPDATE gives afterwards.
        lead.with_context(**internal_context(MAINTAINED)).lead_number = "PENDING-1"
        lead._assign_lead_numbers()
        self.env.flush_all()
        lead.invalidate_recordset()
        self.assertRegex(lead.lead_number, NUMBER)
