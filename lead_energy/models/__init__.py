from . import crm_energy_interest
from . import crm_energy_lead_type
from . import res_company
from . import crm_lead
