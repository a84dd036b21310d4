{
    "name": "Energy Lead Management",
    "summary": "Lead capture, rating, appointments, follow-ups and conversion "
    "for energy-sector sales teams",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Lead Energy",
    "website": "https://github.com/lead-energy/lead_energy",
    "license": "LGPL-3",
    "depends": ["crm", "sale_crm", "calendar"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "data/res_groups_data.xml",
        "data/ir_sequence_data.xml",
        "data/crm_energy_interest_data.xml",
        "data/crm_energy_lead_type_data.xml",
        "views/crm_energy_interest_views.xml",
        "views/crm_energy_lead_type_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_lead_opportunity_views.xml",
        "views/crm_lead_lost_views.xml",
        "views/crm_lead_actions.xml",
        "views/lead_energy_menus.xml",
    ],
    "demo": [
        "demo/utm_source_demo.xml",
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lead_energy/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
