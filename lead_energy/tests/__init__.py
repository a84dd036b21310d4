from . import test_energy_config
from . import test_i18n
from . import test_install
from . import test_lead_number
from . import test_lead_state
from . import test_lead_validation
from . import test_tour_lead_form
from . import test_tour_leads
