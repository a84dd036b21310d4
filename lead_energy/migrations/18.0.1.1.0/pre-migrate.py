"""18.0.1.1.0 renamed the module's XML ids to Odoo's and OCA's conventions.

An existing database still knows the records under their old names. This runs
before the data files are loaded and gives the ``ir_model_data`` rows their new
names, so that the update finds the records it loaded before: without it, the
update would create a second copy of every noupdate record (scoring criteria and
options) and replace the views by new ones.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Old name -> new name, in module lead_energy. Keep it in step with the XML
# files: tests/test_migration.py checks that no old name is used any more.
RENAMED_XMLIDS = {
    # views: <model>_view_<type>, extensions of other modules' views
    # <model>_view_<type>_inherit_lead_energy
    "view_crm_energy_interest_list": "crm_energy_interest_view_list",
    "view_crm_energy_interest_search": "crm_energy_interest_view_search",
    "view_crm_energy_lead_type_list": "crm_energy_lead_type_view_list",
    "view_crm_energy_lead_type_search": "crm_energy_lead_type_view_search",
    "view_crm_lead_form_energy": "crm_lead_view_form_energy",
    "view_crm_lead_list_energy": "crm_lead_view_list_energy",
    "view_crm_lead_kanban_energy": "crm_lead_view_kanban_energy",
    "view_crm_lead_search_energy": "crm_lead_view_search_energy",
    "view_crm_lead_pivot_energy": "crm_lead_view_pivot_energy",
    "view_crm_lead_graph_energy": "crm_lead_view_graph_energy",
    "view_crm_lead_calendar_energy": "crm_lead_view_calendar_energy",
    "view_crm_lead_form_inherit_energy": "crm_lead_view_form_inherit_lead_energy",
    "view_crm_lead_scoring_criterion_list": "crm_lead_scoring_criterion_view_list",
    "view_crm_lead_scoring_criterion_form": "crm_lead_scoring_criterion_view_form",
    "view_mail_template_form_lead_energy": (
        "mail_template_view_form_inherit_lead_energy"
    ),
    "view_res_config_settings_form_lead_energy": (
        "res_config_settings_view_form_inherit_lead_energy"
    ),
    "view_crm_lead_appointment_employees_form": (
        "crm_lead_appointment_employees_view_form"
    ),
    "view_crm_lead_convert_contact_form": "crm_lead_convert_contact_view_form",
    "view_crm_lead_further_contacts_form": "crm_lead_further_contacts_view_form",
    "view_crm_lead_lost_form_energy": "crm_lead_lost_view_form_inherit_lead_energy",
    "view_crm_lead_mail_form": "crm_lead_mail_view_form",
}


def migrate(cr, version):
    if not version:
        return
    # A name whose new name exists already is left alone (the unique index on
    # module and name would refuse it, and the new record is the one in use).
    cr.execute(
        SQL(
            """
            UPDATE ir_model_data AS imd
               SET name = renamed.new_name
              FROM (VALUES %s) AS renamed(old_name, new_name)
             WHERE imd.module = 'lead_energy'
               AND imd.name = renamed.old_name
               AND NOT EXISTS (
                       SELECT 1
                         FROM ir_model_data AS taken
                        WHERE taken.module = 'lead_energy'
                          AND taken.name = renamed.new_name
                   )
            """,
            SQL(", ").join(
                SQL("(%s, %s)", old, new) for old, new in RENAMED_XMLIDS.items()
            ),
        )
    )
    _logger.info("lead_energy: renamed %s XML ids", cr.rowcount)
