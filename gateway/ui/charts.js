import { Component, createRef, h } from './vendor/preact.mjs';
import uPlot from './vendor/uplot.mjs';

const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#d1242f', '#6e7781'];

/**
 * A uPlot time series chart. `series` is `[{label, values}]` over the shared `times` (epoch ms); the plot is
 * rebuilt when the set of series changes and only fed new data otherwise.
 */
export class TimeChart extends Component {
  el = createRef();
  componentDidMount() {
    this.build();
    this.resize = () => this.plot?.setSize(this.size());
    window.addEventListener('resize', this.resize);
  }
  componentDidUpdate(prev) {
    const labels = (p) => p.series.map((s) => s.label).join('|');
    if (labels(prev) !== labels(this.props) || !this.plot) this.build();
    else this.plot.setData(this.data());
  }
  componentWillUnmount() {
    window.removeEventListener('resize', this.resize);
    this.plot?.destroy();
  }
  size() {
    return { width: Math.max(280, this.el.current.clientWidth || 600), height: this.props.height ?? 200 };
  }
  data() {
    return [this.props.times.map((t) => t / 1000), ...this.props.series.map((s) => s.values)];
  }
  build() {
    this.plot?.destroy();
    const { series, yLabel, bars } = this.props;
    this.plot = new uPlot(
      {
        ...this.size(),
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [{}, { label: yLabel, size: 60 }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? PALETTE[i % PALETTE.length], width: 2, fill: bars ? `${PALETTE[i % PALETTE.length]}33` : undefined, points: { show: false } }))],
      },
      this.data(),
      this.el.current,
    );
  }
  render() {
    return h('div', { class: 'chart', ref: this.el, 'data-testid': this.props.testid });
  }
}
