// A benchmark report's charts, drawn with Chart.js (loaded as a plain script) from the JSON the panel sends.
window.sliceReport = window.sliceReport || {
  COLORS: ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf'],

  // Error bars: every dataset with low/high arrays gets a vertical line with caps over each bar.
  intervals: {
    id: 'sliceIntervals',
    afterDatasetsDraw(chart) {
      const { ctx, scales } = chart;
      chart.data.datasets.forEach((ds, i) => {
        if (!ds.low || !ds.high || !chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach((bar, j) => {
          if (ds.low[j] == null || ds.high[j] == null) return;
          const top = scales.y.getPixelForValue(ds.high[j]);
          const bottom = scales.y.getPixelForValue(ds.low[j]);
          const cap = Math.min(6, bar.width / 3);
          ctx.save();
          ctx.strokeStyle = '#333';
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - cap, top); ctx.lineTo(bar.x + cap, top);
          ctx.moveTo(bar.x - cap, bottom); ctx.lineTo(bar.x + cap, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  },

  draw(host, data) {
    let tries = 0;
    const start = () => {
      if (!window.Chart) { if (tries++ < 100) setTimeout(start, 50); return; }
      host.innerHTML = '';
      this.overhead(this.canvas(host, 'chart-overhead', 'Overhead per workload (1.00 = bare metal)'), data.overhead);
      this.density(this.canvas(host, 'chart-density', 'Density: host memory and one guest\'s CPU score as guests are added'), data.density);
      this.memory(this.canvas(host, 'chart-memory', 'Host memory per guest'), data.memory);
      this.boot(this.canvas(host, 'chart-boot', 'Boot time (create to first command), by guests booted at once'), data.boot);
      host.dataset.charts = String(host.querySelectorAll('canvas').length);
    };
    start();
  },

  canvas(host, id, title) {
    const box = document.createElement('figure');
    box.className = 'slice-chart';
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    const holder = document.createElement('div');
    holder.className = 'slice-chart-area';
    const canvas = document.createElement('canvas');
    canvas.id = id;
    holder.appendChild(canvas);
    box.appendChild(caption);
    box.appendChild(holder);
    host.appendChild(box);
    return canvas;
  },

  color(i, alpha) {
    const hex = this.COLORS[i % this.COLORS.length];
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  },

  options(extra) {
    return Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, extra);
  },

  overhead(canvas, d) {
    const datasets = d.datasets.map((ds, i) => ({ label: ds.label, data: ds.data, low: ds.low, high: ds.high,
      backgroundColor: this.color(i, 0.75) }));
    d.references.forEach((ref, i) => datasets.push({ label: ref.label, data: ref.data,
      backgroundColor: this.color(i + d.datasets.length, 0.2), borderColor: this.color(i + d.datasets.length, 0.5), borderWidth: 1 }));
    new window.Chart(canvas, { type: 'bar', data: { labels: d.labels, datasets }, plugins: [this.intervals],
      options: this.options({ scales: { y: d.log ? { type: 'logarithmic', title: { display: true, text: 'ratio (log scale)' } }
        : { beginAtZero: true, title: { display: true, text: 'ratio' } } } }) });
  },

  density(canvas, d) {
    const datasets = d.datasets.map((ds, i) => ({ label: ds.label, data: ds.points, yAxisID: ds.axis,
      borderColor: this.color(Math.floor(i / 2), 1), backgroundColor: this.color(Math.floor(i / 2), 0.5),
      borderDash: ds.axis === 'score' ? [6, 4] : [], showLine: true, tension: 0 }));
    new window.Chart(canvas, { type: 'scatter', data: { datasets }, options: this.options({ scales: {
      x: { title: { display: true, text: 'guests running' }, ticks: { stepSize: 1 } },
      memory: { position: 'left', title: { display: true, text: 'MemAvailable (MiB)' } },
      score: { position: 'right', title: { display: true, text: 'CPU score (Mops/s)' }, grid: { drawOnChartArea: false } } } }) });
  },

  memory(canvas, d) {
    new window.Chart(canvas, { type: 'bar', data: { labels: d.labels, datasets: [
      { label: 'charged to the guest (MiB)', data: d.charged, backgroundColor: this.color(0, 0.75) },
      { label: 'host memory beyond the charge: VMM, kernel (MiB)', data: d.beyond, backgroundColor: this.color(1, 0.75) }] },
      options: this.options({ scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true,
        title: { display: true, text: 'MiB per guest' } } } }) });
  },

  boot(canvas, d) {
    const datasets = d.datasets.map((ds, i) => ({ label: ds.label, data: ds.points, stepped: true, showLine: true,
      borderColor: this.color(i, 1), backgroundColor: this.color(i, 0.5) }));
    new window.Chart(canvas, { type: 'scatter', data: { datasets }, options: this.options({ scales: {
      x: { title: { display: true, text: 'ms' }, beginAtZero: true },
      y: { min: 0, max: 1, title: { display: true, text: 'fraction of guests booted' } } } }) });
  }
};
