/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Clicks the bar of a chart of the lead board like a user would: Chart.js
 * finds the element under the pointer and the board opens its leads.
 */
function clickChartBar(chartKey, index) {
    const canvas = document.querySelector(
        `.o_lead_energy_board_chart[data-chart=${chartKey}] canvas`
    );
    const { x, y } = Chart.getChart(canvas).getDatasetMeta(0).data[index].getCenterPoint();
    const rect = canvas.getBoundingClientRect();
    const position = { clientX: rect.left + x, clientY: rect.top + y, bubbles: true };
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
            trigger: '.dropdown-item[data-menu-xmlid="lead_energy.crm_lead_menu_energy_board"]',
            run: "click",
        },
        {
            content: "The board shows the score tiles",
            trigger: ".o_lead_energy_board_tile[data-tile=without_responsibility]",
        },
        {
            content: "The board draws the sales funnel",
            trigger: ".o_lead_energy_board_chart[data-chart=funnel] canvas",
        },
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
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tour: overdue carport PV)",
        },
        {
            content: "The qualified lead is not overdue",
            trigger: ".o_list_view:not(:has(td[name=name]:contains(Tour: qualified wind farm)))",
        },
        {
            content: "Back to the board",
            trigger: ".o_breadcrumb a:contains(Lead Board)",
            run: "click",
        },
        {
            content: "Click the Qualified bar of the sales funnel",
            trigger: ".o_lead_energy_board_chart[data-chart=funnel] canvas",
            run: () => clickChartBar("funnel", 2),
        },
        {
            content: "The funnel's qualified leads are listed",
            trigger: ".o_breadcrumb:contains(Sales Funnel / Qualified)",
        },
        {
            content: "The qualified lead is among them, the overdue open lead is not",
            trigger: ".o_list_view:not(:has(td[name=name]:contains(Tour: overdue carport PV))) .o_data_row td[name=name]:contains(Tour: qualified wind farm)",
        },
    ],
});
