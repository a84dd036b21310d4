import {clickHeaderButton} from "./lead_form_steps.esm";
import {registry} from "@web/core/registry";

// Requests the opt-in from a lead and finds the mail in its chatter.
function steps(phone) {
  return [
    ...clickHeaderButton("action_request_opt_in", "Request the opt-in", phone),
    {
      content: "The opt-in template is proposed, for the main contact",
      trigger: ".modal .o_field_widget[name=template_id] input:value(Opt-in Request)",
    },
    {
      content: "The request goes to the main contact only",
      trigger: ".modal .o_field_widget[name=recipient_ids]:contains(Henrik Brandt)",
    },
    {
      content: "Consent to e-mails is asked",
      trigger: ".modal .o_field_widget[name=ask_email] input:checked",
    },
    {
      content: "Leave the calls out",
      trigger: ".modal .o_field_widget[name=ask_phone] input:checked",
      run: "click",
    },
    {
      content: "Send",
      trigger: ".modal button[name=action_send_opt_in]",
      run: "click",
    },
    {
      content: "Back on the lead, the mail with the link is in the chatter",
      trigger:
        "body:not(:has(.modal)) .o-mail-Chatter .o-mail-Message:contains(Please confirm with one click)",
    },
    {
      content: "and the request is noted",
      trigger:
        ".o-mail-Chatter .o-mail-Message:contains(Opt-in requested for brandt@solarpark-elbaue.example)",
    },
    {
      content: "The lead shows the open request",
      trigger: ".o_form_view .o_field_widget[name=opt_in_state]:contains(Requested)",
    },
  ];
}

registry.category("web_tour.tours").add("lead_energy_opt_in", {
  steps: () => steps(false),
});

registry.category("web_tour.tours").add("lead_energy_opt_in_phone", {
  steps: () => steps(true),
});

// The recipient opens the link, without an Odoo account, and confirms.
registry.category("web_tour.tours").add("lead_energy_opt_in_confirm", {
  steps: () => [
    {
      content: "The page names the company that asks and the address",
      trigger:
        ".o_lead_energy_consent:contains(asks for your consent):contains(brandt@solarpark-elbaue.example)",
    },
    {
      content: "Confirm",
      trigger: ".o_lead_energy_consent button[value=confirm]",
      run: "click",
    },
    {
      content: "The consent is recorded",
      trigger: ".o_lead_energy_consent .o_consent_confirmed",
    },
  ],
});
