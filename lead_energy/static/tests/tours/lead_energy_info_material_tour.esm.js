import {registry} from "@web/core/registry";
import {screenshot} from "./tour_messages.esm";

// Sends information material from a lead and finds the mail in its chatter.
registry.category("web_tour.tours").add("lead_energy_info_material", {
  steps: () => [
    {
      content: "Send information material",
      trigger: ".o_form_view button[name=action_send_info_material]",
      run: "click",
    },
    {
      content: "The trade fair template is proposed",
      trigger:
        ".modal .o_field_widget[name=template_id] input:value(Trade Fair Conversation)",
    },
    {
      content: "Write the mail",
      trigger: ".modal button[name=action_open_composer]",
      run: "click",
    },
    {
      content: "Odoo's composer opens, prefilled for the main contact",
      trigger:
        ".modal .o_mail_composer_form .o_field_widget[name=partner_ids]:contains(Henrik Brandt)",
    },
    screenshot("mail_composer", ".modal .o_mail_composer_form"),
    {
      content: "Send",
      trigger: ".modal .o_mail_send",
      run: "click",
    },
    {
      content: "Back on the lead, the mail is in the chatter",
      trigger:
        "body:not(:has(.modal)) .o-mail-Chatter .o-mail-Message:contains(thank you for the good conversation at the trade fair)",
    },
    {
      content: "and the lead was contacted",
      trigger: ".o_form_view button.o_arrow_button_current:contains(Contacted)",
    },
  ],
});
