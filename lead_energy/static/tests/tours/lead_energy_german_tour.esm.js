import {clickHeaderButton} from "./lead_form_steps.esm";
import {registry} from "@web/core/registry";
import {screenTexts} from "./tour_messages.esm";

// A German sales person goes through the lead form, its tabs, the wizards and
// the lead board; the test checks their texts for untranslated terms.

const FORM_TEXTS = ".o_control_panel, .o_form_view .o_form_sheet_bg";
const MODAL_TEXTS = ".modal-content";

function openTab(name) {
  return {
    content: `Open the tab ${name}`,
    trigger: `.o_form_view .o_notebook .nav-link[name=${name}]`,
    run: "click",
  };
}

function wizard(screen, button, ...moreSteps) {
  return [
    ...clickHeaderButton(button, `Open the wizard ${screen}`, false),
    screenTexts(screen, `${MODAL_TEXTS}:has(.o_form_view)`),
    ...moreSteps,
    {
      content: `Close the wizard ${screen}`,
      trigger: ".modal .modal-header .btn-close",
      run: "click",
    },
    {
      content: "Back on the lead",
      trigger: "body:not(:has(.modal))",
    },
  ];
}

registry.category("web_tour.tours").add("lead_energy_german_screens", {
  steps: () => [
    screenTexts("lead_form", `${FORM_TEXTS}:has(.o_field_widget[name=lead_number])`),
    ...["further_contacts", "marketing", "status_history", "notes"].flatMap((name) => [
      openTab(name),
      screenTexts(
        `lead_form_tab_${name}`,
        `.o_form_view .o_notebook:has(.nav-link.active[name=${name}])`
      ),
    ]),
    ...wizard(
      "wizard_convert_contact",
      "action_open_convert_contact",
      {
        content: "Go on to the contact person",
        trigger: ".modal button[name=action_company_next]",
        run: "click",
      },
      screenTexts(
        "wizard_convert_contact_person",
        `${MODAL_TEXTS}:has([name=contact_name])`
      )
    ),
    ...wizard("wizard_info_material", "action_send_info_material"),
    ...wizard(
      "wizard_appointment_confirmation",
      "action_send_appointment_confirmation"
    ),
    ...wizard("wizard_opt_in", "action_request_opt_in"),
    ...wizard("wizard_appointment_employees", "action_open_add_appointment_employees"),
    {
      content: "Close the lead as lost",
      trigger: ".o_form_view .o_statusbar_buttons button:contains(Verloren)",
      run: "click",
    },
    screenTexts(
      "wizard_lost",
      `${MODAL_TEXTS}:has(.o_field_widget[name=lost_reason_id])`
    ),
    {
      content: "Cancel",
      trigger: ".modal .modal-header .btn-close",
      run: "click",
    },
    {
      content: "Open the Reporting menu of CRM",
      trigger:
        'body:not(:has(.modal)) .dropdown-toggle[data-menu-xmlid="crm.crm_menu_report"]',
      run: "click",
    },
    {
      content: "Open the lead board",
      trigger:
        '.dropdown-item[data-menu-xmlid="lead_energy.crm_lead_menu_energy_board"]',
      run: "click",
    },
    {
      content: "The board with its funnel",
      trigger: ".o_lead_energy_board_funnel_step[data-step=won]",
    },
    screenTexts("board", ".o_control_panel, .o_lead_energy_board"),
    screenTexts("board_charts", ".o_lead_energy_board_chart canvas", () =>
      [...document.querySelectorAll(".o_lead_energy_board_chart canvas")]
        .map((canvas) => window.Chart.getChart(canvas))
        .flatMap((chart) => [
          ...chart.data.labels,
          ...chart.data.datasets.map((dataset) => dataset.label),
        ])
        .join("\n")
    ),
  ],
});
