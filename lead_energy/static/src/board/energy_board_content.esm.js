import {Component, onWillStart, useState} from "@odoo/owl";
import {useBus, useService} from "@web/core/utils/hooks";
import {EnergyBoardChart} from "./energy_board_chart.esm";
import {EnergyBoardFunnel} from "./energy_board_funnel.esm";
import {Layout} from "@web/search/layout";
import {SearchBar} from "@web/search/search_bar/search_bar";
import {_t} from "@web/core/l10n/translation";
import {loadBundle} from "@web/core/assets";
import {useSetupAction} from "@web/search/action_hook";

// The board's filters: the period, and the records of RECORD_FILTERS (Python).
export const RECORD_FILTERS = [
  "team_id",
  "user_id",
  "source_id",
  "lead_type_id",
  "interest_id",
];
export const FILTERS = ["period", "date_from", "date_to", ...RECORD_FILTERS];

/** ``values`` (of a URL, a context) as the board's filters. */
export function boardFilters(values = {}) {
  const filters = Object.fromEntries(FILTERS.map((key) => [key, false]));
  for (const key of FILTERS) {
    const value = values[key];
    if (value) {
      filters[key] = RECORD_FILTERS.includes(key)
        ? parseInt(value, 10) || false
        : value;
    }
  }
  return filters;
}

/**
 * The lead board: the score tiles and the charts of the energy leads the user
 * may see, for the period and the records the filters choose and the leads
 * the search bar finds. A tile, a bar, a slice, a point or a funnel step opens
 * its records.
 */
export class EnergyBoardContent extends Component {
  static template = "lead_energy.EnergyBoardContent";
  static components = {Layout, SearchBar, EnergyBoardChart, EnergyBoardFunnel};
  static props = ["*"];

  setup() {
    useSetupAction({
      // Back from a figure's list (breadcrumbs), the board keeps them.
      getLocalState: () => ({filters: {...this.state.filters}}),
      // A favourite saves them in its context.
      getContext: () => ({board_filters: this.savedFilters()}),
    });
    useBus(this.env.searchModel, "update", () => this.onSearchUpdate());
    this.orm = useService("orm");
    this.action = useService("action");
    this.ui = useService("ui");
    this.recordFilters = [
      {key: "team_id", all: _t("All Teams"), label: _t("Sales Team")},
      {key: "user_id", all: _t("All Salespeople"), label: _t("Salesperson")},
      {key: "source_id", all: _t("All Sources"), label: _t("Source")},
      {key: "lead_type_id", all: _t("All Lead Types"), label: _t("Lead Type")},
      {key: "interest_id", all: _t("All Interests"), label: _t("Interest")},
    ];
    this.state = useState({
      board: null,
      filters: this.initialFilters(),
      filtersOpen: false,
      // Charts are drawn once: a new board draws new ones.
      version: 0,
    });
    onWillStart(async () => {
      const [board] = await Promise.all([
        this.fetchBoard(),
        loadBundle("web.chartjs_lib"),
      ]);
      this.showBoard(board);
    });
  }

  /**
   * The filters when the board opens: those it had (back from a list), of
   * its URL (a bookmark), else of its context: the action's, or that of a
   * favourite chosen by default.
   */
  initialFilters() {
    if (this.props.state?.filters) {
      return this.props.state.filters;
    }
    const {action} = this.props;
    const url = action.context?.params || action.params || {};
    if (FILTERS.some((key) => url[key])) {
      return boardFilters(url);
    }
    return boardFilters(this.env.searchModel.context.board_filters);
  }

  savedFilters() {
    return Object.fromEntries(
      FILTERS.filter((key) => this.state.filters[key]).map((key) => [
        key,
        this.state.filters[key],
      ])
    );
  }

  /** A favourite chosen or left: its filters, and its search. */
  onSearchUpdate() {
    this.state.filters = boardFilters(this.env.searchModel.context.board_filters);
    return this.reload();
  }

  get activeFilterCount() {
    return ["period", ...RECORD_FILTERS].filter((key) => this.state.filters[key])
      .length;
  }

  get periodText() {
    const {label, previous_label} = this.state.board.period;
    return _t("Leads created %(period)s, compared with %(previous)s.", {
      period: label,
      previous: previous_label,
    });
  }

  get isCustomPeriod() {
    return this.state.filters.period === "custom";
  }

  fetchBoard() {
    return this.orm.call("crm.lead.energy.board", "get_board_data", [
      this.state.filters,
      this.env.searchModel.domain,
    ]);
  }

  showBoard(board) {
    this.state.board = board;
    this.state.version++;
  }

  async reload() {
    const {period, date_from, date_to} = this.state.filters;
    if (period === "custom" && !(date_from && date_to && date_from <= date_to)) {
      // Until the range is complete
      return;
    }
    this.showBoard(await this.fetchBoard());
    // The URL names the filters: the board can be bookmarked as it is.
    this.props.updateActionState?.(
      Object.fromEntries(
        FILTERS.map((key) => [key, this.state.filters[key] || undefined])
      )
    );
  }

  onFilterChange(key, ev) {
    const value = ev.target.value;
    this.state.filters[key] = boardFilters({[key]: value})[key];
    if (key === "period" && value !== "custom") {
      this.state.filters.date_from = false;
      this.state.filters.date_to = false;
    }
    return this.reload();
  }

  clearFilters() {
    for (const key of FILTERS) {
      this.state.filters[key] = false;
    }
    return this.reload();
  }

  toggleFilters() {
    this.state.filtersOpen = !this.state.filtersOpen;
  }

  formatDelta(tile) {
    const sign = tile.delta > 0 ? "+" : tile.delta < 0 ? "\u2212" : "\u00b1";
    return `${sign}${Math.abs(tile.delta)}`;
  }

  async openFigure(kind, domain, title) {
    const action = await this.orm.call("crm.lead.energy.board", "action_open_figure", [
      kind,
      domain,
      title,
    ]);
    await this.action.doAction(action);
  }

  onTileClick(tile) {
    return this.openFigure("leads", tile.domain, tile.title);
  }

  onChartSelect(chart, datasetIndex, index) {
    const dataset = chart.datasets[datasetIndex];
    const title = [chart.title, chart.labels[index]];
    if (chart.datasets.length > 1) {
      title.push(dataset.label);
    }
    const kind = dataset.kinds?.[index] || "leads";
    return this.openFigure(kind, dataset.domains[index], title.join(" / "));
  }
}
