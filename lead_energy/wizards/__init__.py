from . import crm_lead_appointment_employees
from . import crm_lead_mail
