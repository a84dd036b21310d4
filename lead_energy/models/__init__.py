# The import order is the override order: crm.lead's concern files each
# override create/write for their own fields, and a later file's override runs
# around the earlier ones. So a lead is numbered (crm_lead_number) before its
# appointment (crm_lead_appointment) is created, whose description carries
# the number; crm_lead comes first with the fields and helpers all share.
from . import res_config_settings
from . import crm_energy_interest
from . import crm_energy_lead_type
from . import crm_lead_scoring_criterion
from . import crm_lead_scoring_option
from . import crm_energy_estimation
from . import crm_energy_estimation_line
from . import crm_energy_estimation_yield
from . import crm_energy_estimation_region
from . import crm_energy_estimation_price
from . import crm_energy_offer_line
from . import res_company
from . import res_partner_industry
from . import utm_source
from . import ir_fields_converter
from . import mail_thread
from . import mail_template
from . import calendar_event
from . import crm_lead
from . import crm_lead_number
from . import crm_lead_state
from . import crm_lead_scoring
from . import crm_lead_appointment
from . import crm_lead_followup
from . import crm_lead_mail
from . import crm_lead_conversion
from . import crm_lead_energy_board
from . import crm_lead_merge
from . import crm_lead_consent
from . import crm_lead_consent_objection
from . import crm_lead_optin
from . import crm_lead_business_card
from . import crm_lead_capture
from . import crm_lead_site
