import {clickHeaderButton} from "./lead_form_steps.esm";
import {registry} from "@web/core/registry";
import {screenshot} from "./tour_messages.esm";

function steps(phone) {
  return [
    ...clickHeaderButton(
      "action_open_convert_contact",
      "Create the contact person",
      phone
    ),
    {
      content: "No company like it yet: a new one, prefilled from the lead",
      trigger:
        ".modal .o_field_widget[name=company_name] input:value(Solarpark Elbaue eG)",
    },
    ...(phone
      ? []
      : [screenshot("conversion_wizard", ".modal .o_field_widget[name=company_name]")]),
    {
      content: "Next: the contact person",
      trigger: ".modal button[name=action_company_next]",
      run: "click",
    },
    {
      content: "The contact is prefilled from the lead",
      trigger: ".modal .o_field_widget[name=contact_name] input:value(Henrik Brandt)",
    },
    {
      content: "Convert",
      trigger: ".modal button[name=action_contact_confirm]",
      run: "click",
    },
    {
      content: "Converted: now the offer",
      trigger: ".modal button[name=action_create_offer]",
      run: "click",
    },
    {
      content: "A new quotation for the business partner",
      trigger:
        ".o_form_view .o_field_widget[name=partner_id]:contains(Solarpark Elbaue eG), .o_form_view .o_field_widget[name=partner_id] input:value(Solarpark Elbaue eG)",
    },
    {
      content: "Save the quotation",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "The draft quotation is saved",
      trigger: ".o_form_view .o_form_saved",
    },
  ];
}

registry.category("web_tour.tours").add("lead_energy_conversion", {
  steps: () => steps(false),
});

registry.category("web_tour.tours").add("lead_energy_conversion_phone", {
  steps: () => steps(true),
});
