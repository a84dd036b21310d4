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
    "data": [
        "security/ir.model.access.csv",
        "data/res_groups_data.xml",
        "views/crm_lead_actions.xml",
        "views/lead_energy_menus.xml",
    ],
    "demo": [
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lead_energy/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
