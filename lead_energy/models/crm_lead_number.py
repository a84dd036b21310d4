from odoo import _, api, fields, models

from ..tools.internal_flow import MAINTAINED, internal_context

# CRM recomputes a lead's company from these (see crm's _compute_company_id).
COMPANY_SOURCES = {"company_id", "team_id", "user_id", "partner_id"}


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Lead numbers (L2026-00001) from each company's sequence."""

    _inherit = "crm.lead"

    lead_number = fields.Char(
        readonly=True,
        copy=False,
        index="trigram",
        help="Assigned automatically from the company's lead number sequence.",
    )

    _sql_constraints = [
        (
            "lead_number_company_uniq",
            "unique(company_id, lead_number)",
            "This lead number is already used in this company.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered(lambda lead: not lead.lead_number)._assign_lead_numbers()
        return leads

    def write(self, vals):
        # Numbers are unique per company, and every company numbers from 1: a
        # lead moving to another company takes the next number there.
        companies_before = None
        if COMPANY_SOURCES & vals.keys():
            companies_before = {lead.id: lead.company_id for lead in self}
        result = super().write(vals)
        if companies_before:
            # sudo: the write may have handed the lead to someone else.
            self.sudo().filtered(
                lambda lead: lead.lead_number
                and lead.company_id
                and lead.company_id != companies_before[lead.id]
            )._renumber_in_new_company()
        return result

    def _renumber_in_new_company(self):
        """Give moved leads their new company's next number; the chatter keeps
        the old one. Written through the ORM, so that the new number reaches the
        database in the same UPDATE as the new company."""
        if not self:
            return
        sequences = self.company_id._lead_number_sequence()
        for lead in self:
            old_number = lead.lead_number
            lead.with_context(**internal_context(MAINTAINED)).lead_number = sequences[
                lead.company_id
            ].next_by_id()
            lead.message_post(
                body=_(
                    "Lead number %(old)s became %(new)s: the lead moved to "
                    "%(company)s, which numbers its leads on its own.",
                    old=old_number,
                    new=lead.lead_number,
                    company=lead.company_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _assign_lead_numbers(self):
        """Number these leads from their company's sequence, in one UPDATE."""
        if not self:
            return
        companies = self.company_id | self.env.company
        sequences = companies._lead_number_sequence()
        numbers = []
        for company, leads in self.grouped(
            lambda lead: lead.company_id or self.env.company
        ).items():
            drawn = draw_numbers(sequences[company], len(leads))
            numbers += zip(leads.ids, drawn, strict=True)
        # Pending ORM writes first, so they cannot overwrite the UPDATE later.
        self.flush_recordset(["lead_number"])
        self.env.cr.execute(
            """
            UPDATE crm_lead AS lead SET lead_number = numbered.number
              FROM (SELECT unnest(%s::int[]) AS id,
                           unnest(%s::varchar[]) AS number) AS numbered
             WHERE lead.id = numbered.id
            """,
            [[lead_id for lead_id, _n in numbers], [n for _i, n in numbers]],
        )
        self.invalidate_recordset(["lead_number"], flush=False)


def draw_numbers(sequence, count):
    """The next ``count`` numbers of ``sequence``, in order, as ``next_by_id``
    draws them one by one; a standard sequence without date ranges (the lead
    number's) draws them from its PostgreSQL sequence in one query."""
    if sequence.implementation != "standard" or sequence.use_date_range:
        return [sequence.next_by_id() for _i in range(count)]
    sequence.browse().check_access("read")
    sequence.env.cr.execute(
        "SELECT nextval(%s) FROM generate_series(1, %s) AS step ORDER BY step",
        [f"ir_sequence_{sequence.id:03d}", count],
    )
    return [sequence.get_next_char(number) for (number,) in sequence.env.cr.fetchall()]
