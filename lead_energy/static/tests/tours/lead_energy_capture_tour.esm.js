import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

// The card picture the test stored (a rendered business card), as a File.
async function tourCardPicture() {
  const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
    model: "ir.attachment",
    method: "search_read",
    args: [[["name", "=", "lead_energy_tour_card.jpg"]], ["datas"]],
    kwargs: {},
  });
  const bytes = Uint8Array.from(atob(attachment.datas), (c) => c.charCodeAt(0));
  return new File([bytes], "card.jpg", {type: "image/jpeg"});
}

// Captures a lead at a trade fair on a phone: the card photographed, its
// values taken, a typed contact kept, interests and a rating tapped.
registry.category("web_tour.tours").add("lead_energy_capture_phone", {
  steps: () => [
    {
      content: "Name the lead",
      trigger: ".o_lead_energy_capture .o_field_widget[name=name] input",
      run: "edit Tour: fair lead with a card",
    },
    {
      content: "Type the contact before the card is read",
      trigger: ".o_lead_energy_capture .o_field_widget[name=contact_name] input",
      run: "edit Typed Person",
    },
    {
      content: "The camera button opens the phone's camera",
      trigger:
        ".o_lead_energy_card_camera:has(input[capture=environment]:not(:visible))",
    },
    {
      content: "Photograph the business card",
      trigger: ".o_lead_energy_card_camera",
      async run() {
        const input = document.querySelector(".o_lead_energy_card_input");
        const transfer = new DataTransfer();
        transfer.items.add(await tourCardPicture());
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
      },
    },
    {
      content: "The card is read: its company is proposed",
      trigger: ".o_lead_energy_card_suggestion[data-field=partner_name]",
      timeout: 30000,
    },
    {
      content: "The typed contact would be replaced: it is only offered",
      trigger:
        ".o_lead_energy_card_suggestion[data-field=contact_name]:contains(Instead of):contains(Typed Person)",
    },
    {
      content: "Take all",
      trigger: ".o_lead_energy_card_take_all",
      run: "click",
    },
    {
      content: "Only the contact is left to decide",
      trigger: ".o_lead_energy_card_reader:not(:has(.o_lead_energy_card_take_all))",
    },
    {
      content: "The company came from the card",
      trigger: ".o_field_widget[name=partner_name] input:not(:value(''))",
    },
    {
      content: "The typed contact stays",
      trigger: ".o_field_widget[name=contact_name] input:value(Typed Person)",
    },
    {
      content: "Interested in photovoltaics",
      trigger: ".o_lead_energy_toggles .form-check:contains(Photovoltaics) input",
      run: "click",
    },
    {
      content: "The contact decides",
      trigger:
        ".o_field_widget[name=influence_option_id] .o_selection_badge:contains(Decision Maker)",
      run: "click",
    },
    {
      content: "Save and capture the next one",
      trigger: ".o_lead_energy_capture_next",
      run: "click",
    },
    {
      content: "A new capture, without the card of the one saved",
      trigger:
        ".o_lead_energy_capture:not(:has(.o_field_widget[name=business_card])) .o_lead_energy_card_camera",
    },
    {
      content: "Source preset",
      trigger:
        ".o_field_widget[name=source_id] .o_selection_badge.active:contains(Trade Fair)",
    },
  ],
});

// Reads the business card already on a lead, on the normal lead form.
registry.category("web_tour.tours").add("lead_energy_read_card", {
  steps: () => [
    {
      content: "Read the business card",
      trigger: ".o_form_view .o_lead_energy_card_read",
      run: "click",
    },
    {
      content: "Take the e-mail address alone",
      trigger:
        ".o_lead_energy_card_suggestion[data-field=email_from] .o_lead_energy_card_take",
      timeout: 30000,
      run: "click",
    },
    {
      content: "Taken: no longer proposed",
      trigger: ".o_lead_energy_card_reader:not(:has([data-field=email_from]))",
    },
    {
      content: "Take the rest",
      trigger: ".o_lead_energy_card_take_all",
      run: "click",
    },
    {
      content: "Nothing left to take",
      trigger: ".o_lead_energy_card_reader:not(:has(.o_lead_energy_card_suggestion))",
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
  ],
});
