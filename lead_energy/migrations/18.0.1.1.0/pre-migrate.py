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
    # data: prefixed with their model
    "scoring_criterion_influence": "crm_lead_scoring_criterion_influence",
    "scoring_criterion_size": "crm_lead_scoring_criterion_size",
    "scoring_criterion_industry": "crm_lead_scoring_criterion_industry",
    "scoring_criterion_need": "crm_lead_scoring_criterion_need",
    "scoring_criterion_source": "crm_lead_scoring_criterion_source",
    "scoring_criterion_volume": "crm_lead_scoring_criterion_volume",
    "scoring_option_influence_decision_maker": (
        "crm_lead_scoring_option_influence_decision_maker"
    ),
    "scoring_option_influence_co_decider": (
        "crm_lead_scoring_option_influence_co_decider"
    ),
    "scoring_option_influence_influencer": (
        "crm_lead_scoring_option_influence_influencer"
    ),
    "scoring_option_influence_user": "crm_lead_scoring_option_influence_user",
    "scoring_option_influence_none": "crm_lead_scoring_option_influence_none",
    "scoring_option_size_household": "crm_lead_scoring_option_size_household",
    "scoring_option_size_1_9": "crm_lead_scoring_option_size_1_9",
    "scoring_option_size_10_49": "crm_lead_scoring_option_size_10_49",
    "scoring_option_size_50_249": "crm_lead_scoring_option_size_50_249",
    "scoring_option_size_250_plus": "crm_lead_scoring_option_size_250_plus",
    "scoring_option_need_immediate": "crm_lead_scoring_option_need_immediate",
    "scoring_option_need_3_months": "crm_lead_scoring_option_need_3_months",
    "scoring_option_need_12_months": "crm_lead_scoring_option_need_12_months",
    "scoring_option_need_none": "crm_lead_scoring_option_need_none",
    "scoring_option_volume_lt_10k": "crm_lead_scoring_option_volume_lt_10k",
    "scoring_option_volume_10k_50k": "crm_lead_scoring_option_volume_10k_50k",
    "scoring_option_volume_50k_250k": "crm_lead_scoring_option_volume_50k_250k",
    "scoring_option_volume_gt_250k": "crm_lead_scoring_option_volume_gt_250k",
    "scoring_option_industry_d": "crm_lead_scoring_option_industry_d",
    "scoring_option_industry_c": "crm_lead_scoring_option_industry_c",
    "scoring_option_industry_l": "crm_lead_scoring_option_industry_l",
    "scoring_option_industry_o": "crm_lead_scoring_option_industry_o",
    "scoring_option_industry_a": "crm_lead_scoring_option_industry_a",
    "scoring_option_industry_f": "crm_lead_scoring_option_industry_f",
    "scoring_option_industry_g": "crm_lead_scoring_option_industry_g",
    "scoring_option_industry_i": "crm_lead_scoring_option_industry_i",
    "scoring_option_industry_q": "crm_lead_scoring_option_industry_q",
    "scoring_option_industry_p": "crm_lead_scoring_option_industry_p",
    "scoring_option_industry_h": "crm_lead_scoring_option_industry_h",
    "scoring_option_industry_t": "crm_lead_scoring_option_industry_t",
    "scoring_option_source_referral": "crm_lead_scoring_option_source_referral",
    "scoring_option_source_trade_fair": "crm_lead_scoring_option_source_trade_fair",
    "scoring_option_source_website_inquiry": (
        "crm_lead_scoring_option_source_website_inquiry"
    ),
    "scoring_option_source_search_engine": (
        "crm_lead_scoring_option_source_search_engine"
    ),
    "scoring_option_source_linkedin": "crm_lead_scoring_option_source_linkedin",
    "scoring_option_source_newsletter": "crm_lead_scoring_option_source_newsletter",
    "scoring_option_source_cold_call": "crm_lead_scoring_option_source_cold_call",
    # demo data
    "scoring_option_source_demo_intersolar": (
        "crm_lead_scoring_option_source_demo_intersolar"
    ),
    "scoring_option_source_demo_eworld": "crm_lead_scoring_option_source_demo_eworld",
    "scoring_option_source_demo_website": "crm_lead_scoring_option_source_demo_website",
    "scoring_option_source_demo_empfehlung": (
        "crm_lead_scoring_option_source_demo_empfehlung"
    ),
    "scoring_option_source_demo_kaltakquise": (
        "crm_lead_scoring_option_source_demo_kaltakquise"
    ),
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
