import base64
import json
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import Form, HttpCase, TransactionCase, new_test_user
from odoo.tests.common import ChromeBrowser

# ./dev test --screenshots: the tours' screenshots are saved here.
SCREENSHOTS = os.environ.get("LEAD_ENERGY_SCREENSHOTS")
# A console message of a tour for its test: "lead_energy:<kind> <name> [<json>]"
# (see static/tests/tours/tour_messages.esm.js).
TOUR_MESSAGE = "lead_energy:"

OWN_LEADS = "sales_team.group_sale_salesman"
ALL_LEADS = "sales_team.group_sale_salesman_all_leads"
MANAGER = "sales_team.group_sale_manager"


class LeadEnergyCase(TransactionCase):
    """Users of the sales groups, and a helper to create leads as one of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls.sales_user("le_salesman", "Sven Salesman", OWN_LEADS)
        cls.salesman_all = cls.sales_user(
            "le_salesman_all", "Alma All-Leads", ALL_LEADS
        )
        cls.manager = cls.sales_user("le_manager", "Mara Manager", MANAGER)
        cls.Lead = cls.env["crm.lead"].with_context(default_type="lead")

    @classmethod
    def sales_user(cls, login, name, groups, **values):
        return new_test_user(cls.env, login=login, name=name, groups=groups, **values)

    def lead_form(self, user=None):
        """The Energy Leads form, as a user fills it in."""
        view = self.env.ref("lead_energy.crm_lead_view_form_energy")
        return Form(self.Lead.with_user(user or self.salesman), view=view)

    def create_lead(self, user=None, **values):
        values.setdefault("name", "PV for a bakery")
        return self.Lead.with_user(user or self.salesman).create(values)

    def merge(self, leads):
        """CRM's merge wizard (list > Action > Merge) on ``leads``, as a
        salesman with all documents; the surviving lead."""
        wizard = Form(
            self.env["crm.merge.opportunity"]
            .with_user(self.salesman_all)
            .with_context(active_model="crm.lead", active_ids=leads.ids)
        ).save()
        self.assertEqual(wizard.opportunity_ids, leads)
        wizard.action_merge()
        return leads.exists()

    @classmethod
    def high_score_rating(cls):
        """Ratings worth 100 of 120 weighted points: a score of 83, above the
        default threshold of 70."""
        return {
            f"{criterion}_option_id": cls.env.ref(
                f"lead_energy.crm_lead_scoring_option_{criterion}_{option}"
            ).id
            for criterion, option in (
                ("influence", "decision_maker"),
                ("need", "immediate"),
                ("size", "250_plus"),
                ("volume", "gt_250k"),
            )
        }


class LeadEnergyHttpCase(HttpCase):
    """The users of the browser tours, created once per class.

    Each tour logs in as a user with just the access it needs. None of them
    gets Odoo's onboarding tours, and each has an e-mail address: a user
    without one cannot create calendar events with attendees. The tours pick
    some of them by name ("Tina", "Paula", "Ole"): keep those names.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Logins of the tours.
        cls.list_seller = cls.tour_user("le_tour_seller", ALL_LEADS)
        cls.tina = cls.tour_user("le_tina", ALL_LEADS, name="Tina Tour")
        cls.rating_seller = cls.tour_user("le_rating_seller", OWN_LEADS)
        cls.planner = cls.tour_user("le_tour_planner", ALL_LEADS, name="Sam Seller")
        cls.mail_seller = cls.tour_user("le_mail_seller", OWN_LEADS, name="Mia Mailer")
        cls.converter = cls.tour_user(
            "le_convert_seller", ALL_LEADS, name="Conny Converter"
        )
        cls.board_seller = cls.tour_user("le_tour_board", OWN_LEADS, name="Bodo Board")
        # Colleagues the appointment tour chooses.
        cls.paula = cls.tour_user("le_paula", OWN_LEADS, name="Paula Planner")
        cls.ole = cls.tour_user("le_ole", "base.group_user", name="Ole Onsite")

    def start_tour(self, url_path, tour_name, **kwargs):
        """Odoo's start_tour, where the tour may also speak to the test: save
        a screenshot (with ./dev test --screenshots), or hand over the texts
        of a screen (``self.tour_texts``). The tour waits for the answer."""
        self.tour_texts = {}
        self.screenshots = {"asked": [], "saved": []}
        case = self
        handle_console = ChromeBrowser._handle_console

        def handle_tour_messages(browser, type, args=None, **kw):  # pylint: disable=redefined-builtin
            if type == "log" and args:
                message = str(browser._from_remoteobject(args[0]))
                if message.startswith(TOUR_MESSAGE):
                    return case._answer_tour(browser, message[len(TOUR_MESSAGE) :])
            return handle_console(browser, type, args=args, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_tour_messages):
            result = super().start_tour(url_path, tour_name, **kwargs)
        self.assertEqual(self.screenshots["saved"], self.screenshots["asked"])
        return result

    def _answer_tour(self, browser, message):
        kind, _sep, rest = message.partition(" ")
        name, _sep, payload = rest.partition(" ")

        def answer(_done=None):
            browser._websocket_send(
                "Runtime.evaluate",
                params={
                    "expression": f"window.leadEnergyTourAnswer = {json.dumps(name)}"
                },
            )

        if kind == "texts":
            self.tour_texts[name] = json.loads(payload)
        elif kind == "screenshot" and SCREENSHOTS:
            self.screenshots["asked"].append(name)
            capture = browser._websocket_send(
                "Page.captureScreenshot", with_future=True
            )
            capture.add_done_callback(lambda done: self._save_screenshot(name, done))
            capture.add_done_callback(answer)
            return
        answer()

    def _save_screenshot(self, name, done):
        picture = base64.b64decode(done.result()["data"])
        (Path(SCREENSHOTS) / f"{name}.png").write_bytes(picture)
        self.screenshots["saved"].append(name)

    @classmethod
    def tour_user(cls, login, groups, **values):
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            email=f"{login}@example.com",
            tour_enabled=False,
            **values,
        )
