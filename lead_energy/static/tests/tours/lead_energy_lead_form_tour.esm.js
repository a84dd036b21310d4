import {registry} from "@web/core/registry";
import {screenshot} from "./tour_messages.esm";

// A tiny PNG standing for the photo of a business card.
const CARD_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAFCAIAAAD38zoCAAAAE0lEQVR4nGM8UcGAFTBhF6aqBACddgFKFwgJAgAAAABJRU5ErkJggg==";

function field(name) {
  return `.o_form_view .o_field_widget[name=${name}]`;
}

function editField(name, value) {
  return {
    content: `Fill in ${name}`,
    trigger: `${field(name)} input, ${field(name)} textarea`,
    run: `edit ${value}`,
  };
}

function editDate(name, value) {
  return {
    content: `Set ${name}`,
    trigger: `${field(name)} input`,
    run: `edit ${value} && press Escape`,
  };
}

function selectMany2one(name, search, label = search, phone = false) {
  if (phone) {
    // On a phone a many2one opens a full-screen search dialog.
    return [
      {
        content: `Open the search for ${name}`,
        trigger: `${field(name)} input`,
        run: "click",
      },
      {
        content: "Show the search bar",
        trigger: ".modal button:has(.fa-search)",
        run: "click",
      },
      {
        content: `Search ${label}`,
        trigger: ".modal .o_searchview_input",
        run: `edit ${search} && press Enter`,
      },
      {
        content: `Pick ${label}`,
        trigger: `.modal .o_kanban_record:contains(${label}), .modal .o_data_row:contains(${label})`,
        run: "click",
      },
      {
        content: `${label} is set`,
        trigger: `body:not(:has(.modal)) ${field(name)} input`,
      },
    ];
  }
  return [
    {
      content: `Search ${label} for ${name}`,
      trigger: `${field(name)} input`,
      run: `edit ${search}`,
    },
    {
      content: `Pick ${label}`,
      trigger: `${field(name)} .dropdown-item:contains(${label})`,
      run: "click",
    },
  ];
}

function tick(name) {
  return {
    content: `Tick ${name}`,
    trigger: `${field(name)} input[type=checkbox]`,
    run: "click",
  };
}

function uploadBusinessCard() {
  return [
    {
      content: "Upload the photo of the business card",
      trigger: field("business_card"),
      async run() {
        const input = document.querySelector(
          `${field("business_card")} input[type=file]`
        );
        const bytes = Uint8Array.from(atob(CARD_PNG), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], "card.png", {type: "image/png"}));
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
      },
    },
    {
      content: "The business card is shown",
      trigger: `${field("business_card")} img[src^="data:image/png"]`,
    },
  ];
}

function fillEverySection(phone = false) {
  const pick = (name, search, label = search) =>
    selectMany2one(name, search, label, phone);
  return [
    // General information
    editField("name", "PV and storage for the Rheinau depot"),
    editField("partner_name", "Stadtwerke Rheinau GmbH"),
    editField("contact_name", "Sabine Krüger"),
    ...pick("partner_id", "Sabine Kr", "Sabine Krüger"),
    ...pick("lead_type_id", "Public", "Public Sector"),
    // Organisation and responsibilities
    ...pick("meeting_user_id", "Tina", "Tina Tour"),
    editDate("appointment_start", "03/02/2027 10:00:00"),
    editDate("appointment_stop", "03/02/2027 11:30:00"),
    ...pick("followup_user_id", "Tina", "Tina Tour"),
    editDate("followup_deadline", "03/15/2027"),
    // Detail information
    editField("street", "Hafenstraße 12"),
    editField("zip", "77866"),
    editField("city", "Rheinau"),
    ...pick("country_id", "Germany"),
    editField("phone", "+49 7221 555210"),
    editField("email_from", "s.krueger@stadtwerke-rheinau.example"),
    editField("website", "www.stadtwerke-rheinau.example"),
    editField("function", "Head of Energy Procurement"),
    ...uploadBusinessCard(),
    // Rating (source until scoring lands)
    ...pick("source_id", "Tour Fair", "Tour Fair Munich"),
    // Interests
    {
      content: "Interested in photovoltaics",
      trigger: `${field("interest_ids")} .form-check:contains(Photovoltaics) input`,
      run: "click",
    },
    {
      content: "and in battery storage",
      trigger: `${field("interest_ids")} .form-check:contains(Battery Storage Systems) input`,
      run: "click",
    },
    // Follow-up actions and notes
    tick("send_info_material"),
    tick("request_opt_in"),
    tick("arrange_appointment"),
    editDate("next_appointment_date", "04/01/2027"),
    {
      content: "Write the notes",
      trigger: `${field("description")} .odoo-editor-editable`,
      run: "editor Met at Intersolar, wants 450 kWp with storage.",
    },
    // Further contacts, on their tab
    {
      content: "Open the further contacts tab",
      trigger: ".o_notebook .nav-link:contains(Further Contacts)",
      run: "click",
    },
    {
      content: "Add a further contact",
      trigger: `${field("further_contact_ids")} .o_field_x2many_list_row_add a`,
      run: "click",
    },
    ...(phone
      ? [
          {
            content: "Show the search bar",
            trigger: ".modal button:has(.fa-search)",
            run: "click",
          },
        ]
      : []),
    {
      content: "Search the colleague of the main contact",
      trigger: ".modal .o_searchview_input",
      run: "edit Klaus Kontakt && press Enter",
    },
    {
      content: "Choose him",
      trigger:
        ".modal .o_kanban_record:contains(Klaus Kontakt), .modal .o_data_row td:contains(Klaus Kontakt)",
      run: "click",
    },
    {
      content: "The further contact is listed with his e-mail",
      trigger: `${field("further_contact_ids")} .o_data_row:contains(klaus@stadtwerke-rheinau.example)`,
    },
    {
      content: "Save the lead",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "The lead is saved",
      trigger: ".o_form_view .o_form_saved",
    },
    {
      content: "and numbered",
      trigger: `${field("lead_number")}:contains(L20)`,
    },
    ...(phone
      ? []
      : [screenshot("lead_form", `${field("lead_number")}:contains(L20)`)]),
  ];
}

registry.category("web_tour.tours").add("lead_energy_lead_form", {
  url: "/odoo/action-lead_energy.crm_lead_action_energy_leads",
  steps: () => [
    {
      content: "Create a lead from the list",
      trigger: ".o_list_view .o_list_button_add",
      run: "click",
    },
    {
      content: "The form shows the sections of the documentation",
      trigger:
        ".o_form_view .o_horizontal_separator:contains(Organisation and Responsibilities)",
    },
    ...fillEverySection(false),
  ],
});

registry.category("web_tour.tours").add("lead_energy_lead_form_phone", {
  url: "/odoo/action-lead_energy.crm_lead_action_energy_leads",
  steps: () => [
    {
      content: "On a phone the leads open as cards",
      trigger: ".o_kanban_view .o_kanban_record",
    },
    {
      content: "Create a lead",
      trigger: ".o-kanban-button-new",
      run: "click",
    },
    {
      content: "The form is one column wide",
      trigger: ".o_form_view .o_horizontal_separator:contains(Detail Information)",
    },
    ...fillEverySection(true),
  ],
});
