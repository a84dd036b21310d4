import { Component, onWillStart, useState, useSubEnv } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { getDefaultConfig } from "@web/views/view";
import { EnergyBoardChart } from "./energy_board_chart";

/**
 * CRM > Reporting > Lead Board: the score tiles and the charts of the energy
 * leads the user may see. A tile, a bar, a slice or a point opens its leads.
 */
export class EnergyBoard extends Component {
    static template = "lead_energy.EnergyBoard";
    static components = { Layout, EnergyBoardChart };
    static props = ["*"];

    setup() {
        useSubEnv({ config: { ...getDefaultConfig(), ...this.env.config } });
        useSetupAction();
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ board: null });
        onWillStart(async () => {
            const [board] = await Promise.all([
                this.orm.call("crm.lead.energy.board", "get_board_data", []),
                loadBundle("web.chartjs_lib"),
            ]);
            this.state.board = board;
        });
    }

    async openLeads(domain, title) {
        const action = await this.orm.call("crm.lead.energy.board", "action_open_leads", [
            domain,
            title,
        ]);
        await this.action.doAction(action);
    }

    onTileClick(tile) {
        return this.openLeads(tile.domain, tile.title);
    }

    onChartSelect(chart, datasetIndex, index) {
        const dataset = chart.datasets[datasetIndex];
        const title = [chart.title, chart.labels[index]];
        if (chart.datasets.length > 1) {
            title.push(dataset.label);
        }
        return this.openLeads(dataset.domains[index], title.join(" / "));
    }
}

registry.category("actions").add("lead_energy.board", EnergyBoard);
