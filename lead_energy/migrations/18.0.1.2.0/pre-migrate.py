"""18.0.1.2.0 stores on each lead whether a quotation of it was sent
(``crm.lead.offer_sent``, for the board's funnel).

Odoo would compute the new column lead by lead at the update. This creates
and fills it in one statement before, so that the update finds it done.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE crm_lead ADD COLUMN IF NOT EXISTS offer_sent boolean")
    cr.execute(
        """
        UPDATE crm_lead AS lead
           SET offer_sent = EXISTS (
                   SELECT 1
                     FROM sale_order AS offer
                    WHERE offer.opportunity_id = lead.id
                      AND offer.state IN ('sent', 'sale')
               )
        """
    )
    _logger.info("lead_energy: stored offer_sent on %s leads", cr.rowcount)
