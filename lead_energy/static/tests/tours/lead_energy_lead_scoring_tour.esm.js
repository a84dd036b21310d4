import {registry} from "@web/core/registry";

function field(name) {
  return `.o_form_view .o_field_widget[name=${name}]`;
}

function rate(name, search, label) {
  return [
    {
      content: `Rate ${name}`,
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

// Rates a lead in the form: the score and its breakdown follow before saving.
registry.category("web_tour.tours").add("lead_energy_lead_scoring", {
  steps: () => [
    {
      content: "The unrated lead scores nothing",
      trigger: `${field("lead_score")} .o_progressbar_value:contains(0)`,
    },
    {
      content: "and every criterion says so",
      trigger: `${field("score_breakdown")} td:contains(not rated)`,
    },
    ...rate("influence_option_id", "Decision", "Decision Maker"),
    {
      content: "The score follows at once",
      trigger: `${field("lead_score")} .o_progressbar_value:contains(25)`,
    },
    ...rate("need_option_id", "Immediate", "Immediate"),
    {
      content: "Two best options of six weighted criteria: 50",
      trigger: `${field("lead_score")} .o_progressbar_value:contains(50)`,
    },
    {
      content: "The breakdown explains it, still unsaved",
      trigger: `.o_form_dirty .o_field_widget[name=score_breakdown] tr:contains(Need):contains(10 of 10)`,
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
