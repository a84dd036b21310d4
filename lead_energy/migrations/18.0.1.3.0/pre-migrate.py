"""18.0.1.3.0 adds the double opt-in: ``crm.lead.opt_in_state`` is stored.

No lead has a consent before this version, so the column is created empty
here and Odoo does not compute it lead by lead at the update.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE crm_lead ADD COLUMN IF NOT EXISTS opt_in_state varchar")
