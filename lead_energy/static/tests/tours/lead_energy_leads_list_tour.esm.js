import {registry} from "@web/core/registry";

// Opens the Energy Leads list, creates a lead from it and saves it.
registry.category("web_tour.tours").add("lead_energy_leads_list", {
  url: "/odoo/action-lead_energy.crm_lead_action_energy_leads",
  steps: () => [
    {
      content: "The leads list shows the demo lead from the trade fair",
      trigger:
        ".o_list_view .o_data_row td[name=name]:contains(PV-Anlage Betriebshof Stadtwerke Rheinau)",
    },
    {
      content: "Create a new lead",
      trigger: ".o_list_button_add",
      run: "click",
    },
    {
      content: "Name the lead",
      trigger: ".o_form_view .o_field_widget[name=name] textarea",
      run: "edit Tour lead: carport PV for a car dealer",
    },
    {
      content: "Save",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "The lead is saved",
      trigger: ".o_form_view .o_form_saved",
    },
  ],
});
