from . import test_install
from . import test_tour_leads
from . import test_i18n
