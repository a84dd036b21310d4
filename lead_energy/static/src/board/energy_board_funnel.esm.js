import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/views/fields/formatters";

/**
 * The sales funnel of the lead board: one row per step with its count, a bar
 * in proportion to the first step, and the rates from the step before and
 * from the top. A row opens its leads, opportunities or quotations.
 */
export class EnergyBoardFunnel extends Component {
  static template = "lead_energy.EnergyBoardFunnel";
  static props = {chart: Object, onSelect: Function};

  get steps() {
    const {labels, steps, datasets} = this.props.chart;
    const [dataset] = datasets;
    const top = dataset.data[0] || 0;
    return labels.map((label, index) => ({
      index,
      key: steps[index],
      label,
      count: dataset.data[index],
      width: top ? Math.max((100 * dataset.data[index]) / top, 0.5) : 0,
      ratePrevious: this.formatRate(dataset.rates_previous[index], (rate) =>
        _t("%(rate)s of the step before", {rate})
      ),
      rateTop: this.formatRate(dataset.rates_top[index], (rate) =>
        _t("%(rate)s of all leads", {rate})
      ),
    }));
  }

  /** ``rate`` (a percentage, or false for none) in the sentence ``text``. */
  formatRate(rate, text) {
    return rate === false ? "" : text(`${formatFloat(rate, {digits: [16, 1]})} %`);
  }

  onStepClick(step) {
    return this.props.onSelect(this.props.chart, 0, step.index);
  }
}
