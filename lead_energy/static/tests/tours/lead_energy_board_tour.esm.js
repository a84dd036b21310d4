/* global Chart */
import {registry} from "@web/core/registry";
import {screenshot} from "./tour_messages.esm";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/**
 * Clicks the bar, slice or point of a chart of the lead board like a user
 * would: Chart.js finds the element under the pointer and the board opens its
 * leads.
 */
function clickChart(chartKey, label) {
  const canvas = document.querySelector(
    `.o_lead_energy_board_chart[data-chart=${chartKey}] canvas`
  );
  const chart = Chart.getChart(canvas);
  const index = chart.data.labels.indexOf(label);
  const {x, y} = chart.getDatasetMeta(0).data[index].getCenterPoint();
  const rect = canvas.getBoundingClientRect();
  const position = {clientX: rect.left + x, clientY: rect.top + y, bubbles: true};
  canvas.dispatchEvent(new MouseEvent("mousemove", position));
  canvas.dispatchEvent(new MouseEvent("click", position));
}

// CRM > Reporting > Lead Board: a tile and a chart open their leads.
registry.category("web_tour.tours").add("lead_energy_board", {
  url: "/odoo",
  steps: () => [
    stepUtils.showAppsMenuItem(),
    {
      content: "Open CRM",
      trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
      run: "click",
    },
    {
      content: "Open the Reporting menu of CRM",
      trigger: '.dropdown-toggle[data-menu-xmlid="crm.crm_menu_report"]',
      run: "click",
    },
    {
      content: "Open the lead board",
      trigger:
        '.dropdown-item[data-menu-xmlid="lead_energy.crm_lead_menu_energy_board"]',
      run: "click",
    },
    {
      content: "The board shows the score tiles",
      trigger: ".o_lead_energy_board_tile[data-tile=without_responsibility]",
    },
    {
      content: "The board shows the sales funnel",
      trigger: ".o_lead_energy_board_funnel_step[data-step=won]",
    },
    screenshot("board", ".o_lead_energy_board_chart canvas"),
    {
      content: "Open the overdue leads",
      trigger: ".o_lead_energy_board_tile[data-tile=overdue]",
      run: "click",
    },
    {
      content: "The list is named after the tile",
      trigger: ".o_breadcrumb:contains(Overdue Leads)",
    },
    {
      content: "The overdue lead of the seller is listed",
      trigger:
        ".o_list_view .o_data_row td[name=name]:contains(Tour: overdue carport PV)",
    },
    {
      content: "The qualified lead is not overdue",
      trigger:
        ".o_list_view:not(:has(td[name=name]:contains(Tour: qualified wind farm)))",
    },
    {
      content: "Back to the board",
      trigger: ".o_breadcrumb a:contains(Lead Board)",
      run: "click",
    },
    {
      content: "The seller's salesperson filter: his own leads, of every year",
      trigger: ".o_lead_energy_board_filter_bar select[name=user_id]",
      run: "selectByLabel Bodo Board",
    },
    {
      content: "Both of his overdue leads count, this year's and last year's",
      trigger: ".o_lead_energy_board_tile[data-tile=overdue][data-count='2']",
    },
    {
      content: "Only the leads created this month",
      trigger: ".o_lead_energy_board_filter_bar select[name=period]",
      run: "select this_month",
    },
    {
      content: "The overdue tile follows, compared with last month",
      trigger:
        ".o_lead_energy_board_tile[data-tile=overdue][data-count='1'] .o_lead_energy_board_tile_delta:contains(+1)",
    },
    {
      content: "The funnel counts his two leads of this month",
      trigger: ".o_lead_energy_board_funnel_step[data-step=leads][data-count='2']",
    },
    {
      content: "Open the qualified step of the funnel",
      trigger: ".o_lead_energy_board_funnel_step[data-step=qualified]",
      run: "click",
    },
    {
      content: "The funnel's qualified leads are listed",
      trigger: ".o_breadcrumb:contains(Sales Funnel / Qualified)",
    },
    {
      content: "The qualified lead is among them, the overdue open lead is not",
      trigger:
        ".o_list_view:not(:has(td[name=name]:contains(Tour: overdue carport PV))) .o_data_row td[name=name]:contains(Tour: qualified wind farm)",
    },
    {
      content: "Back to the board once more",
      trigger: ".o_breadcrumb a:contains(Lead Board)",
      run: "click",
    },
    {
      content: "The board kept its filters",
      trigger: ".o_lead_energy_board_tile[data-tile=overdue][data-count='1']",
    },
    {
      content: "The board still says which period it shows",
      trigger: ".o_lead_energy_board_period",
    },
    {
      content: "Open the search options",
      trigger: ".o_searchview_dropdown_toggler",
      run: "click",
    },
    {
      content: "Save the board as a favourite",
      trigger: ".o_favorite_menu .o_add_favorite",
      run: "click",
    },
    {
      content: "Save it under the board's name",
      trigger: ".o_favorite_menu .o_accordion_values .o_save_favorite",
      run: "click",
    },
    {
      content: "The favourite is the board's search",
      trigger: ".o_searchview_facet:contains(Lead Board) .o_facet_remove",
      run: "click",
    },
    {
      content: "Without it, the board shows every period again",
      trigger:
        ".o_lead_energy_board_content:not(:has(.o_lead_energy_board_period)) .o_lead_energy_board_tile[data-tile=overdue]",
    },
    {
      content: "Open the search options again",
      trigger: ".o_searchview_dropdown_toggler",
      run: "click",
    },
    {
      content: "Choose the favourite",
      trigger: ".o_favorite_menu .o_menu_item:contains(Lead Board)",
      run: "click",
    },
    {
      content: "The board follows the favourite's period and salesperson",
      trigger:
        ".o_lead_energy_board_content:has(.o_lead_energy_board_period) .o_lead_energy_board_tile[data-tile=overdue][data-count='1']",
    },
  ],
});

