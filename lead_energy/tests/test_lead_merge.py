from datetime import date, datetime, timedelta

from markupsafe import Markup

from odoo.fields import Command
from odoo.tests import tagged

from .common import LeadEnergyCase
from .test_lead import png_b64

START = datetime(2027, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestLeadMerge(LeadEnergyCase):
    """CRM's merge wizard on energy leads, as a salesman with all documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.employee = cls.sales_user(
            "le_merge_employee", "Erik Employee", "sales_team.group_sale_salesman"
        )
        cls.follower = cls.sales_user(
            "le_merge_followup", "Fiona Follow-up", "sales_team.group_sale_salesman"
        )
        cls.other_follower = cls.sales_user(
            "le_merge_followup2", "Gero Follow-up", "sales_team.group_sale_salesman"
        )
        partners = cls.env["res.partner"].create(
            [
                {"name": name, "email": f"{name.split()[0].lower()}@merge.example"}
                for name in (
                    "Anna Main",
                    "Bernd Main",
                    "Paul Further",
                    "Petra Further",
                    "Pia Further",
                )
            ]
        )
        cls.main_a, cls.main_b, cls.further_1, cls.further_2, cls.further_3 = partners

        cls.interest = {
            code: ref(f"lead_energy.crm_energy_interest_{code}")
            for code in ("photovoltaics", "wind", "battery_storage")
        }
        cls.business = ref("lead_energy.crm_energy_lead_type_business")
        cls.household = ref("lead_energy.crm_energy_lead_type_household")
        cls.industry_d = ref("base.res_partner_industry_D")  # 10 points
        cls.industry_c = ref("base.res_partner_industry_C")  # 8 points
        cls.referral = ref("lead_energy.utm_source_referral")  # 10 points
        cls.trade_fair = ref("lead_energy.utm_source_trade_fair")  # 8 points
        cls.card = png_b64()

    def opt(self, name):
        return self.env.ref(f"lead_energy.crm_lead_scoring_option_{name}")

    def appointment(self, hours):
        return {
            "meeting_user_id": self.employee.id,
            "appointment_start": START + timedelta(hours=hours),
            "appointment_stop": START + timedelta(hours=hours, minutes=30),
        }

    def create_leads(self, head_appointment=True):
        """Three rated duplicates, created oldest first; the merge keeps the
        one most likely to be won (highest probability)."""
        user = self.salesman_all
        oldest = self.create_lead(
            user,
            name="Merge C",
            probability=20,
            partner_name="Bäckerei Sonne",
            interest_ids=[Command.set(self.interest["photovoltaics"].ids)],
            further_contact_ids=[Command.set(self.further_3.ids)],
            size_option_id=self.opt("size_1_9").id,  # 4
            volume_option_id=self.opt("volume_gt_250k").id,  # 10
            lead_type_id=self.household.id,
            followup_user_id=self.follower.id,
            followup_deadline=date(2027, 4, 1),
            request_opt_in=True,
            **self.appointment(4),
        )
        middle = self.create_lead(
            user,
            name="Merge B",
            probability=40,
            partner_id=self.main_b.id,
            interest_ids=[
                Command.set(
                    (self.interest["wind"] | self.interest["battery_storage"]).ids
                )
            ],
            further_contact_ids=[Command.set((self.further_2 | self.main_a).ids)],
            influence_option_id=self.opt("influence_decision_maker").id,  # 10
            size_option_id=self.opt("size_250_plus").id,  # 10
            industry_id=self.industry_d.id,
            need_option_id=self.opt("need_immediate").id,  # 10
            source_id=self.referral.id,
            volume_option_id=self.opt("volume_10k_50k").id,  # 5
            lead_type_id=self.business.id,
            followup_user_id=self.other_follower.id,
            followup_deadline=date(2027, 5, 10),
            business_card=self.card,
            **self.appointment(2),
        )
        middle.with_user(user).action_mark_qualified()
        head = self.create_lead(
            user,
            name="Merge A",
            probability=60,
            partner_id=self.main_a.id,
            interest_ids=[Command.set(self.interest["photovoltaics"].ids)],
            further_contact_ids=[Command.set(self.further_1.ids)],
            influence_option_id=self.opt("influence_co_decider").id,  # 7
            size_option_id=self.opt("size_household").id,  # 3
            industry_id=self.industry_c.id,
            need_option_id=self.opt("need_3_months").id,  # 7
            source_id=self.trade_fair.id,
            **(self.appointment(0) if head_appointment else {}),
        )
        head.with_user(user).action_mark_contacted()
        return head, middle, oldest

    def claims_of(self, lead):
        """The events that claim to be the lead's appointment."""
        return (
            self.env["calendar.event"]
            .sudo()
            .search(
                [("opportunity_id", "=", lead.id), ("is_lead_appointment", "=", True)]
            )
        )

    def events_of(self, lead):
        return self.env["calendar.event"].search([("opportunity_id", "=", lead.id)])

    def test_merge_keeps_every_leads_energy_data(self):
        head, middle, oldest = self.create_leads()
        leads = head | middle | oldest
        numbers = {lead: lead.lead_number for lead in leads}
        events = {lead: lead.appointment_event_id for lead in leads}
        self.assertTrue(all(events.values()))
        planned = (head.meeting_user_id, head.appointment_start, head.appointment_stop)
        date_qualified = middle.date_qualified
        date_contacted = head.date_contacted
        self.assertLess(head.lead_score, 100)

        survivor = self.merge(leads)

        self.assertEqual(survivor, head)
        self.assertEqual(
            head.interest_ids,
            self.interest["photovoltaics"]
            | self.interest["wind"]
            | self.interest["battery_storage"],
        )
        self.assertEqual(head.partner_id, self.main_a)
        self.assertEqual(
            head.further_contact_ids, self.further_1 | self.further_2 | self.further_3
        )
        # The best rating per criterion, from whichever lead had it.
        self.assertEqual(head.influence_option_id, self.opt("influence_decision_maker"))
        self.assertEqual(head.size_option_id, self.opt("size_250_plus"))
        self.assertEqual(head.industry_id, self.industry_d)
        self.assertEqual(head.need_option_id, self.opt("need_immediate"))
        self.assertEqual(head.source_id, self.referral)
        self.assertEqual(head.volume_option_id, self.opt("volume_gt_250k"))
        self.assertEqual(head.lead_score, 100)
        # The follow-up due first, employee and date together.
        self.assertEqual(head.followup_user_id, self.follower)
        self.assertEqual(head.followup_deadline, date(2027, 4, 1))
        self.assertEqual(head.lead_type_id, self.business)
        self.assertTrue(head.request_opt_in)
        self.assertEqual(
            head.with_context(bin_size=False).business_card, self.card.encode()
        )
        # The most advanced state, reached when the merged lead reached it.
        self.assertEqual(head.lead_state, "qualified")
        self.assertEqual(head.date_qualified, date_qualified)
        self.assertEqual(head.date_contacted, date_contacted)
        # The earliest number stays; the others are named in the chatter.
        self.assertEqual(head.lead_number, numbers[oldest])
        notes = head.message_ids.filtered(
            lambda message: numbers[head] in (message.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(numbers[middle], notes.body)
        self.assertIn(Markup("keeps the lead number %s") % numbers[oldest], notes.body)
        # One appointment: the survivor's; the others are its ordinary meetings.
        self.assertEqual(
            self.events_of(head), events[head] | events[middle] | events[oldest]
        )
        self.assertEqual(head.appointment_event_id, events[head])
        self.assertEqual(
            self.events_of(head).filtered("is_lead_appointment"), events[head]
        )
        self.assertEqual(self.claims_of(head), events[head])
        self.assertEqual(
            (head.meeting_user_id, head.appointment_start, head.appointment_stop),
            planned,
        )
        # The appointment still follows the lead.
        later = START + timedelta(days=1)
        head.with_user(self.salesman_all).write(
            {"appointment_start": later, "appointment_stop": later + timedelta(hours=1)}
        )
        self.assertEqual(events[head].start, later)

    def test_survivor_without_appointment_takes_the_first_merged_ones(self):
        head, middle, oldest = self.create_leads(head_appointment=False)
        self.assertFalse(head.appointment_event_id)
        event = middle.appointment_event_id
        planned = (
            middle.meeting_user_id,
            middle.appointment_start,
            middle.appointment_stop,
        )
        other = oldest.appointment_event_id

        self.assertEqual(self.merge(head | middle | oldest), head)

        self.assertEqual(head.appointment_event_id, event)
        self.assertTrue(head.appointment_created)
        self.assertEqual(
            (head.meeting_user_id, head.appointment_start, head.appointment_stop),
            planned,
        )
        self.assertEqual(self.claims_of(head), event)
        self.assertEqual(self.events_of(head), event | other)
        self.assertFalse(other.is_lead_appointment)

    def test_converted_lead_makes_the_merged_lead_converted(self):
        head, middle, oldest = self.create_leads()
        # middle got its contact person; oldest was lost before it was merged.
        middle._set_lead_state("converted")
        lost = self.env.ref("crm.lost_reason_1")
        oldest.with_user(self.salesman_all).action_set_lost(lost_reason_id=lost.id)
        self.assertEqual(oldest.lead_state, "closed")
        date_qualified = middle.date_qualified

        # CRM's merge wizard leaves lost leads out; its API merges them.
        leads = (head | middle | oldest).with_user(self.salesman_all)
        self.assertEqual(leads.merge_opportunity(), head)

        self.assertEqual(head.lead_state, "converted")
        self.assertTrue(head.active)
        self.assertEqual(head.date_qualified, date_qualified)
