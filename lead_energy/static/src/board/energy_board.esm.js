import {Component, onWillStart, useSubEnv} from "@odoo/owl";
import {EnergyBoardContent} from "./energy_board_content.esm";
import {WithSearch} from "@web/search/with_search/with_search";
import {getDefaultConfig} from "@web/views/view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

/**
 * CRM > Reporting > Lead Board, the client action: Odoo's search model around
 * the board, for the search bar and the favourites of the Energy Leads (a
 * favourite saves the board's filters in its context).
 */
export class EnergyBoard extends Component {
  static template = "lead_energy.EnergyBoard";
  static components = {WithSearch, EnergyBoardContent};
  static props = ["*"];

  setup() {
    useSubEnv({config: {...getDefaultConfig(), ...this.env.config}});
    this.orm = useService("orm");
    onWillStart(async () => {
      this.options = await this.orm.call(
        "crm.lead.energy.board",
        "get_board_filter_options",
        []
      );
    });
  }

  get withSearchProps() {
    return {
      resModel: "crm.lead",
      searchViewId: this.options.search_view_id,
      context: this.props.action.context || {},
      globalState: this.props.globalState,
      loadIrFilters: true,
      searchMenuTypes: ["filter", "favorite"],
    };
  }
}

registry.category("actions").add("lead_energy.board", EnergyBoard);