// The board on a phone: tiles and charts one below the other; the leads of a
// tile or a pie slice open as cards.
registry.category("web_tour.tours").add("lead_energy_board_phone", {
  url: "/odoo/action-lead_energy.crm_lead_action_energy_board?period=last_12_months",
  steps: () => [
    {
      content: "The bookmarked address opens the board of the last 12 months",
      trigger: ".o_lead_energy_board_period",
    },
    screenshot("board_phone", ".o_lead_energy_board_chart canvas"),
    {
      content: "On a phone the filters are folded away",
      trigger:
        ".o_lead_energy_board:not(:has(.o_lead_energy_board_filter_bar)) .o_lead_energy_board_filters_toggle",
      run: "click",
    },
    {
      content: "Choose the period of this year",
      trigger: ".o_lead_energy_board_filter_bar select[name=period]",
      run: "select this_year",
    },
    {
      content: "The board says which period it shows",
      trigger: ".o_lead_energy_board_period",
    },
    {
      content: "Fold the filters away again",
      trigger: ".o_lead_energy_board_filters_toggle:has(.badge)",
      run: "click",
    },
    {
      content: "Tap the tile of the leads nobody follows up",
      trigger: ".o_lead_energy_board_tile[data-tile=without_responsibility]",
      run: "click",
    },
    {
      content: "The unassigned lead is among the cards",
      trigger: ".o_kanban_view .o_kanban_record:contains(Tour: unassigned heat pump)",
    },
    {
      content: "The lead followed up by the seller is not",
      trigger:
        ".o_kanban_view:not(:has(.o_kanban_record:contains(Tour: overdue carport PV)))",
    },
    {
      content: "Back to the board",
      trigger: "button.o_back_button",
      run: "click",
    },
    {
      content: "Tap the Business slice of the lead types",
      trigger: ".o_lead_energy_board_chart[data-chart=share_by_lead_type_id] canvas",
      run: () => clickChart("share_by_lead_type_id", "Business"),
    },
    {
      content: "The business lead opens as a card, the others do not",
      trigger:
        ".o_kanban_view:not(:has(.o_kanban_record:contains(Tour: unassigned heat pump))) .o_kanban_record:contains(Tour: qualified wind farm)",
    },
  ],
});
