/* global Chart */
import {Component, onMounted, onWillUnmount, useRef} from "@odoo/owl";
import {cookie} from "@web/core/browser/cookie";
import {getColor} from "@web/core/colors/colors";

/**
 * One chart of the lead board, drawn with Chart.js (loaded by the board).
 */
export class EnergyBoardChart extends Component {
  static template = "lead_energy.EnergyBoardChart";
  static props = {chart: Object, onSelect: Function};

  setup() {
    this.canvasRef = useRef("canvas");
    onMounted(() => this.renderChart());
    onWillUnmount(() => this.chart?.destroy());
  }

  get isEmpty() {
    return !this.props.chart.datasets.some((dataset) => dataset.data.some(Boolean));
  }

  renderChart() {
    if (this.isEmpty) {
      return;
    }
    const {type, labels, datasets} = this.props.chart;
    const colorScheme = cookie.get("color_scheme");
    const isPie = type === "pie";
    this.chart = new Chart(this.canvasRef.el, {
      type,
      data: {
        labels,
        datasets: datasets.map((dataset, index) => {
          const color = getColor(index, colorScheme);
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: isPie
              ? dataset.data.map((value, slice) => getColor(slice, colorScheme))
              : color,
            borderColor: isPie ? undefined : color,
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: isPie ? {} : this.axes(type === "bar"),
        plugins: {legend: {display: isPie || datasets.length > 1}},
        onClick: (event, elements) => {
          if (elements.length) {
            const {datasetIndex, index} = elements[0];
            this.props.onSelect(this.props.chart, datasetIndex, index);
          }
        },
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "";
        },
      },
    });
  }

  axes(stacked) {
    return {
      x: {stacked},
      y: {stacked, beginAtZero: true, ticks: {precision: 0}},
    };
  }
}
