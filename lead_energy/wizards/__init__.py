from . import crm_lead_appointment_employees
