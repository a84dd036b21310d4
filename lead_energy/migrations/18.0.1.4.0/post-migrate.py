"""The volume options shipped with the module get their EUR ranges (their
data is not updated on an upgrade): only where a manager set none."""

RANGES = {
    "crm_lead_scoring_option_volume_lt_10k": (0, 10000),
    "crm_lead_scoring_option_volume_10k_50k": (10000, 50000),
    "crm_lead_scoring_option_volume_50k_250k": (50000, 250000),
    "crm_lead_scoring_option_volume_gt_250k": (250000, 0),
}


def migrate(cr, version):
    if not version:
        return
    for xmlid, (low, high) in RANGES.items():
        cr.execute(
            """
            UPDATE crm_lead_scoring_option AS option
               SET volume_from_eur = %s, volume_to_eur = %s
              FROM ir_model_data AS data
             WHERE data.module = 'lead_energy' AND data.name = %s
               AND data.model = 'crm.lead.scoring.option'
               AND option.id = data.res_id
               AND COALESCE(option.volume_from_eur, 0) = 0
               AND COALESCE(option.volume_to_eur, 0) = 0
            """,
            (low, high, xmlid),
        )
