import {registry} from "@web/core/registry";

// Fills a lead's site and consumption: the estimate, the volume and the score
// change as the fields are filled in, before saving.
registry.category("web_tour.tours").add("lead_energy_site_estimate", {
  steps: () => [
    {
      content: "Rated by influence only: a score of 25",
      trigger: ".o_form_view .o_field_widget[name=lead_score]:contains(25)",
    },
    {
      content: "Usable roof area",
      trigger: ".o_field_widget[name=roof_area] input",
      run: "edit 60 && press Tab",
    },
    {
      content: "Facing south",
      trigger: ".o_field_widget[name=roof_orientation] select",
      run: `select "s"`,
    },
    {
      content: "Medium pitch",
      trigger: ".o_field_widget[name=roof_pitch] select",
      run: `select "medium"`,
    },
    {
      content: "4,000 kWh a year",
      trigger: ".o_field_widget[name=annual_consumption] input",
      run: "edit 4000 && press Tab",
    },
    {
      content: "Postcode of the site",
      trigger: ".o_field_widget[name=site_postcode] input",
      run: "edit 79098 && press Tab",
    },
    {
      content: "The estimate: 10 kWp for 21,200 EUR",
      trigger: ".o_field_widget[name=estimated_investment]:contains(21,200)",
    },
    {
      content: "and how it is computed",
      trigger:
        ".o_field_widget[name=estimate_breakdown]:contains(× 1.05 (postcode 7…))",
    },
    {
      content: "The volume follows the estimate",
      trigger: ".o_field_widget[name=volume_option_id] input:value(€10,000–50,000)",
    },
    {
      content: "and the score follows the volume",
      trigger: ".o_form_view .o_field_widget[name=lead_score]:contains(33)",
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
