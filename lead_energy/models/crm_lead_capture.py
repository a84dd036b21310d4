from odoo import api, models

# The context of the Capture Lead screen (a preset, not a permission).
CAPTURE = "lead_energy_capture"


# crm.lead is split by concern on purpose, one file each (see __init__.py).
# pylint: disable=consider-merging-classes-inherited
class CrmLead(models.Model):
    """Capture Lead: the phone screen for trade fairs. A capture is a normal
    lead (number, score, appointment and notifications as any create); the
    screen presets its source and the campaign of the user's last capture."""

    _inherit = "crm.lead"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if not self.env.context.get(CAPTURE):
            return values
        trade_fair = self.env.ref(
            "lead_energy.utm_source_trade_fair", raise_if_not_found=False
        )
        if "source_id" in fields_list and trade_fair and not values.get("source_id"):
            values["source_id"] = trade_fair.id
        if "campaign_id" in fields_list and not values.get("campaign_id"):
            values["campaign_id"] = self._last_capture_campaign(trade_fair).id
        return values

    @api.model
    def _last_capture_campaign(self, trade_fair):
        """The campaign of the user's latest trade-fair lead that has one."""
        if not trade_fair:
            return self.env["utm.campaign"]
        return self.search(
            [
                ("create_uid", "=", self.env.uid),
                ("source_id", "=", trade_fair.id),
                ("campaign_id", "!=", False),
            ],
            order="id desc",
            limit=1,
        ).campaign_id

    def action_capture_next(self):
        """Saved by the button; a new capture follows."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_energy.crm_lead_action_capture"
        )
        action["target"] = "main"
        return action
