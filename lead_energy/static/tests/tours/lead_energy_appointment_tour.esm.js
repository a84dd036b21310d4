import {registry} from "@web/core/registry";

function field(name) {
  return `.o_form_view .o_field_widget[name=${name}]`;
}

// Plans the appointment on a new lead, opens it from the lead, adds a colleague.
registry.category("web_tour.tours").add("lead_energy_appointment", {
  steps: () => [
    {
      content: "Name the lead",
      trigger: `${field("name")} textarea`,
      run: "edit Battery storage for the bakery",
    },
    {
      content: "Company",
      trigger: `${field("partner_name")} input`,
      run: "edit Bäckerei Brot & Sonne",
    },
    {
      content: "Appointment with",
      trigger: `${field("meeting_user_id")} input`,
      run: "edit Paula",
    },
    {
      content: "Paula Planner",
      trigger: `${field("meeting_user_id")} .dropdown-item:contains(Paula Planner)`,
      run: "click",
    },
    {
      content: "From",
      trigger: `${field("appointment_start")} input`,
      run: "edit 04/13/2027 09:00:00 && press Escape",
    },
    {
      content: "To",
      trigger: `${field("appointment_stop")} input`,
      run: "edit 04/13/2027 10:30:00 && press Escape",
    },
    {
      content: "Save",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "Saved",
      trigger: ".o_form_view .o_form_saved",
    },
    {
      content: "The appointment is in the calendar: open it",
      trigger: "button.oe_stat_button[name=action_open_appointment]",
      run: "click",
    },
    {
      content: "It is the lead's appointment",
      trigger:
        ".o_breadcrumb:contains(Battery storage for the bakery (Bäckerei Brot & Sonne))",
    },
    {
      content: "Back to the lead",
      trigger:
        ".o_breadcrumb .breadcrumb-item a:contains(Battery storage for the bakery)",
      run: "click",
    },
    {
      content: "Add employees to the appointment",
      trigger: "button[name=action_open_add_appointment_employees]",
      run: "click",
    },
    {
      content: "Choose a colleague",
      trigger: ".modal .o_field_widget[name=user_ids] input",
      run: "edit Ole",
    },
    {
      content: "Ole Onsite",
      trigger:
        ".modal .o_field_widget[name=user_ids] .dropdown-item:contains(Ole Onsite)",
      run: "click",
    },
    {
      content: "Add",
      trigger: ".modal button[name=action_add_employees]",
      run: "click",
    },
    {
      content: "Back on the lead",
      trigger:
        "body:not(:has(.modal)) .o_breadcrumb .active:contains(Battery storage for the bakery)",
    },
  ],
});
