from odoo import _, api, models

LEAD_NUMBER_CODE = "lead_energy.lead_number"


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._lead_number_sequence()
        return companies

    def _lead_number_sequence(self):
        """Return the lead number sequence of each company, creating missing ones.

        Every company numbers its leads on its own (L2026-00001, ...); a new
        company starts from the prefix and padding of the default sequence.
        """
        sequences = self.env["ir.sequence"].sudo()
        existing = sequences.search(
            [("code", "=", LEAD_NUMBER_CODE), ("company_id", "in", self.ids)]
        )
        by_company = {seq.company_id: seq for seq in existing}
        template = self.env.ref(
            "lead_energy.ir_sequence_lead_number", raise_if_not_found=False
        )
        for company in self - existing.company_id:
            by_company[company] = sequences.create(
                {
                    "name": _("Lead Number (%(company)s)", company=company.name),
                    "code": LEAD_NUMBER_CODE,
                    "company_id": company.id,
                    "prefix": template.prefix if template else "L%(year)s-",
                    "padding": template.padding if template else 5,
                    "implementation": "standard",
                }
            )
        return by_company
