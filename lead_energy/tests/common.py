from odoo.tests import TransactionCase, new_test_user


class LeadEnergyCase(TransactionCase):
    """Users of the sales groups, and a helper to create leads as one of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="le_salesman",
            name="Sven Salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.salesman_all = new_test_user(
            cls.env,
            login="le_salesman_all",
            name="Alma All-Leads",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.manager = new_test_user(
            cls.env,
            login="le_manager",
            name="Mara Manager",
            groups="sales_team.group_sale_manager",
        )
        cls.Lead = cls.env["crm.lead"].with_context(default_type="lead")

    def create_lead(self, user=None, **values):
        values.setdefault("name", "PV for a bakery")
        return self.Lead.with_user(user or self.salesman).create(values)
