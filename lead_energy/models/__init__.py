from . import crm_energy_interest
from . import crm_energy_lead_type
from . import crm_lead_scoring_criterion
from . import crm_lead_scoring_option
from . import res_company
from . import res_config_settings
from . import ir_fields_converter
from . import crm_lead
