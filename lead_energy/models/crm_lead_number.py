from odoo import api, fields, models


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

    def _assign_lead_numbers(self):
        """Number these leads from their company's sequence, in one UPDATE."""
        if not self:
            return
        companies = self.company_id | self.env.company
        sequences = companies._lead_number_sequence()
        numbers = [
            (lead.id, sequences[lead.company_id or self.env.company].next_by_id())
            for lead in self
        ]
        self.env.cr.execute(
            """
            UPDATE crm_lead AS lead SET lead_number = numbered.number
              FROM (SELECT unnest(%s::int[]) AS id,
                           unnest(%s::varchar[]) AS number) AS numbered
             WHERE lead.id = numbered.id
            """,
            [[lead_id for lead_id, _n in numbers], [n for _i, n in numbers]],
        )
        self.invalidate_recordset(["lead_number"])
