/** @odoo-module */

import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";

/** One chart of the dashboard (Odoo's Chart.js); a click on a bar or a point
 * opens the records behind it. */
export class DashboardChart extends Component {
    static template = "logistics_exception_dashboard.DashboardChart";
    static props = {
        chart: Object,
        formatValue: Function,
        onOpen: Function,
    };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
            },
            () => [this.props.chart]
        );
        onWillUnmount(() => this.chart && this.chart.destroy());
    }

    get isEmpty() {
        return !this.props.chart.datasets.some((dataset) => dataset.data.some((value) => value));
    }

    getConfig() {
        const spec = this.props.chart;
        const single = spec.datasets.length === 1;
        const datasets = spec.datasets.map((dataset, index) => ({
            label: dataset.label,
            data: dataset.data,
            backgroundColor: single
                ? dataset.data.map((_value, point) => getColor(spec.horizontal ? 0 : point))
                : getColor(index),
            borderWidth: 0,
            maxBarThickness: 32,
        }));
        const valueAxis = { beginAtZero: true, stacked: Boolean(spec.stacked) };
        if ((spec.unit || "count") === "count") {
            // Counts: whole numbers on the axis.
            valueAxis.ticks = { precision: 0 };
        }
        const labelAxis = { stacked: Boolean(spec.stacked) };
        return {
            type: "bar",
            data: { labels: spec.labels, datasets },
            options: {
                indexAxis: spec.horizontal ? "y" : "x",
                maintainAspectRatio: false,
                animation: false,
                scales: spec.horizontal
                    ? { x: valueAxis, y: labelAxis }
                    : { x: labelAxis, y: valueAxis },
                plugins: {
                    legend: { display: !single, position: "bottom" },
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                `${item.dataset.label}: ${this.props.formatValue(
                                    item.raw,
                                    spec.unit || "count"
                                )}`,
                        },
                    },
                },
                onClick: (_event, elements) => this.onClick(elements),
                onHover: (event, elements) => {
                    event.native.target.style.cursor = elements.length ? "pointer" : "default";
                },
            },
        };
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
        }
        // Chart is the global of Odoo's web.chartjs_lib bundle.
        this.chart = new Chart(this.canvasRef.el, this.getConfig());
    }

    onClick(elements) {
        if (!elements.length) {
            return;
        }
        const { datasetIndex, index } = elements[0];
        const action = this.props.chart.datasets[datasetIndex].actions[index];
        if (action) {
            this.props.onOpen(action);
        }
    }
}
