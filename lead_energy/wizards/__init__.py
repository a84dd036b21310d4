from . import crm_lead_energy_wizard
from . import crm_lead_appointment_employees
from . import crm_lead_mail
from . import crm_lead_further_contacts
from . import crm_lead_convert_contact
from . import mail_compose_message
